"""Placing an order: items and addresses frozen as snapshots, totals computed, points redeemed,
and the first payment attempt recorded (pending: the checkout's outcome comes through
`payments.payment_checkout_settle`, a gateway's callback or staff)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import TAX_RATE, Product
from common.exceptions import InvalidInput
from customers.models import ADDRESS_SHAPE_FIELDS, Address
from loyalty import services as loyalty

from ..lifecycle import PAYMENT_METHOD_FIELDS
from ..models import ZERO, Order, OrderItem, OrderStatus, Payment, PaymentMethod, PaymentStatus
from .base import create_with_number, money

ADDRESS_SNAPSHOT_FIELDS = ADDRESS_SHAPE_FIELDS


def address_snapshot(address: Address | None) -> dict:
    """A frozen copy of an address book entry, as the order will show it forever."""
    if address is None:
        return {}
    return {name: getattr(address, name) for name in ADDRESS_SNAPSHOT_FIELDS}


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
    customer_note: str = ""
    order_date: datetime | None = None
    tax_rate: Decimal = TAX_RATE  # the catalog's one GST rate
    on_subscription: bool = False
    free_items: bool = False  # a replacement: the items cost nothing


def excluding_tax(amount: Decimal, rate: Decimal) -> Decimal:
    return money(amount / (1 + rate / 100))


def _payment_details(method: str, details: dict) -> dict:
    """The checkout's payment details that the method keeps; anything else is dropped."""
    allowed = PAYMENT_METHOD_FIELDS[PaymentMethod(method)]
    return {k: v for k, v in details.items() if k in allowed}


@transaction.atomic
def order_place(placement: Placement) -> Order:
    """Build an order with items, address snapshots, totals and its first payment attempt,
    pending (an order with nothing to pay is confirmed at once)."""
    p = placement
    if not p.lines:
        raise InvalidInput.for_field("lines", _("An order needs at least one item."))
    for address in (p.billing_address, p.shipping_address):
        if address is not None and address.customer_id != p.customer.pk:
            raise InvalidInput.for_field("address", _("Use an address of this customer."))
    rate = Decimal(p.tax_rate)
    now = p.order_date or timezone.now()

    items = []
    for line in p.lines:
        if line.quantity <= 0:
            raise InvalidInput.for_field("quantity", _("Quantities must be at least 1."))
        product = line.product
        selling = ZERO if p.free_items else money(product.selling_price)
        excluding = excluding_tax(selling, rate)
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
                listing_price=money(product.listing_price),
                selling_price=selling,
                selling_price_excluding_tax=excluding,
                tax_rate=rate,
                tax_amount=money(selling * line.quantity - excluding * line.quantity),
                on_promotion=selling < product.listing_price,
                on_subscription=p.on_subscription,
            )
        )

    subtotal = sum((i.selling_price_excluding_tax * i.quantity for i in items), ZERO)
    item_tax = sum((i.tax_amount for i in items), ZERO)
    subtotal_incl = subtotal + item_tax
    shipping_incl = money(p.shipping_amount_including_tax)
    shipping_excl = excluding_tax(shipping_incl, rate)
    coupon = min(money(p.coupon_discount_amount), subtotal_incl)
    grand_total = subtotal_incl + shipping_incl - coupon
    points_value = money(p.loyalty_points_redeemed * loyalty.point_value())
    if points_value > grand_total:
        raise InvalidInput.for_field("loyalty_points_redeemed", _("More points than the order is worth."))
    to_be_paid = grand_total - points_value
    savings = sum(((i.listing_price - i.selling_price) * i.quantity for i in items), ZERO) + coupon

    order = create_with_number(
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
        loyalty.points_redeem(customer=p.customer, points=p.loyalty_points_redeemed, order_number=order.number)

    if to_be_paid == 0:
        order.payment_status = PaymentStatus.SUCCESS
        order.payment_success_date = now
        order.status = OrderStatus.CONFIRMED
        order.save(update_fields=["payment_status", "payment_success_date", "status", "modified_at"])
        return order

    create_with_number(
        Payment,
        "PAY",
        order=order,
        amount=to_be_paid,
        payment_method=p.payment_method,
        expires_at=now + timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES),
        **_payment_details(p.payment_method, p.payment_details),
    )
    return order
