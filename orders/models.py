"""Orders and everything that happens to them after placement.

Items and addresses are snapshots taken at placement: later edits of the catalog or of the
address book never change a past order. Status fields only change through `orders.services`,
where `orders.lifecycle` allows it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from catalog.models import TAX_RATE
from common.models import BaseModel

ZERO = Decimal("0.00")


def money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, **kwargs)


class OrderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("order status", "Draft")
    PENDING = "pending", pgettext_lazy("order status", "Pending")
    AWAITING_APPROVAL = "awaiting_approval", pgettext_lazy("order status", "Awaiting approval")
    CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
    PARTIALLY_SCHEDULED = "partially_scheduled", pgettext_lazy("order status", "Partially scheduled")
    AWAITING_SHIPMENT = "awaiting_shipment", pgettext_lazy("order status", "Awaiting shipment")
    PARTIALLY_SHIPPED = "partially_shipped", pgettext_lazy("order status", "Partially shipped")
    SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
    PARTIALLY_DELIVERED = "partially_delivered", pgettext_lazy("order status", "Partially delivered")
    DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
    UNDELIVERED = "undelivered", pgettext_lazy("order status", "Undelivered")
    PARTIALLY_UNDELIVERED = "partially_undelivered", pgettext_lazy("order status", "Partially undelivered")
    RETURN_TO_ORIGIN = "return_to_origin", pgettext_lazy("order status", "Return to origin")
    PARTIALLY_RETURN_TO_ORIGIN = (
        "partially_return_to_origin",
        pgettext_lazy("order status", "Partially return to origin"),
    )
    COMPLETE = "complete", pgettext_lazy("order status", "Complete")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("payment status", "Pending")
    SUCCESS = "success", pgettext_lazy("payment status", "Success")
    FAILED = "failed", pgettext_lazy("payment status", "Failed")
    PARTIALLY_PAID = "partially_paid", pgettext_lazy("payment status", "Partially paid")


class Order(BaseModel):
    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=32, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    payment_status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    order_date = models.DateTimeField()
    currency_code = models.CharField(max_length=3, default="INR")
    currency_name = models.CharField(max_length=40, default="Indian Rupee")
    currency_symbol = models.CharField(max_length=4, default="₹")
    customer_note = models.CharField(max_length=500, blank=True)

    subtotal = money()  # items excluding tax
    item_total_tax = money()
    subtotal_including_tax = money()
    shipping_amount = money()  # excluding tax
    shipping_tax_amount = money()
    shipping_amount_including_tax = money()
    promotion_discount_amount = money()
    coupon_code = models.CharField(max_length=40, blank=True)
    coupon_discount_amount = money()
    total_savings = money()
    total_tax = money()
    grand_total = money()
    loyalty_points_redeemed = models.PositiveIntegerField(default=0)
    loyalty_points_earned = models.PositiveIntegerField(default=0)
    credit_balance_used = money()
    to_be_paid = money()  # what payments must cover: grand total less points and credit
    amount_paid = money()
    payment_success_date = models.DateTimeField(null=True, blank=True)
    has_refund = models.BooleanField(default=False)
    on_subscription = models.BooleanField(default=False)
    order_items_count = models.PositiveIntegerField(default=0)

    billing_address = models.JSONField(default=dict)
    shipping_address = models.JSONField(default=dict)
    cancellation_reason = models.CharField(max_length=500, blank=True)
    feedback = models.CharField(max_length=1000, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    replacement_for = models.ForeignKey(
        "OrderReturn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        permissions = [
            ("run_order_actions", "Can confirm, ship, deliver, complete and cancel orders"),
            ("record_payments", "Can record payment outcomes"),
        ]
        # The order history's paths: newest first (the id breaks ties), filtered by status or not.
        indexes = [
            models.Index(fields=["customer", "-order_date", "-id"], name="orders_customer_date_idx"),
            models.Index(fields=["customer", "status", "-order_date", "-id"], name="orders_customer_status_idx"),
            models.Index(fields=["customer", "-grand_total", "-id"], name="orders_customer_total_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(grand_total__gte=0), name="orders_grand_total_positive"),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="orders_amount_paid_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def currency(self) -> dict:
        return {"name": self.currency_name, "code": self.currency_code, "symbol": self.currency_symbol}


class OrderItem(BaseModel):
    """A line of an order: a snapshot of the product and its prices at order time."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    product_ref = models.CharField(max_length=26)  # the product id, kept if the product goes away
    product_name = models.CharField(max_length=200)
    product_image_url = models.CharField(max_length=500, blank=True)
    product_type = models.CharField(max_length=10, default="physical")
    sku = models.CharField(max_length=64)
    slug = models.CharField(max_length=200)
    variant_id = models.CharField(max_length=26, blank=True)
    variant_name = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField()
    free_quantity = models.PositiveIntegerField(default=0)
    is_free_item = models.BooleanField(default=False)
    listing_price = money()  # per unit, including tax
    selling_price = money()  # per unit, including tax
    selling_price_excluding_tax = money()  # per unit
    price_including_tax = models.BooleanField(default=True)
    promotion_discount_amount = money()
    coupon_discount_amount = money()
    tax_type = models.CharField(max_length=8, default="GST")
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=TAX_RATE)
    tax_amount = money()  # for the line
    backorder = models.BooleanField(default=False)
    on_promotion = models.BooleanField(default=False)
    on_subscription = models.BooleanField(default=False)
    created_at = None  # a line is part of its order, and has the order's times
    modified_at = None

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_item_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"

    @property
    def line_total(self) -> Decimal:
        return self.selling_price * self.quantity - self.promotion_discount_amount - self.coupon_discount_amount


class ShipmentStatus(models.TextChoices):
    UNSCHEDULED = "unscheduled", pgettext_lazy("shipment status", "Unscheduled")
    SCHEDULE_REQUESTED = "schedule_requested", pgettext_lazy("shipment status", "Schedule requested")
    SCHEDULED = "scheduled", pgettext_lazy("shipment status", "Scheduled")
    PACKED = "packed", pgettext_lazy("shipment status", "Packed")
    SHIPPED = "shipped", pgettext_lazy("shipment status", "Shipped")
    IN_TRANSIT = "in_transit", pgettext_lazy("shipment status", "In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", pgettext_lazy("shipment status", "Out for delivery")
    DELIVERY_ATTEMPTED = "delivery_attempted", pgettext_lazy("shipment status", "Delivery attempted")
    UNDELIVERED = "undelivered", pgettext_lazy("shipment status", "Undelivered")
    RETURN_TO_ORIGIN = "return_to_origin", pgettext_lazy("shipment status", "Return to origin")
    DELIVERED = "delivered", pgettext_lazy("shipment status", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("shipment status", "Cancelled")
    LOST = "lost", pgettext_lazy("shipment status", "Lost")


class Shipment(BaseModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    reference_number = models.CharField(max_length=24, unique=True)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.SHIPPED)
    courier_company_name = models.CharField(max_length=100, blank=True)
    awb_no = models.CharField(max_length=64, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)
    eta_delivery = models.DateTimeField(null=True, blank=True)
    shipped_date = models.DateTimeField(null=True, blank=True)
    delivered_date = models.DateTimeField(null=True, blank=True)
    shipping_amount = money()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reference_number


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="shipment_items")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_shipment_item_quantity_positive"),
            models.UniqueConstraint(fields=["shipment", "order_item"], name="orders_shipment_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × item {self.order_item_id}"


class PaymentMethod(models.TextChoices):
    CARD = "card", pgettext_lazy("payment method", "Card")
    UPI = "upi", pgettext_lazy("payment method", "UPI")
    NETBANKING = "netbanking", pgettext_lazy("payment method", "Net banking")
    WALLET = "wallet", pgettext_lazy("payment method", "Wallet")
    BANK_TRANSFER = "bank_transfer", pgettext_lazy("payment method", "Bank transfer")


class AttemptStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("payment status", "Pending")
    SUCCESS = "success", pgettext_lazy("payment status", "Success")
    FAILED = "failed", pgettext_lazy("payment status", "Failed")


class Payment(BaseModel):
    """One payment attempt of an order (a retry is a new attempt)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    request_number = models.CharField(max_length=24, unique=True)
    amount = money()
    status = models.CharField(max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.PENDING)
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    gateway = models.CharField(max_length=30, default="test")
    # The gateway's own id of this attempt (a Razorpay order id), which its events name.
    gateway_order_id = models.CharField(max_length=64, blank=True, db_index=True)
    payment_reference_number = models.CharField(max_length=64, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    card_type = models.CharField(max_length=20, blank=True)
    upi_id = models.CharField(max_length=100, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    wallet_name = models.CharField(max_length=50, blank=True)
    bank_account_last4 = models.CharField(max_length=4, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    payment_date = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="orders_payment_amount_positive")]
        # The beat job's expiry scan (payments_expire) reads only pending attempts, a few among
        # every attempt ever made: a partial index keeps it small and the scan cheap.
        indexes = [
            models.Index(
                fields=["expires_at"], condition=Q(status=AttemptStatus.PENDING), name="orders_payment_pending_exp_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.request_number


class GatewayEvent(models.Model):
    """A payment gateway's event (webhook) already applied: a replay of its id changes nothing."""

    gateway = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=60)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="orders_gateway_event_once")]

    def __str__(self) -> str:
        return f"{self.gateway} {self.kind} {self.event_id}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("refund status", "Pending")
    APPROVED = "approved", pgettext_lazy("refund status", "Approved")
    SUCCESS = "success", pgettext_lazy("refund status", "Success")
    FAILED = "failed", pgettext_lazy("refund status", "Failed")


class RefundMode(models.TextChoices):
    ORIGINAL_PAYMENT_MODE = "original-payment-mode", pgettext_lazy("refund to", "Original payment mode")
    BANK_TRANSFER = "bank-transfer", pgettext_lazy("refund to", "Bank transfer")
    LOYALTY_POINT = "loyalty-point", pgettext_lazy("refund to", "Loyalty points")


class Refund(BaseModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    order_return = models.ForeignKey(
        "OrderReturn", null=True, blank=True, on_delete=models.SET_NULL, related_name="refunds"
    )
    request_number = models.CharField(max_length=24, unique=True)
    amount = money()
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    payment_mode = models.CharField(max_length=24, choices=RefundMode.choices)
    payment_method = models.CharField(max_length=16, blank=True)
    payment_reference_number = models.CharField(max_length=64, blank=True)
    bank_account = models.ForeignKey(
        "customers.BankAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    refund_date = models.DateTimeField(null=True, blank=True)
    remarks = models.CharField(max_length=500, blank=True)
    # A refund to the original payment through a gateway that refunds (Razorpay): the gateway,
    # the gateway's payment it goes back to, and how many times it was refused (its sends'
    # idempotency key ends with this number, so a refused refund tried again is a new one).
    gateway = models.CharField(max_length=30, blank=True)
    gateway_payment_id = models.CharField(max_length=64, blank=True)
    gateway_attempt = models.PositiveSmallIntegerField(default=0)

    class Meta:
        permissions = [("act_on_refunds", "Can issue refunds and record their outcome")]
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="orders_refund_amount_positive")]

    def __str__(self) -> str:
        return self.request_number


class ReturnStatus(models.TextChoices):
    """A return's status, labelled as shoppers say it: the website and the admin both show these
    labels (the API keeps the values)."""

    CREATED = "created", pgettext_lazy("return status", "Requested")
    APPROVED = "approved", pgettext_lazy("return status", "Approved")
    REJECTED = "rejected", pgettext_lazy("return status", "Rejected")
    COMPLETE = "complete", pgettext_lazy("return status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("return status", "Cancelled")


class Resolution(models.TextChoices):
    REFUND = "refund", pgettext_lazy("return resolution", "Refund")
    REPLACEMENT = "replacement", pgettext_lazy("return resolution", "Replacement")


class OrderReturn(BaseModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    request_number = models.CharField(max_length=24, unique=True)
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.CREATED)
    pickup_address = models.JSONField(null=True, blank=True)
    # What the shopper added in their own words (the reason itself is each item's, from a list).
    comment = models.TextField(blank=True, default="")
    rejection_reason = models.CharField(max_length=500, blank=True)
    cancellation_reason = models.CharField(max_length=500, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    replacement_order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        permissions = [("act_on_returns", "Can approve, reject, receive and complete returns")]
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["order", "status"])]

    def __str__(self) -> str:
        return self.request_number


class ReturnItem(models.Model):
    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="return_items")
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quantity = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    resolution = models.CharField(max_length=12, choices=Resolution.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_return_item_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_item.product_name}: {self.reason}"


class ReturnAttachment(models.Model):
    """A photo the shopper sent with a return: a clean re-encoded copy (common.images), 1-3 each.

    `customer` is the shopper's (a cascading link): that makes the file theirs for erasure
    (accounts.erasure.user_file_fields finds and deletes it; the order's own link is PROTECT)."""

    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="attachments")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    image = models.ImageField(upload_to="return-photos/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.image.name
