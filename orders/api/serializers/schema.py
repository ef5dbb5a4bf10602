"""The order answers described for the OpenAPI schema (CONTRACT.md section 7).

These serializers only describe: `outputs.py` builds every answer, and refusing
`to_representation` here keeps it that way (one producer per shape). drf-spectacular turns them
into the schema's components; orders/tests/test_api.py validates every answer the API gives
against those components, so a field added to one side only, a wrong type or a null where the
schema does not allow it fails there.
"""

from rest_framework import serializers

from common.jsonshape import names, schema_fields
from common.pagination import PaginationOutput

from ...models import Order, OrderItem, OrderReturn, Refund, Shipment
from ...shapes import CURRENCY_SHAPE, ORDER_ITEM_SHAPE, ORDER_LIST_SHAPE

MONEY = dict(max_digits=14, decimal_places=2, coerce_to_string=False)


class SchemaOnly:
    """A serializer that describes an answer for the schema and never builds one."""

    def to_representation(self, instance):
        raise TypeError(
            f"{type(self).__name__} only describes the schema; orders.api.serializers.outputs builds this answer."
        )


def _described(name: str, shape, model, *, nested: dict | None = None, model_serializer: bool = True):
    """A SchemaOnly serializer named `name` whose fields are the shape's (common.jsonshape.schema_fields)."""
    fields = schema_fields(shape, model, nested or {}, every=not model_serializer)
    attrs = {"__module__": __name__, "__qualname__": name, **fields}
    if model_serializer:
        attrs["Meta"] = type("Meta", (), {"model": model, "fields": names(shape), "read_only_fields": names(shape)})
    return type(name, (SchemaOnly, serializers.ModelSerializer if model_serializer else serializers.Serializer), attrs)


# The history's shapes (orders.shapes), described from their one description.
CurrencyOutput = _described("CurrencyOutput", CURRENCY_SHAPE, Order, model_serializer=False)
OrderItemOutput = _described("OrderItemOutput", ORDER_ITEM_SHAPE, OrderItem)
OrderListOutput = _described(
    "OrderListOutput",
    ORDER_LIST_SHAPE,
    Order,
    nested={"order_items": OrderItemOutput, "currency": CurrencyOutput},
)


def _optional_text():
    return serializers.CharField(allow_null=True, help_text="null when not given.")


class AddressSnapshotOutput(SchemaOnly, serializers.Serializer):
    """The CustomerAddress as it was when the order was placed."""

    id = serializers.CharField(allow_null=True)
    first_name = serializers.CharField()
    last_name = _optional_text()
    country_code = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    address_line1 = serializers.CharField()
    address_line2 = _optional_text()
    landmark = _optional_text()
    pincode = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    country = serializers.CharField()
    tax_identification_number = _optional_text()
    business_name = _optional_text()
    is_default_billing = serializers.BooleanField()
    is_default_shipping = serializers.BooleanField()
    is_phone_verified = serializers.BooleanField()
    is_email_verified = serializers.BooleanField()
    nickname = _optional_text()


class CancellationRefundDetailsOutput(SchemaOnly, serializers.Serializer):
    loyalty_point = serializers.IntegerField()
    refundable_amount = serializers.DecimalField(**MONEY)
    cancellation_charges = serializers.DecimalField(**MONEY)
    cancellation_charges_reason = serializers.CharField(allow_null=True)
    payment_mode = serializers.ChoiceField(
        choices=["original-payment-mode", "bank-transfer"],
        help_text="The refund mode (not how the order was paid): original-payment-mode unless the shopper "
        "cancels with refund_mode bank-transfer.",
    )


class AppliedCouponOutput(SchemaOnly, serializers.Serializer):
    """The order's coupon: `coupon_id` is its code; its savings come off the whole order."""

    coupon_id = serializers.CharField()
    coupon_type = serializers.ChoiceField(choices=["discount"])
    savings = serializers.DecimalField(**MONEY)
    product_id = serializers.CharField(allow_null=True)
    variant_id = serializers.CharField(allow_null=True)
    product_name = serializers.CharField(allow_null=True)
    variant_name = serializers.CharField(allow_null=True)


class FulfillmentPreferenceOutput(SchemaOnly, serializers.Serializer):
    """Every order is delivered to its shipping address (no store pickup)."""

    fulfillment_type = serializers.ChoiceField(choices=["delivery"])
    shipments = serializers.ListField(
        child=serializers.DictField(),
        max_length=0,
        help_text="No carrier is chosen at checkout: always empty. The order's `shipments` name the carriers.",
    )


class ShipmentItemOutput(SchemaOnly, serializers.Serializer):
    product_id = serializers.CharField()
    product_name = serializers.CharField()
    product_image_url = serializers.URLField(allow_null=True)
    variant_id = serializers.CharField(allow_null=True)
    variant_name = serializers.CharField(allow_null=True)
    sku = serializers.CharField()
    quantity = serializers.IntegerField()


class ShipmentOutput(SchemaOnly, serializers.ModelSerializer):
    shipment_items = ShipmentItemOutput(many=True)
    shipment_items_count = serializers.IntegerField()
    is_return_allowed = serializers.BooleanField()
    shipping_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = Shipment
        fields = [
            "reference_number",
            "status",
            "shipment_items",
            "shipment_items_count",
            "courier_company_name",
            "awb_no",
            "tracking_url",
            "eta_delivery",
            "shipped_date",
            "delivered_date",
            "is_return_allowed",
            "shipping_amount",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields


class PaymentOutput(SchemaOnly, serializers.Serializer):
    """A payment attempt or a refund, with the fields of its method (CONTRACT.md section 7)."""

    transaction_type = serializers.ChoiceField(choices=["payment", "refund"])
    request_number = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    payment_status = serializers.CharField()
    payment_date = serializers.DateTimeField(allow_null=True)
    payment_reference_number = serializers.CharField(allow_null=True)
    payment_method = serializers.CharField(allow_null=True)
    card_number = serializers.CharField(required=False)
    card_type = serializers.CharField(required=False, allow_blank=True)
    upi_id = serializers.CharField(required=False, allow_blank=True)
    bank_name = serializers.CharField(required=False, allow_blank=True)
    wallet_name = serializers.CharField(required=False, allow_blank=True)
    bank_account_number = serializers.CharField(required=False)


class RefundOutput(SchemaOnly, serializers.ModelSerializer):
    refund_amount = serializers.DecimalField(**MONEY)
    bank_account_number = serializers.CharField(allow_null=True)
    bank_name = serializers.CharField(allow_null=True)
    refund_remarks = serializers.CharField(allow_blank=True)
    payment_method = serializers.CharField(allow_null=True)
    payment_reference_number = serializers.CharField(allow_null=True)

    class Meta:
        model = Refund
        fields = [
            "request_number",
            "refund_amount",
            "refund_date",
            "status",
            "payment_mode",
            "payment_method",
            "payment_reference_number",
            "bank_account_number",
            "bank_name",
            "refund_remarks",
        ]
        read_only_fields = fields


class OrderDetailOutput(OrderListOutput):
    subtotal = serializers.DecimalField(**MONEY)
    item_total_tax = serializers.DecimalField(**MONEY)
    subtotal_including_tax = serializers.DecimalField(**MONEY)
    shipping_amount = serializers.DecimalField(**MONEY)
    shipping_tax_amount = serializers.DecimalField(**MONEY)
    shipping_amount_including_tax = serializers.DecimalField(**MONEY)
    promotion_discount_amount = serializers.DecimalField(**MONEY)
    coupon_code = serializers.CharField(allow_null=True)
    coupon_discount_amount = serializers.DecimalField(**MONEY)
    total_savings = serializers.DecimalField(**MONEY)
    total_tax = serializers.DecimalField(**MONEY)
    is_promotion_applied = serializers.BooleanField()
    applied_promotions = serializers.ListField(
        child=serializers.DictField(),
        max_length=0,
        help_text="Always empty: no promotion records are kept. `promotion_discount_amount` is what "
        "promotions took off; a markdown shows on each item as `on_promotion`.",
    )
    is_coupon_applied = serializers.BooleanField()
    applied_coupons = AppliedCouponOutput(many=True)
    fulfillment_preference = FulfillmentPreferenceOutput()
    billing_address = AddressSnapshotOutput(allow_null=True)
    shipping_address = AddressSnapshotOutput(allow_null=True)
    is_cancellation_allowed = serializers.BooleanField()
    cancellation_refund_details = CancellationRefundDetailsOutput(allow_null=True)
    cancellation_reason = serializers.CharField(allow_null=True)
    feedback = serializers.CharField(allow_null=True)
    payments = PaymentOutput(many=True)
    shipments = ShipmentOutput(many=True)
    refunds = RefundOutput(many=True)

    class Meta(OrderListOutput.Meta):
        fields = OrderListOutput.Meta.fields + [
            "subtotal",
            "item_total_tax",
            "subtotal_including_tax",
            "shipping_amount",
            "shipping_tax_amount",
            "shipping_amount_including_tax",
            "promotion_discount_amount",
            "coupon_code",
            "coupon_discount_amount",
            "total_savings",
            "total_tax",
            "loyalty_points_earned",
            "loyalty_points_redeemed",
            "is_promotion_applied",
            "applied_promotions",
            "is_coupon_applied",
            "applied_coupons",
            "fulfillment_preference",
            "billing_address",
            "shipping_address",
            "is_cancellation_allowed",
            "cancellation_refund_details",
            "cancellation_reason",
            "feedback",
            "payments",
            "shipments",
            "refunds",
            "metadata",
        ]
        read_only_fields = fields


class PaymentStatusOutput(SchemaOnly, serializers.Serializer):
    status = serializers.CharField()
    amount_paid = serializers.DecimalField(**MONEY)
    amount_unpaid = serializers.DecimalField(**MONEY)
    is_retry_available = serializers.BooleanField()


class PaymentLinksOutput(SchemaOnly, serializers.Serializer):
    """The SDK's JusPayHyperCheckoutResponse.payment_links: where a storefront redirects."""

    web = serializers.URLField(help_text="The payment page (the same as payment_url).")
    expiry = serializers.DateTimeField(help_text="When the attempt expires (the same as expires_at).")


class PaymentInfoOutput(SchemaOnly, serializers.Serializer):
    gateway = serializers.CharField()
    payment_url = serializers.CharField()
    payment_links = PaymentLinksOutput()
    request_number = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    expires_at = serializers.DateTimeField()
    key_id = serializers.CharField(required=False, help_text="Razorpay only: the key Checkout opens with.")
    razorpay_order_id = serializers.CharField(required=False, help_text="Razorpay only: the order to pay.")
    currency = serializers.CharField(required=False, help_text="Razorpay only: the order's currency code.")


class ReturnItemOutput(SchemaOnly, serializers.Serializer):
    shipment_number = serializers.CharField(allow_null=True)
    product_id = serializers.CharField()
    product_name = serializers.CharField()
    product_image_url = serializers.URLField(allow_null=True)
    variant_id = serializers.CharField(allow_null=True)
    variant_name = serializers.CharField(allow_null=True)
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    return_reason = serializers.CharField()
    resolution = serializers.CharField()


class PickupAddressOutput(SchemaOnly, serializers.Serializer):
    """Where the return is picked up, as the shopper gave it."""

    first_name = serializers.CharField()
    last_name = _optional_text()
    phone = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = _optional_text()
    pincode = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    country = serializers.CharField()


class ReturnAttachmentsOutput(SchemaOnly, serializers.Serializer):
    images = serializers.ListField(child=serializers.URLField(), help_text="URLs of the return's photos (1-3).")
    videos = serializers.ListField(child=serializers.URLField(), help_text="Always empty: videos are not taken.")


class ReturnOutput(SchemaOnly, serializers.ModelSerializer):
    items = ReturnItemOutput(many=True)
    order_number = serializers.CharField()
    shipping_address = PickupAddressOutput(
        allow_null=True,
        help_text="The pickup address given with the request; null: the order's shipping address.",
    )
    attachments = ReturnAttachmentsOutput()
    comment = serializers.CharField(help_text="Our addition: what the shopper added in their own words (may be empty).")

    class Meta:
        model = OrderReturn
        fields = [
            "id",
            "request_number",
            "status",
            "items",
            "order_number",
            "shipping_address",
            "comment",
            "created_at",
            "modified_at",
            "approved_at",
            "rejected_at",
            "received_at",
            "attachments",
        ]
        read_only_fields = fields


class ReplacementOrderOutput(SchemaOnly, serializers.Serializer):
    order_number = serializers.CharField()
    order_date = serializers.DateTimeField()
    order_status = serializers.CharField()


class ReturnDetailOutput(ReturnOutput):
    refund = RefundOutput(many=True)
    replacement_order = ReplacementOrderOutput(allow_null=True)

    class Meta(ReturnOutput.Meta):
        fields = ReturnOutput.Meta.fields + ["refund", "replacement_order"]
        read_only_fields = fields


# --- content wrappers ---------------------------------------------------------------------


class OrderListContent(SchemaOnly, serializers.Serializer):
    orders = OrderListOutput(many=True)
    pagination = PaginationOutput()


class OrderContent(SchemaOnly, serializers.Serializer):
    order = OrderDetailOutput()


class ShipmentsContent(SchemaOnly, serializers.Serializer):
    shipments = ShipmentOutput(many=True)


class PaymentsContent(SchemaOnly, serializers.Serializer):
    payments = PaymentOutput(many=True)


class RefundsContent(SchemaOnly, serializers.Serializer):
    refunds = RefundOutput(many=True)


class PaymentInfoContent(SchemaOnly, serializers.Serializer):
    payment_info = PaymentInfoOutput()


class ReturnContent(SchemaOnly, serializers.Serializer):
    order_return = ReturnDetailOutput()


class ReturnsContent(SchemaOnly, serializers.Serializer):
    returns = ReturnOutput(many=True)


class ReturnListContent(SchemaOnly, serializers.Serializer):
    returns = ReturnOutput(many=True)
    pagination = PaginationOutput()
