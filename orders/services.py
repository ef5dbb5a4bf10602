"""Order writes: placement and the whole life after it.

Every action locks the order row (`_lock`), checks the state machine (`_require`) and only then
writes, all in one transaction: an illegal transition raises and saves nothing, and two
concurrent requests on one order run one after the other. Side effects on other apps (loyalty
points) are called here, inside the same transaction.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from catalog.models import Product
from common.exceptions import DomainError, InvalidInput, NotFound
from customers.models import Address, BankAccount
from loyalty import services as loyalty
from reviews.services import received_products_refresh

from .gateways import gateway_available, gateway_get
from .models import (
    CANCELLABLE_STATUSES,
    RETURN_HOLDING_STATUSES,
    RETURNABLE_STATUSES,
    ZERO,
    AttemptStatus,
    Order,
    OrderItem,
    OrderReturn,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundMode,
    RefundStatus,
    Resolution,
    ReturnItem,
    ReturnStatus,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
)
from .numbers import new_number

CENT = Decimal("0.01")
ADDRESS_SNAPSHOT_FIELDS = (
    "id", "first_name", "last_name", "country_code", "phone", "email", "address_line1",
    "address_line2", "landmark", "pincode", "city", "state", "country",
    "tax_identification_number", "business_name", "is_default_billing", "is_default_shipping",
    "is_phone_verified", "is_email_verified", "nickname",
)


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _point_value() -> Decimal:
    return Decimal(settings.LOYALTY_POINT_VALUE)


def address_snapshot(address: Address | None) -> dict:
    """A frozen copy of an address book entry, as the order will show it forever."""
    if address is None:
        return {}
    return {name: getattr(address, name) for name in ADDRESS_SNAPSHOT_FIELDS}


def _create_with_number(model, prefix: str, **fields):
    """Create a row with a fresh reference number, trying again on the rare collision."""
    number_field = {Order: "number", Shipment: "reference_number"}.get(model, "request_number")
    for _ in range(5):
        try:
            with transaction.atomic():
                return model.objects.create(**{number_field: new_number(prefix)}, **fields)
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not allocate a {prefix} number")


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _require(order: Order, allowed, *, code: str, message: str) -> None:
    if order.status not in allowed:
        raise DomainError(message, code=code, status=order.status)


# --- placement ----------------------------------------------------------------------------


@dataclass
class OrderLine:
    product: Product
    quantity: int
    free_quantity: int = 0


@dataclass
class Placement:
    """What the checkout hands over. Totals are computed here, never typed in."""

    customer: object
    lines: list[OrderLine]
    billing_address: Address
    shipping_address: Address | None = None
    shipping_amount_including_tax: Decimal = ZERO
    coupon_code: str = ""
    coupon_discount_amount: Decimal = ZERO
    loyalty_points_redeemed: int = 0
    payment_method: str = PaymentMethod.CARD
    payment_details: dict = field(default_factory=dict)
    payment_outcome: str = "success"  # what the checkout's payment attempt gave
    customer_note: str = ""
    order_date: datetime | None = None
    tax_rate: Decimal = Decimal("18.00")
    on_subscription: bool = False
    free_items: bool = False  # a replacement: the items cost nothing


def _excluding_tax(amount: Decimal, rate: Decimal) -> Decimal:
    return _money(amount / (1 + rate / 100))


@transaction.atomic
def order_place(placement: Placement) -> Order:
    """Build an order with items, address snapshots, totals and its first payment attempt."""
    p = placement
    if not p.lines:
        raise InvalidInput.for_field("lines", "An order needs at least one item.")
    for address in (p.billing_address, p.shipping_address):
        if address is not None and address.customer_id != p.customer.pk:
            raise InvalidInput.for_field("address", "Use an address of this customer.")
    rate = Decimal(p.tax_rate)
    now = p.order_date or timezone.now()

    items = []
    for line in p.lines:
        if line.quantity <= 0:
            raise InvalidInput.for_field("quantity", "Quantities must be at least 1.")
        product = line.product
        selling = ZERO if p.free_items else _money(product.selling_price)
        excluding = _excluding_tax(selling, rate)
        items.append(
            OrderItem(
                product=product,
                product_ref=product.pk,
                product_name=product.name,
                product_image_url=product.image_url or "",
                product_type=product.product_type,
                sku=product.sku,
                slug=product.slug,
                quantity=line.quantity,
                free_quantity=line.free_quantity,
                is_free_item=p.free_items,
                listing_price=_money(product.listing_price),
                selling_price=selling,
                selling_price_excluding_tax=excluding,
                tax_rate=rate,
                tax_amount=_money(selling * line.quantity - excluding * line.quantity),
                on_promotion=selling < product.listing_price,
                on_subscription=p.on_subscription,
            )
        )

    subtotal = sum((i.selling_price_excluding_tax * i.quantity for i in items), ZERO)
    item_tax = sum((i.tax_amount for i in items), ZERO)
    subtotal_incl = subtotal + item_tax
    shipping_incl = _money(p.shipping_amount_including_tax)
    shipping_excl = _excluding_tax(shipping_incl, rate)
    coupon = min(_money(p.coupon_discount_amount), subtotal_incl)
    grand_total = subtotal_incl + shipping_incl - coupon
    points_value = _money(p.loyalty_points_redeemed * _point_value())
    if points_value > grand_total:
        raise InvalidInput.for_field("loyalty_points_redeemed", "More points than the order is worth.")
    to_be_paid = grand_total - points_value
    savings = sum(((i.listing_price - i.selling_price) * i.quantity for i in items), ZERO) + coupon

    order = _create_with_number(
        Order,
        "ORD",
        customer=p.customer,
        status=OrderStatus.PENDING,
        payment_status=PaymentStatus.PENDING,
        order_date=now,
        customer_note=p.customer_note,
        subtotal=subtotal,
        item_total_tax=item_tax,
        subtotal_including_tax=subtotal_incl,
        shipping_amount=shipping_excl,
        shipping_tax_amount=shipping_incl - shipping_excl,
        shipping_amount_including_tax=shipping_incl,
        coupon_code=p.coupon_code,
        coupon_discount_amount=coupon,
        total_savings=savings,
        total_tax=item_tax + shipping_incl - shipping_excl,
        grand_total=grand_total,
        loyalty_points_redeemed=p.loyalty_points_redeemed,
        to_be_paid=to_be_paid,
        on_subscription=p.on_subscription,
        order_items_count=len(items),
        billing_address=address_snapshot(p.billing_address),
        shipping_address=address_snapshot(p.shipping_address or p.billing_address),
    )
    for item in items:
        item.order = order
    OrderItem.objects.bulk_create(items)

    if p.loyalty_points_redeemed:
        loyalty.points_redeem(
            customer=p.customer, points=p.loyalty_points_redeemed, order_number=order.number
        )

    if to_be_paid == 0:
        order.payment_status = PaymentStatus.SUCCESS
        order.payment_success_date = now
        order.status = OrderStatus.CONFIRMED
        order.save(update_fields=["payment_status", "payment_success_date", "status", "modified_at"])
        return order

    payment = _create_with_number(
        Payment,
        "PAY",
        order=order,
        amount=to_be_paid,
        payment_method=p.payment_method,
        expires_at=now + timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES),
        **_payment_details(p.payment_method, p.payment_details),
    )
    if p.payment_outcome == "success":
        _settle_payment(order, payment, succeeded=True, reference=f"TXN{payment.request_number[4:]}", at=now)
    elif p.payment_outcome == "failed":
        _settle_payment(order, payment, succeeded=False, reason="Declined by the bank", at=now)
    return order


def _payment_details(method: str, details: dict) -> dict:
    allowed = {
        PaymentMethod.CARD: ("card_last4", "card_type"),
        PaymentMethod.UPI: ("upi_id",),
        PaymentMethod.NETBANKING: ("bank_name",),
        PaymentMethod.WALLET: ("wallet_name",),
        PaymentMethod.BANK_TRANSFER: ("bank_account_last4", "bank_name"),
    }[PaymentMethod(method)]
    return {k: v for k, v in details.items() if k in allowed}


# --- payments -----------------------------------------------------------------------------


def _settle_payment(order: Order, payment: Payment, *, succeeded: bool, reference: str = "",
                    reason: str = "", at: datetime | None = None) -> None:
    """Record an attempt's outcome on the attempt and the order (both rows held by the caller)."""
    at = at or timezone.now()
    if succeeded:
        payment.status, payment.payment_reference_number, payment.payment_date = (
            AttemptStatus.SUCCESS, reference, at,
        )
        order.amount_paid += payment.amount
        order.payment_status = (
            PaymentStatus.SUCCESS if order.amount_paid >= order.to_be_paid else PaymentStatus.PARTIALLY_PAID
        )
        order.payment_success_date = at
        if order.status in (OrderStatus.PENDING, OrderStatus.AWAITING_APPROVAL) and order.payment_status == PaymentStatus.SUCCESS:
            order.status = OrderStatus.CONFIRMED
    else:
        payment.status, payment.failure_reason, payment.payment_date = AttemptStatus.FAILED, reason, at
        if order.amount_paid == 0:
            order.payment_status = PaymentStatus.FAILED
    payment.save()
    order.save(update_fields=["amount_paid", "payment_status", "payment_success_date", "status", "modified_at"])


def payment_latest(order: Order) -> Payment | None:
    payments = list(order.payments.all())  # uses a prefetch when there is one
    return max(payments, key=lambda p: (p.created_at, p.pk)) if payments else None


def is_retry_available(order: Order, *, now: datetime | None = None) -> bool:
    """The last attempt failed (or ran out of time), on an order still waiting for its money, and
    the shop has a gateway to send the shopper to."""
    now = now or timezone.now()
    if order.status != OrderStatus.PENDING or order.payment_status != PaymentStatus.FAILED:
        return False
    if not gateway_available():
        return False
    if order.order_date < now - timedelta(hours=settings.PAYMENT_RETRY_HOURS):
        return False
    latest = payment_latest(order)
    if latest is None:
        return True
    return latest.status == AttemptStatus.FAILED or (
        latest.status == AttemptStatus.PENDING and latest.expires_at is not None and latest.expires_at < now
    )


@transaction.atomic
def payment_retry(*, order: Order, payment_method: str | None = None, request=None) -> dict:
    """Start a new payment attempt through the gateway; answers where to send the shopper."""
    order = _lock(order)
    if not is_retry_available(order):
        raise DomainError("This order's payment cannot be retried.", code="retry_not_available")
    latest = payment_latest(order)
    method = payment_method or (latest.payment_method if latest else PaymentMethod.CARD)
    if method not in PaymentMethod.values:
        raise InvalidInput.for_field("payment_method", f"Choose one of: {', '.join(PaymentMethod.values)}.")
    if latest is not None and latest.status == AttemptStatus.PENDING:
        _settle_payment(order, latest, succeeded=False, reason="Expired")
    gateway = gateway_get()
    payment = _create_with_number(
        Payment,
        "PAY",
        order=order,
        amount=order.to_be_paid - order.amount_paid,
        payment_method=method,
        gateway=gateway.name,
        expires_at=timezone.now() + timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES),
    )
    start = gateway.start(payment, request=request)
    return {
        "gateway": start.gateway,
        "payment_url": start.payment_url,
        "request_number": payment.request_number,
        "amount": payment.amount,
        "expires_at": start.expires_at,
    }


def payment_callback(*, data, gateway_name: str | None = None) -> Payment:
    """A gateway reports the outcome of one of its own attempts; each attempt is settled once
    (replays refused)."""
    gateway = gateway_get(gateway_name)
    outcome = gateway.verify_callback(data)
    with transaction.atomic():
        # Only the gateway that started an attempt can vouch for it: another gateway's callback
        # (the test gateway's, say, for a real gateway's attempt) finds nothing.
        payment = (
            Payment.objects.select_for_update()
            .filter(request_number=outcome.request_number, gateway=gateway.name)
            .first()
        )
        if payment is None:
            raise NotFound("Unknown payment attempt.")
        order = _lock(payment.order)
        if payment.status != AttemptStatus.PENDING:
            raise DomainError("This payment attempt is already settled.", code="payment_already_settled")
        if payment.expires_at and payment.expires_at < timezone.now():
            _settle_payment(order, payment, succeeded=False, reason="Expired")
            return payment
        _settle_payment(
            order, payment, succeeded=outcome.succeeded, reference=outcome.reference,
            reason="" if outcome.succeeded else "Declined at the gateway",
        )
    return payment


# --- fulfilment ---------------------------------------------------------------------------


@transaction.atomic
def order_confirm(*, order: Order) -> Order:
    order = _lock(order)
    _require(order, (OrderStatus.PENDING, OrderStatus.AWAITING_APPROVAL), code="invalid_transition",
             message="Only a pending order can be confirmed.")
    if order.payment_status != PaymentStatus.SUCCESS:
        raise DomainError("The order is not paid yet.", code="not_paid")
    order.status = OrderStatus.CONFIRMED
    order.save(update_fields=["status", "modified_at"])
    return order


def _shipped_quantities(order: Order) -> dict[str, int]:
    rows = (
        ShipmentItem.objects.filter(shipment__order=order)
        .exclude(shipment__status=ShipmentStatus.CANCELLED)
        .values("order_item_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_item_id"]: row["total"] for row in rows}


@transaction.atomic
def shipment_create(
    *,
    order: Order,
    items: list[tuple[OrderItem, int]] | None = None,
    courier_company_name: str = "",
    awb_no: str = "",
    tracking_url: str = "",
    eta_delivery: datetime | None = None,
    shipping_amount: Decimal = ZERO,
    shipped_at: datetime | None = None,
) -> Shipment:
    """Ship some (or all remaining) items; the order becomes partially shipped or shipped."""
    order = _lock(order)
    _require(
        order,
        (OrderStatus.CONFIRMED, OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SCHEDULED,
         OrderStatus.PARTIALLY_SHIPPED, OrderStatus.PARTIALLY_DELIVERED),
        code="invalid_transition",
        message="Only a confirmed order can be shipped.",
    )
    shipped = _shipped_quantities(order)
    order_items = {item.pk: item for item in order.items.all()}
    remaining = {pk: item.quantity - shipped.get(pk, 0) for pk, item in order_items.items()}
    wanted = items if items is not None else [(order_items[pk], q) for pk, q in remaining.items() if q > 0]
    if not wanted:
        raise DomainError("Everything in this order has shipped already.", code="nothing_to_ship")
    for item, quantity in wanted:
        if item.pk not in order_items:
            raise InvalidInput.for_field("items", "An item is not part of this order.")
        if quantity <= 0 or quantity > remaining[item.pk]:
            raise InvalidInput.for_field("items", f"At most {remaining[item.pk]} of {item.product_name} can ship.")
    shipment = _create_with_number(
        Shipment, "SHP", order=order, status=ShipmentStatus.SHIPPED, courier_company_name=courier_company_name,
        awb_no=awb_no, tracking_url=tracking_url, eta_delivery=eta_delivery, shipped_date=shipped_at or timezone.now(),
        shipping_amount=shipping_amount,
    )
    ShipmentItem.objects.bulk_create(
        [ShipmentItem(shipment=shipment, order_item=item, quantity=q) for item, q in wanted]
    )
    for item, quantity in wanted:
        remaining[item.pk] -= quantity
    everything_shipped = all(q == 0 for q in remaining.values())
    if order.status != OrderStatus.PARTIALLY_DELIVERED:
        order.status = OrderStatus.SHIPPED if everything_shipped else OrderStatus.PARTIALLY_SHIPPED
    order.save(update_fields=["status", "modified_at"])
    return shipment


@transaction.atomic
def shipment_deliver(*, shipment: Shipment, delivered_at: datetime | None = None) -> Shipment:
    """Mark a shipment delivered; the order is delivered once everything has arrived."""
    order = _lock(shipment.order)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status not in (ShipmentStatus.SHIPPED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY,
                               ShipmentStatus.DELIVERY_ATTEMPTED):
        raise DomainError("Only a shipment on its way can be delivered.", code="invalid_transition",
                          status=shipment.status)
    at = delivered_at or timezone.now()
    shipment.status, shipment.delivered_date = ShipmentStatus.DELIVERED, at
    shipment.save(update_fields=["status", "delivered_date", "modified_at"])
    shipped = _shipped_quantities(order)
    everything_shipped = all(shipped.get(i.pk, 0) >= i.quantity for i in order.items.all())
    undelivered = order.shipments.exclude(status__in=[ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED]).exists()
    order.status = (
        OrderStatus.DELIVERED if everything_shipped and not undelivered else OrderStatus.PARTIALLY_DELIVERED
    )
    order.delivered_at = at
    order.save(update_fields=["status", "delivered_at", "modified_at"])
    if order.status == OrderStatus.DELIVERED:  # a partial delivery is not yet received
        _received_changed(order, [item.product_id for item in order.items.all()])
    return shipment


def _received_changed(order: Order, product_ids) -> None:
    """What the shopper received and kept changed: refresh their products waiting for a review."""
    received_products_refresh(customer_id=order.customer_id, product_ids=[p for p in product_ids if p])


def return_window_closes(order: Order) -> datetime | None:
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS)


def _money_paid_share(order: Order) -> Decimal:
    """The part of each unit of value that was paid in money (the rest in points)."""
    return order.to_be_paid / order.grand_total if order.grand_total else ZERO


@transaction.atomic
def order_complete(*, order: Order) -> Order:
    """Close a delivered order; it earns loyalty points, pending until the return window ends."""
    order = _lock(order)
    _require(order, (OrderStatus.DELIVERED,), code="invalid_transition",
             message="Only a delivered order can be completed.")
    refunded = order.refunds.exclude(status=RefundStatus.FAILED).aggregate(s=Sum("amount"))["s"] or ZERO
    spend = max(ZERO, order.amount_paid - refunded)
    entry = loyalty.points_award(
        customer=order.customer, order_number=order.number, amount=spend,
        savings=order.total_savings, clears_at=return_window_closes(order),
    )
    order.status, order.completed_at = OrderStatus.COMPLETE, timezone.now()
    order.loyalty_points_earned = entry.points
    order.save(update_fields=["status", "completed_at", "loyalty_points_earned", "modified_at"])
    return order


# --- cancellation -------------------------------------------------------------------------


def is_cancellation_allowed(order: Order) -> bool:
    """Before anything has shipped (uses prefetched shipments when present)."""
    return order.status in CANCELLABLE_STATUSES and not any(
        s.status != ShipmentStatus.CANCELLED for s in order.shipments.all()
    )


def _refunded_total(order: Order) -> Decimal:
    return sum((r.amount for r in order.refunds.all() if r.status != RefundStatus.FAILED), ZERO)


def cancellation_refund_details(order: Order) -> dict:
    """What cancelling now would give back (shown before the shopper confirms)."""
    latest_paid = next(
        (p for p in sorted(order.payments.all(), key=lambda p: p.created_at, reverse=True)
         if p.status == AttemptStatus.SUCCESS),
        None,
    )
    return {
        "loyalty_point": order.loyalty_points_redeemed,
        "refundable_amount": max(ZERO, order.amount_paid - _refunded_total(order)),
        "cancellation_charges": ZERO,
        "cancellation_charges_reason": None,
        "payment_mode": latest_paid.payment_method if latest_paid else None,
    }


def normalize_refund_mode(value: str) -> str:
    value = (value or "").strip().lower().replace("_", "-")
    if value not in (RefundMode.ORIGINAL_PAYMENT_MODE, RefundMode.BANK_TRANSFER):
        raise InvalidInput.for_field("refund_mode", "Choose original-payment-mode or bank-transfer.")
    return value


def _bank_account_for_refund(order: Order, refund_mode: str, bank_account_id: str | None) -> BankAccount | None:
    if refund_mode != RefundMode.BANK_TRANSFER:
        return None
    if not bank_account_id:
        raise InvalidInput.for_field("bank_account_id", "Choose the bank account for the refund.")
    account = BankAccount.objects.filter(pk=str(bank_account_id).upper(), customer_id=order.customer_id).first()
    if account is None:
        raise InvalidInput.for_field("bank_account_id", "Choose one of your bank accounts.")
    if not account.is_verified:
        raise InvalidInput.for_field("bank_account_id", "This bank account is not verified yet.")
    return account


def _refund_create(order: Order, *, amount: Decimal, refund_mode: str, bank_account=None,
                   order_return=None, remarks: str = "") -> Refund | None:
    if amount <= 0:
        return None
    latest_paid = order.payments.filter(status=AttemptStatus.SUCCESS).order_by("-created_at").first()
    refund = _create_with_number(
        Refund, "RFD", order=order, order_return=order_return, amount=_money(amount),
        payment_mode=refund_mode, bank_account=bank_account,
        payment_method=(latest_paid.payment_method if latest_paid and refund_mode == RefundMode.ORIGINAL_PAYMENT_MODE
                        else "bank_transfer" if bank_account else ""),
        remarks=remarks,
    )
    Order.objects.filter(pk=order.pk).update(has_refund=True)
    order.has_refund = True
    return refund


@transaction.atomic
def order_cancel(
    *, order: Order, reason: str, refund_mode: str = RefundMode.ORIGINAL_PAYMENT_MODE,
    bank_account_id: str | None = None, feedback: str = "",
) -> Order:
    """Cancel before shipping: what was paid is refunded, points are given back."""
    if not (reason or "").strip():
        raise InvalidInput.for_field("cancellation_reason", "Tell us why you cancel.")
    refund_mode = normalize_refund_mode(refund_mode)
    order = _lock(order)
    if not is_cancellation_allowed(order):
        raise DomainError("This order can no longer be cancelled.", code="not_cancellable", status=order.status)
    bank_account = _bank_account_for_refund(order, refund_mode, bank_account_id)
    now = timezone.now()
    for attempt in order.payments.filter(status=AttemptStatus.PENDING):
        attempt.status, attempt.failure_reason = AttemptStatus.FAILED, "Order cancelled"
        attempt.save(update_fields=["status", "failure_reason", "modified_at"])
    _refund_create(
        order, amount=order.amount_paid - _refunded_total(order), refund_mode=refund_mode,
        bank_account=bank_account, remarks="Order cancelled",
    )
    loyalty.points_reverse(
        customer=order.customer, order_number=order.number, earned_points=order.loyalty_points_earned,
        redeemed_points=order.loyalty_points_redeemed, reason="Order cancelled.",
    )
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now
    order.cancellation_reason, order.feedback = reason.strip(), (feedback or "").strip()
    order.save(update_fields=["status", "cancelled_at", "cancellation_reason", "feedback", "modified_at"])
    return order


# --- returns ------------------------------------------------------------------------------


@dataclass
class ReturnRequestLine:
    order_item: OrderItem
    quantity: int
    reason: str
    resolution: str


def returnable_quantities(order: Order) -> dict[str, int]:
    """Per order item: delivered quantity less what open or completed returns already hold."""
    delivered = dict(
        ShipmentItem.objects.filter(shipment__order=order, shipment__status=ShipmentStatus.DELIVERED)
        .values("order_item_id").annotate(total=Sum("quantity")).values_list("order_item_id", "total")
    )
    held = dict(
        ReturnItem.objects.filter(order_return__order=order, order_return__status__in=RETURN_HOLDING_STATUSES)
        .values("order_item_id").annotate(total=Sum("quantity")).values_list("order_item_id", "total")
    )
    return {pk: qty - held.get(pk, 0) for pk, qty in delivered.items()}


def returnable_items(order: Order) -> list[tuple[OrderItem, int]]:
    """The order's items that can still be returned, with how many of each."""
    available = returnable_quantities(order)
    return [(item, available[item.pk]) for item in order.items.all() if available.get(item.pk, 0) > 0]


def order_item_find(order: Order, *, product_id: str, variant_id: str | None = None, sku: str | None = None) -> OrderItem:
    for item in order.items.all():
        if item.product_ref == str(product_id).upper() and (not variant_id or item.variant_id == variant_id) and (
            not sku or item.sku == sku
        ):
            return item
    raise InvalidInput.for_field("return_items", f"Product {product_id} is not in this order.")


@transaction.atomic
def return_create(*, order: Order, lines: list[ReturnRequestLine], pickup_address: dict | None = None) -> OrderReturn:
    """Ask to return delivered items, within the return window, up to what is still returnable."""
    if not lines:
        raise InvalidInput.for_field("return_items", "Choose at least one item to return.")
    order = _lock(order)
    _require(order, RETURNABLE_STATUSES, code="not_returnable", message="Only delivered items can be returned.")
    closes = return_window_closes(order)
    if closes is None or closes < timezone.now():
        raise DomainError("The return window for this order has closed.", code="return_window_closed")
    available = returnable_quantities(order)
    wanted: dict[str, int] = {}
    for line in lines:
        if line.order_item.order_id != order.pk:
            raise InvalidInput.for_field("return_items", "An item is not part of this order.")
        if line.resolution not in Resolution.values:
            raise InvalidInput.for_field("resolution", "Choose refund or replacement.")
        if not (line.reason or "").strip():
            raise InvalidInput.for_field("return_reason", "Tell us why you return the item.")
        wanted[line.order_item.pk] = wanted.get(line.order_item.pk, 0) + line.quantity
    for pk, quantity in wanted.items():
        if quantity <= 0 or quantity > available.get(pk, 0):
            item = next(line.order_item for line in lines if line.order_item.pk == pk)
            raise DomainError(
                f"You can return at most {available.get(pk, 0)} of {item.product_name}.",
                code="quantity_exceeded",
            )
    order_return = _create_with_number(OrderReturn, "RET", order=order, pickup_address=pickup_address or None)
    delivered_in = dict(
        ShipmentItem.objects.filter(shipment__order=order, shipment__status=ShipmentStatus.DELIVERED)
        .values_list("order_item_id", "shipment_id")
    )
    ReturnItem.objects.bulk_create(
        [
            ReturnItem(order_return=order_return, order_item=line.order_item, quantity=line.quantity,
                       reason=line.reason.strip(), resolution=line.resolution,
                       shipment_id=delivered_in.get(line.order_item.pk))
            for line in lines
        ]
    )
    _received_changed(order, [line.order_item.product_id for line in lines])
    return order_return


def _lock_return(order_return: OrderReturn) -> OrderReturn:
    _lock(order_return.order)
    return OrderReturn.objects.select_for_update().get(pk=order_return.pk)


def _require_return(order_return: OrderReturn, allowed, message: str) -> None:
    if order_return.status not in allowed:
        raise DomainError(message, code="invalid_transition", status=order_return.status)


@transaction.atomic
def return_cancel(*, order_return: OrderReturn, reason: str) -> OrderReturn:
    """The shopper withdraws a return that staff have not acted on."""
    order_return = _lock_return(order_return)
    if order_return.status != ReturnStatus.CREATED:
        raise DomainError("Only a return that is not yet approved can be cancelled.", code="not_cancellable")
    order_return.status, order_return.cancelled_at = ReturnStatus.CANCELLED, timezone.now()
    order_return.cancellation_reason = (reason or "").strip()
    order_return.save()
    _return_released(order_return)
    return order_return


def _return_released(order_return: OrderReturn) -> None:
    """A cancelled or rejected return gives its items back to the shopper."""
    _received_changed(order_return.order, order_return.items.values_list("order_item__product_id", flat=True))


@transaction.atomic
def return_approve(*, order_return: OrderReturn) -> OrderReturn:
    order_return = _lock_return(order_return)
    _require_return(order_return, (ReturnStatus.CREATED,), "Only a new return can be approved.")
    order_return.status, order_return.approved_at = ReturnStatus.APPROVED, timezone.now()
    order_return.save()
    return order_return


@transaction.atomic
def return_reject(*, order_return: OrderReturn, reason: str) -> OrderReturn:
    if not (reason or "").strip():
        raise InvalidInput.for_field("reason", "Say why the return is rejected.")
    order_return = _lock_return(order_return)
    _require_return(order_return, (ReturnStatus.CREATED,), "Only a new return can be rejected.")
    order_return.status, order_return.rejected_at = ReturnStatus.REJECTED, timezone.now()
    order_return.rejection_reason = reason.strip()
    order_return.save()
    _return_released(order_return)
    return order_return


@transaction.atomic
def return_receive(*, order_return: OrderReturn) -> OrderReturn:
    order_return = _lock_return(order_return)
    _require_return(order_return, (ReturnStatus.APPROVED,), "Only an approved return can be received.")
    if order_return.received_at is not None:
        raise DomainError("This return was already received.", code="invalid_transition")
    order_return.received_at = timezone.now()
    order_return.save()
    return order_return


@transaction.atomic
def return_complete(
    *, order_return: OrderReturn, refund_mode: str = RefundMode.ORIGINAL_PAYMENT_MODE,
    bank_account_id: str | None = None,
) -> OrderReturn:
    """Settle a received return: refund its refund items, send a replacement for the others."""
    order_return = _lock_return(order_return)
    _require_return(order_return, (ReturnStatus.APPROVED,), "Only an approved return can be completed.")
    if order_return.received_at is None:
        raise DomainError("Mark the items received first.", code="not_received")
    order = Order.objects.get(pk=order_return.order_id)
    refund_mode = normalize_refund_mode(refund_mode)
    bank_account = _bank_account_for_refund(order, refund_mode, bank_account_id)
    items = list(order_return.items.select_related("order_item__product"))

    refund_value = sum(
        (i.order_item.line_total / i.order_item.quantity * i.quantity for i in items
         if i.resolution == Resolution.REFUND),
        ZERO,
    )
    if refund_value > 0:
        share = refund_value / order.grand_total if order.grand_total else ZERO
        money_back = _money(refund_value * _money_paid_share(order))
        _refund_create(order, amount=money_back, refund_mode=refund_mode, bank_account=bank_account,
                       order_return=order_return, remarks=f"Return {order_return.request_number}")
        loyalty.points_reverse(
            customer=order.customer, order_number=order.number,
            earned_points=math.floor(order.loyalty_points_earned * share),
            redeemed_points=math.floor(order.loyalty_points_redeemed * share),
            spend=money_back if order.status == OrderStatus.COMPLETE else ZERO,
            reason=f"Return {order_return.request_number}.",
        )

    replacements = [i for i in items if i.resolution == Resolution.REPLACEMENT]
    if replacements:
        replacement = order_place(
            Placement(
                customer=order.customer,
                lines=[OrderLine(product=i.order_item.product, quantity=i.quantity) for i in replacements
                       if i.order_item.product is not None],
                billing_address=_snapshot_address(order.billing_address, order.customer),
                shipping_address=_snapshot_address(order.shipping_address, order.customer),
                free_items=True,
                customer_note=f"Replacement for {order.number} (return {order_return.request_number})",
            )
        )
        Order.objects.filter(pk=replacement.pk).update(replacement_for=order_return)
        order_return.replacement_order = replacement

    order_return.status, order_return.completed_at = ReturnStatus.COMPLETE, timezone.now()
    order_return.save()
    return order_return


def _snapshot_address(snapshot: dict, customer) -> Address:
    """An unsaved Address carrying an order's snapshot, to copy it onto a replacement order."""
    values = {k: v for k, v in snapshot.items() if k in ADDRESS_SNAPSHOT_FIELDS and k != "id"}
    return Address(customer=customer, **values)


# --- refunds ------------------------------------------------------------------------------


def _lock_refund(refund: Refund) -> Refund:
    _lock(refund.order)
    return Refund.objects.select_for_update().get(pk=refund.pk)


@transaction.atomic
def refund_issue(*, refund: Refund) -> Refund:
    """Staff send the refund on its way (to the gateway or the bank)."""
    refund = _lock_refund(refund)
    if refund.status != RefundStatus.PENDING:
        raise DomainError("Only a pending refund can be issued.", code="invalid_transition")
    refund.status = RefundStatus.APPROVED
    refund.save()
    return refund


@transaction.atomic
def refund_succeed(*, refund: Refund, reference: str) -> Refund:
    refund = _lock_refund(refund)
    if refund.status not in (RefundStatus.PENDING, RefundStatus.APPROVED):
        raise DomainError("This refund is already settled.", code="invalid_transition")
    refund.status, refund.refund_date, refund.payment_reference_number = RefundStatus.SUCCESS, timezone.now(), reference
    refund.save()
    return refund


@transaction.atomic
def refund_fail(*, refund: Refund, remarks: str) -> Refund:
    if not (remarks or "").strip():
        raise InvalidInput.for_field("remarks", "Say why the refund failed.")
    refund = _lock_refund(refund)
    if refund.status not in (RefundStatus.PENDING, RefundStatus.APPROVED):
        raise DomainError("This refund is already settled.", code="invalid_transition")
    refund.status, refund.remarks = RefundStatus.FAILED, remarks.strip()
    refund.save()
    return refund


def is_shipment_returnable(shipment: Shipment, *, now: datetime | None = None) -> bool:
    """A delivered shipment of a returnable order, inside the return window."""
    if shipment.status != ShipmentStatus.DELIVERED:
        return False
    order = shipment.order
    closes = return_window_closes(order)
    return order.status in RETURNABLE_STATUSES and closes is not None and closes >= (now or timezone.now())


@transaction.atomic
def payment_record(*, order: Order, succeeded: bool, reference: str = "", reason: str = "") -> Payment:
    """Staff record a payment's outcome (e.g. a bank transfer seen on the statement)."""
    order = _lock(order)
    if order.status == OrderStatus.CANCELLED:
        raise DomainError("The order is cancelled.", code="invalid_transition")
    due = order.to_be_paid - order.amount_paid
    if due <= 0:
        raise DomainError("The order is already paid.", code="already_paid")
    payment = order.payments.filter(status=AttemptStatus.PENDING).order_by("-created_at").first()
    if payment is None:
        payment = _create_with_number(
            Payment, "PAY", order=order, amount=due, payment_method=PaymentMethod.BANK_TRANSFER, gateway="manual",
        )
    _settle_payment(order, payment, succeeded=succeeded, reference=reference,
                    reason=reason or "Recorded as failed by staff")
    return payment


def order_deliver(*, order: Order) -> Order:
    """Mark every shipment of the order that is on its way as delivered."""
    shipments = [s for s in order.shipments.all() if s.status in (ShipmentStatus.SHIPPED, ShipmentStatus.IN_TRANSIT,
                                                                   ShipmentStatus.OUT_FOR_DELIVERY)]
    if not shipments:
        raise DomainError("Nothing of this order is on its way.", code="invalid_transition")
    for shipment in shipments:
        shipment_deliver(shipment=shipment)
    return Order.objects.get(pk=order.pk)
