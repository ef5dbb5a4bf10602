"""Order shapes (CONTRACT.md section 7)."""

from datetime import timezone

from rest_framework import serializers

from common.pagination import PaginationOutput
from customers.models import mask_account_number

from .. import services
from ..selectors import ORDER_ITEM_LIST_COLUMNS
from ..models import Order, OrderItem, OrderReturn, Payment, Refund, Resolution, Shipment

MONEY = dict(max_digits=14, decimal_places=2, coerce_to_string=False)


def _blank_to_none(value):
    return value or None


def _dt(value) -> str | None:
    """DRF's DateTimeField output for an aware UTC datetime, without its per-call overhead."""
    if value is None:
        return None
    text = value.astimezone(timezone.utc).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _prepared(serializer_class):
    """A flat serializer's to_representation on one instance per process, so its fields are
    deep-copied and bound once (on first use) instead of on every call.

    On a hot path with small objects that copy costs more than the output. The serializer stays
    the one declaration of the shape.
    """
    return serializer_class().to_representation


class CurrencyOutput(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()
    symbol = serializers.CharField()


class OrderItemOutput(serializers.ModelSerializer):
    product_id = serializers.CharField(source="product_ref")
    product_image_url = serializers.SerializerMethodField()
    variant_id = serializers.SerializerMethodField()
    variant_name = serializers.SerializerMethodField()
    listing_price = serializers.DecimalField(**MONEY)
    selling_price = serializers.DecimalField(**MONEY)
    selling_price_excluding_tax = serializers.DecimalField(**MONEY)
    promotion_discount_amount = serializers.DecimalField(**MONEY)
    coupon_discount_amount = serializers.DecimalField(**MONEY)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    tax_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = OrderItem
        fields = [
            "product_id", "product_name", "product_image_url", "product_type", "sku", "slug",
            "variant_id", "variant_name", "quantity", "free_quantity", "is_free_item",
            "listing_price", "selling_price", "selling_price_excluding_tax", "price_including_tax",
            "promotion_discount_amount", "coupon_discount_amount", "tax_type", "tax_rate",
            "tax_amount", "backorder", "on_promotion", "on_subscription",
        ]
        read_only_fields = fields

    def get_product_image_url(self, item) -> str | None:
        return _blank_to_none(item.product_image_url)

    def get_variant_id(self, item) -> str | None:
        return _blank_to_none(item.variant_id)

    def get_variant_name(self, item) -> str | None:
        return _blank_to_none(item.variant_name)


class OrderListOutput(serializers.ModelSerializer):
    order_number = serializers.CharField(source="number")
    grand_total = serializers.DecimalField(**MONEY)
    loyalty_point_redeemed = serializers.IntegerField(source="loyalty_points_redeemed")
    loyalty_point_earned = serializers.IntegerField(source="loyalty_points_earned")
    credit_balance_used = serializers.DecimalField(**MONEY)
    to_be_paid = serializers.DecimalField(**MONEY)
    order_items = OrderItemOutput(source="items", many=True)
    customer_note = serializers.SerializerMethodField()
    currency = CurrencyOutput()

    class Meta:
        model = Order
        fields = [
            "order_number", "order_date", "status", "payment_status", "payment_success_date",
            "has_refund", "on_subscription", "grand_total", "loyalty_point_redeemed",
            "loyalty_point_earned", "credit_balance_used", "to_be_paid", "order_items_count",
            "order_items", "customer_note", "currency", "created_at", "modified_at",
        ]
        read_only_fields = fields

    def get_customer_note(self, order) -> str | None:
        return _blank_to_none(order.customer_note)


class AddressSnapshotOutput(serializers.Serializer):
    """The CustomerAddress as it was when the order was placed."""

    id = serializers.CharField(allow_null=True, required=False)
    first_name = serializers.CharField()
    last_name = serializers.CharField(allow_blank=True)
    country_code = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField(allow_blank=True)
    landmark = serializers.CharField(allow_blank=True)
    pincode = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    country = serializers.CharField()
    tax_identification_number = serializers.CharField(allow_blank=True)
    business_name = serializers.CharField(allow_blank=True)
    is_default_billing = serializers.BooleanField()
    is_default_shipping = serializers.BooleanField()
    is_phone_verified = serializers.BooleanField()
    is_email_verified = serializers.BooleanField()
    nickname = serializers.CharField(allow_blank=True)


class CancellationRefundDetailsOutput(serializers.Serializer):
    loyalty_point = serializers.IntegerField()
    refundable_amount = serializers.DecimalField(**MONEY)
    cancellation_charges = serializers.DecimalField(**MONEY)
    cancellation_charges_reason = serializers.CharField(allow_null=True)
    payment_mode = serializers.CharField(allow_null=True)


class ShipmentItemOutput(serializers.Serializer):
    product_id = serializers.CharField(source="order_item.product_ref")
    product_name = serializers.CharField(source="order_item.product_name")
    product_image_url = serializers.SerializerMethodField()
    variant_id = serializers.SerializerMethodField()
    variant_name = serializers.SerializerMethodField()
    sku = serializers.CharField(source="order_item.sku")
    quantity = serializers.IntegerField()

    def get_product_image_url(self, item) -> str | None:
        return _blank_to_none(item.order_item.product_image_url)

    def get_variant_id(self, item) -> str | None:
        return _blank_to_none(item.order_item.variant_id)

    def get_variant_name(self, item) -> str | None:
        return _blank_to_none(item.order_item.variant_name)


class ShipmentOutput(serializers.ModelSerializer):
    shipment_items = ShipmentItemOutput(source="items", many=True)
    shipment_items_count = serializers.SerializerMethodField()
    is_return_allowed = serializers.SerializerMethodField()
    shipping_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = Shipment
        fields = [
            "reference_number", "status", "shipment_items", "shipment_items_count",
            "courier_company_name", "awb_no", "tracking_url", "eta_delivery", "shipped_date",
            "delivered_date", "is_return_allowed", "shipping_amount", "created_at", "modified_at",
        ]
        read_only_fields = fields

    def get_shipment_items_count(self, shipment) -> int:
        return len(shipment.items.all())

    def get_is_return_allowed(self, shipment) -> bool:
        return services.is_shipment_returnable(shipment)


REFUND_AS_PAYMENT_STATUS = {"pending": "pending", "approved": "refund_initiated", "success": "success", "failed": "failed"}


class PaymentOutput(serializers.Serializer):
    """A payment attempt or a refund, with the fields of its method (CONTRACT.md section 7)."""

    transaction_type = serializers.ChoiceField(choices=["payment", "refund"])
    request_number = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    payment_status = serializers.CharField()
    payment_date = serializers.DateTimeField(allow_null=True)
    payment_reference_number = serializers.CharField(allow_null=True)
    payment_method = serializers.CharField(allow_null=True)
    card_number = serializers.CharField(required=False)
    card_type = serializers.CharField(required=False)
    upi_id = serializers.CharField(required=False)
    bank_name = serializers.CharField(required=False)
    wallet_name = serializers.CharField(required=False)
    bank_account_number = serializers.CharField(required=False)

    def to_representation(self, row):
        if isinstance(row, Refund):
            data = {
                "transaction_type": "refund",
                "request_number": row.request_number,
                "amount": row.amount,
                "payment_status": REFUND_AS_PAYMENT_STATUS[row.status],
                "payment_date": row.refund_date,
                "payment_reference_number": row.payment_reference_number or None,
                "payment_method": row.payment_method or None,
            }
            if row.bank_account is not None:
                data["bank_account_number"] = row.bank_account.masked_number
                data["bank_name"] = row.bank_account.bank_name
        else:
            data = {
                "transaction_type": "payment",
                "request_number": row.request_number,
                "amount": row.amount,
                "payment_status": row.status,
                "payment_date": row.payment_date,
                "payment_reference_number": row.payment_reference_number or None,
                "payment_method": row.payment_method,
            }
            data.update(_method_fields(row))
        data["amount"] = float(data["amount"])
        data["payment_date"] = _dt(data["payment_date"])
        return data


def _method_fields(payment: Payment) -> dict:
    method = payment.payment_method
    if method == "card":
        return {"card_number": f"XXXX XXXX XXXX {payment.card_last4 or '0000'}", "card_type": payment.card_type}
    if method == "upi":
        return {"upi_id": payment.upi_id}
    if method == "netbanking":
        return {"bank_name": payment.bank_name}
    if method == "wallet":
        return {"wallet_name": payment.wallet_name}
    if method == "bank_transfer":
        return {"bank_account_number": mask_account_number("XXXXXX" + (payment.bank_account_last4 or "")),
                "bank_name": payment.bank_name}
    return {}


class RefundOutput(serializers.ModelSerializer):
    refund_amount = serializers.DecimalField(source="amount", **MONEY)
    bank_account_number = serializers.SerializerMethodField()
    bank_name = serializers.SerializerMethodField()
    refund_remarks = serializers.CharField(source="remarks")
    payment_method = serializers.SerializerMethodField()
    payment_reference_number = serializers.SerializerMethodField()

    class Meta:
        model = Refund
        fields = [
            "request_number", "refund_amount", "refund_date", "status", "payment_mode",
            "payment_method", "payment_reference_number", "bank_account_number", "bank_name",
            "refund_remarks",
        ]
        read_only_fields = fields

    def get_bank_account_number(self, refund) -> str | None:
        return refund.bank_account.masked_number if refund.bank_account else None

    def get_bank_name(self, refund) -> str | None:
        return refund.bank_account.bank_name if refund.bank_account else None

    def get_payment_method(self, refund) -> str | None:
        return _blank_to_none(refund.payment_method)

    def get_payment_reference_number(self, refund) -> str | None:
        return _blank_to_none(refund.payment_reference_number)


class OrderDetailOutput(OrderListOutput):
    subtotal = serializers.DecimalField(**MONEY)
    item_total_tax = serializers.DecimalField(**MONEY)
    subtotal_including_tax = serializers.DecimalField(**MONEY)
    shipping_amount = serializers.DecimalField(**MONEY)
    shipping_tax_amount = serializers.DecimalField(**MONEY)
    shipping_amount_including_tax = serializers.DecimalField(**MONEY)
    promotion_discount_amount = serializers.DecimalField(**MONEY)
    coupon_code = serializers.SerializerMethodField()
    coupon_discount_amount = serializers.DecimalField(**MONEY)
    total_savings = serializers.DecimalField(**MONEY)
    total_tax = serializers.DecimalField(**MONEY)
    billing_address = AddressSnapshotOutput()
    shipping_address = AddressSnapshotOutput()
    is_cancellation_allowed = serializers.SerializerMethodField()
    cancellation_refund_details = serializers.SerializerMethodField()
    cancellation_reason = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    shipments = ShipmentOutput(many=True)
    refunds = RefundOutput(many=True)

    class Meta(OrderListOutput.Meta):
        fields = OrderListOutput.Meta.fields + [
            "subtotal", "item_total_tax", "subtotal_including_tax", "shipping_amount",
            "shipping_tax_amount", "shipping_amount_including_tax", "promotion_discount_amount",
            "coupon_code", "coupon_discount_amount", "total_savings", "total_tax",
            "loyalty_points_earned", "loyalty_points_redeemed", "billing_address",
            "shipping_address", "is_cancellation_allowed", "cancellation_refund_details",
            "cancellation_reason", "feedback", "payments", "shipments", "refunds", "metadata",
        ]
        read_only_fields = fields

    def get_coupon_code(self, order) -> str | None:
        return _blank_to_none(order.coupon_code)

    def get_is_cancellation_allowed(self, order) -> bool:
        return services.is_cancellation_allowed(order)

    def get_cancellation_refund_details(self, order) -> CancellationRefundDetailsOutput(allow_null=True):
        if not services.is_cancellation_allowed(order):
            return None
        return CancellationRefundDetailsOutput(services.cancellation_refund_details(order)).data

    def get_cancellation_reason(self, order) -> str | None:
        return _blank_to_none(order.cancellation_reason)

    def get_feedback(self, order) -> str | None:
        return _blank_to_none(order.feedback)

    def get_payments(self, order) -> PaymentOutput(many=True):
        return payments_and_refunds(order)


_payment_row = _prepared(PaymentOutput)


def payments_and_refunds(order: Order) -> list[dict]:
    rows = sorted([*order.payments.all(), *order.refunds.all()], key=lambda r: (r.created_at, r.pk))
    return [_payment_row(row) for row in rows]


class PaymentStatusOutput(serializers.Serializer):
    status = serializers.CharField()
    amount_paid = serializers.DecimalField(**MONEY)
    amount_unpaid = serializers.DecimalField(**MONEY)
    is_retry_available = serializers.BooleanField()


class PaymentInfoOutput(serializers.Serializer):
    gateway = serializers.CharField()
    payment_url = serializers.CharField()
    request_number = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    expires_at = serializers.DateTimeField()


class ReturnItemOutput(serializers.Serializer):
    shipment_number = serializers.SerializerMethodField()
    product_id = serializers.CharField(source="order_item.product_ref")
    product_name = serializers.CharField(source="order_item.product_name")
    product_image_url = serializers.SerializerMethodField()
    variant_id = serializers.SerializerMethodField()
    variant_name = serializers.SerializerMethodField()
    quantity = serializers.IntegerField()
    return_reason = serializers.CharField(source="reason")
    resolution = serializers.CharField()

    def get_shipment_number(self, item) -> str | None:
        return item.shipment.reference_number if item.shipment else None

    def get_product_image_url(self, item) -> str | None:
        return _blank_to_none(item.order_item.product_image_url)

    def get_variant_id(self, item) -> str | None:
        return _blank_to_none(item.order_item.variant_id)

    def get_variant_name(self, item) -> str | None:
        return _blank_to_none(item.order_item.variant_name)


class ReturnOutput(serializers.ModelSerializer):
    items = ReturnItemOutput(many=True)
    order_number = serializers.CharField(source="order.number")

    class Meta:
        model = OrderReturn
        fields = [
            "request_number", "status", "items", "order_number", "created_at", "modified_at",
            "approved_at", "rejected_at", "received_at",
        ]
        read_only_fields = fields


class ReplacementOrderOutput(serializers.Serializer):
    order_number = serializers.CharField(source="number")
    order_date = serializers.DateTimeField()
    order_status = serializers.CharField(source="status")


class ReturnDetailOutput(ReturnOutput):
    refund = RefundOutput(source="refunds", many=True)
    replacement_order = ReplacementOrderOutput(allow_null=True)

    class Meta(ReturnOutput.Meta):
        fields = ReturnOutput.Meta.fields + ["refund", "replacement_order"]
        read_only_fields = fields


# --- inputs -------------------------------------------------------------------------------


class CancelInput(serializers.Serializer):
    cancellation_reason = serializers.CharField(max_length=500)
    refund_mode = serializers.ChoiceField(
        choices=["original-payment-mode", "bank-transfer", "original_payment_mode", "bank_transfer"],
        default="original-payment-mode",
    )
    bank_account_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=26)
    feedback = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=1000)


class RetryPaymentInput(serializers.Serializer):
    # The SDK sends a gateway-specific object here; a plain method name also works.
    payment_method = serializers.JSONField(required=False, allow_null=True)


class ReturnItemInput(serializers.Serializer):
    product_id = serializers.CharField(max_length=26)
    variant_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=26)
    sku = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=64)
    shipment_number = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=24)
    quantity = serializers.IntegerField(min_value=1, max_value=10000)
    resolution = serializers.ChoiceField(choices=Resolution.choices, required=False)
    return_reason = serializers.CharField(max_length=500)


class PickupAddressInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    phone = serializers.CharField(max_length=15)
    address_line1 = serializers.CharField(max_length=255)
    address_line2 = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    pincode = serializers.CharField(max_length=12)
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(max_length=100)
    country = serializers.CharField(required=False, max_length=100, default="India")


class ReturnInput(serializers.Serializer):
    """The contract's `return_items` shape, or the SDK's `requested_settlement` + `items`."""

    return_items = ReturnItemInput(many=True, required=False)
    items = ReturnItemInput(many=True, required=False)
    requested_settlement = serializers.ChoiceField(choices=Resolution.choices, required=False)
    shipping_address = PickupAddressInput(required=False, allow_null=True)

    def validate(self, attrs):
        lines = attrs.get("return_items") or attrs.get("items")
        if not lines:
            raise serializers.ValidationError({"return_items": ["Choose at least one item to return."]})
        default = attrs.get("requested_settlement")
        for index, line in enumerate(lines):
            line["resolution"] = line.get("resolution") or default
            if not line["resolution"]:
                raise serializers.ValidationError(
                    {f"return_items.{index}.resolution": ["Choose refund or replacement."]}
                )
        attrs["lines"] = lines
        return attrs


class ReturnCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- content wrappers (OpenAPI) -----------------------------------------------------------


class OrderListContent(serializers.Serializer):
    orders = OrderListOutput(many=True)
    pagination = PaginationOutput()


class OrderContent(serializers.Serializer):
    order = OrderDetailOutput()


class ShipmentsContent(serializers.Serializer):
    shipments = ShipmentOutput(many=True)


class PaymentsContent(serializers.Serializer):
    payments = PaymentOutput(many=True)


class RefundsContent(serializers.Serializer):
    refunds = RefundOutput(many=True)


class PaymentInfoContent(serializers.Serializer):
    payment_info = PaymentInfoOutput()


class ReturnContent(serializers.Serializer):
    order_return = ReturnDetailOutput()


class ReturnsContent(serializers.Serializer):
    returns = ReturnOutput(many=True)


class ReturnListContent(serializers.Serializer):
    returns = ReturnOutput(many=True)
    pagination = PaginationOutput()


# --- the lean read path of GET /orders ----------------------------------------------------
# The list is the busiest request: building model instances and a serializer object graph for
# 20 orders x items costs more than the SQL. These build the same JSON from the plain rows of
# orders.selectors.order_history_page; test_api.py checks they give exactly what
# OrderListOutput gives.

_ITEM_MONEY = ("listing_price", "selling_price", "selling_price_excluding_tax")
_ITEM_DISCOUNTS = ("promotion_discount_amount", "coupon_discount_amount")


def order_item_row(item: dict) -> dict:
    row = {
        "product_id": item["product_ref"],
        "product_name": item["product_name"],
        "product_image_url": item["product_image_url"] or None,
        "product_type": item["product_type"],
        "sku": item["sku"],
        "slug": item["slug"],
        "variant_id": item["variant_id"] or None,
        "variant_name": item["variant_name"] or None,
        "quantity": item["quantity"],
        "free_quantity": item["free_quantity"],
        "is_free_item": item["is_free_item"],
    }
    for name in _ITEM_MONEY:
        row[name] = float(item[name])
    row["price_including_tax"] = item["price_including_tax"]
    for name in _ITEM_DISCOUNTS:
        row[name] = float(item[name])
    row["tax_type"] = item["tax_type"]
    row["tax_rate"] = float(item["tax_rate"])
    row["tax_amount"] = float(item["tax_amount"])
    row["backorder"] = item["backorder"]
    row["on_promotion"] = item["on_promotion"]
    row["on_subscription"] = item["on_subscription"]
    return row


def order_list_row(order: dict) -> dict:
    return {
        "order_number": order["number"],
        "order_date": _dt(order["order_date"]),
        "status": order["status"],
        "payment_status": order["payment_status"],
        "payment_success_date": _dt(order["payment_success_date"]),
        "has_refund": order["has_refund"],
        "on_subscription": order["on_subscription"],
        "grand_total": float(order["grand_total"]),
        "loyalty_point_redeemed": order["loyalty_points_redeemed"],
        "loyalty_point_earned": order["loyalty_points_earned"],
        "credit_balance_used": float(order["credit_balance_used"]),
        "to_be_paid": float(order["to_be_paid"]),
        "order_items_count": order["order_items_count"],
        "order_items": [order_item_row(item) for item in order["items"]],
        "customer_note": order["customer_note"] or None,
        "currency": {"name": order["currency_name"], "code": order["currency_code"],
                     "symbol": order["currency_symbol"]},
        "created_at": _dt(order["created_at"]),
        "modified_at": _dt(order["modified_at"]),
    }


_address_row = _prepared(AddressSnapshotOutput)
_cancellation_refund_row = _prepared(CancellationRefundDetailsOutput)


def shipment_row(shipment: Shipment) -> dict:
    items = list(shipment.items.all())
    return {
        "reference_number": shipment.reference_number,
        "status": shipment.status,
        "shipment_items": [
            {
                "product_id": si.order_item.product_ref,
                "product_name": si.order_item.product_name,
                "product_image_url": si.order_item.product_image_url or None,
                "variant_id": si.order_item.variant_id or None,
                "variant_name": si.order_item.variant_name or None,
                "sku": si.order_item.sku,
                "quantity": si.quantity,
            }
            for si in items
        ],
        "shipment_items_count": len(items),
        "courier_company_name": shipment.courier_company_name,
        "awb_no": shipment.awb_no,
        "tracking_url": shipment.tracking_url,
        "eta_delivery": _dt(shipment.eta_delivery),
        "shipped_date": _dt(shipment.shipped_date),
        "delivered_date": _dt(shipment.delivered_date),
        "is_return_allowed": services.is_shipment_returnable(shipment),
        "shipping_amount": float(shipment.shipping_amount),
        "created_at": _dt(shipment.created_at),
        "modified_at": _dt(shipment.modified_at),
    }


def refund_row(refund: Refund) -> dict:
    account = refund.bank_account
    return {
        "request_number": refund.request_number,
        "refund_amount": float(refund.amount),
        "refund_date": _dt(refund.refund_date),
        "status": refund.status,
        "payment_mode": refund.payment_mode,
        "payment_method": refund.payment_method or None,
        "payment_reference_number": refund.payment_reference_number or None,
        "bank_account_number": account.masked_number if account else None,
        "bank_name": account.bank_name if account else None,
        "refund_remarks": refund.remarks,
    }


def order_detail_row(order: Order) -> dict:
    """GET /orders/{n} without the serializer graph; equal to OrderDetailOutput (tested)."""
    items = list(order.items.all())
    row = {
        "order_number": order.number,
        "order_date": _dt(order.order_date),
        "status": order.status,
        "payment_status": order.payment_status,
        "payment_success_date": _dt(order.payment_success_date),
        "has_refund": order.has_refund,
        "on_subscription": order.on_subscription,
        "grand_total": float(order.grand_total),
        "loyalty_point_redeemed": order.loyalty_points_redeemed,
        "loyalty_point_earned": order.loyalty_points_earned,
        "credit_balance_used": float(order.credit_balance_used),
        "to_be_paid": float(order.to_be_paid),
        "order_items_count": order.order_items_count,
        "order_items": [order_item_row({name: getattr(item, name) for name in ORDER_ITEM_LIST_COLUMNS})
                        for item in items],
        "customer_note": order.customer_note or None,
        "currency": order.currency,
        "created_at": _dt(order.created_at),
        "modified_at": _dt(order.modified_at),
    }
    for name in ("subtotal", "item_total_tax", "subtotal_including_tax", "shipping_amount", "shipping_tax_amount",
                 "shipping_amount_including_tax", "promotion_discount_amount"):
        row[name] = float(getattr(order, name))
    row["coupon_code"] = order.coupon_code or None
    for name in ("coupon_discount_amount", "total_savings", "total_tax"):
        row[name] = float(getattr(order, name))
    cancellable = services.is_cancellation_allowed(order)
    row.update(
        loyalty_points_earned=order.loyalty_points_earned,
        loyalty_points_redeemed=order.loyalty_points_redeemed,
        billing_address=_address_row(order.billing_address),
        shipping_address=_address_row(order.shipping_address),
        is_cancellation_allowed=cancellable,
        cancellation_refund_details=(
            _cancellation_refund_row(services.cancellation_refund_details(order)) if cancellable else None
        ),
        cancellation_reason=order.cancellation_reason or None,
        feedback=order.feedback or None,
        payments=payments_and_refunds(order),
        shipments=[shipment_row(s) for s in order.shipments.all()],
        refunds=[refund_row(r) for r in order.refunds.all()],
        metadata=order.metadata,
    )
    return row
