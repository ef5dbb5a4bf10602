"""Bulk data for the benchmark: many customers with many orders, written fast.

`seed_demo --customers N --orders-per-customer M --deep-orders K` calls `bulk_seed`. Rows are
built in Python with the same price arithmetic as `order_place` and streamed with PostgreSQL's
COPY (bulk_create elsewhere), in batches, with a progress line. The first bulk customer,
`bench-0@example.com` (password `bench-pass-123`, like every bulk shopper), can get a long
history (`deep_orders`) for deep-page runs. Bulk order numbers look like ORD-U000001K9Z: `U` is
not in the alphabet of ordinary order numbers, so the two never collide.
"""

import json
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User, default_notification_preferences
from catalog.models import Product
from common.ids import new_ulid
from customers.models import Address
from orders.models import (
    AttemptStatus,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
)
from orders.numbers import ALPHABET
from orders.services.base import money
from orders.services.placement import address_snapshot, excluding_tax
from reviews.services import received_products_refresh

BATCH = 5000
PASSWORD = "bench-pass-123"
RATE = Decimal("18.00")
SHIPPING = Decimal("49.00")
# (status, payment status, has shipment, shipment delivered), by share of orders.
LIFECYCLE = [
    (OrderStatus.COMPLETE, PaymentStatus.SUCCESS, True, True),
    (OrderStatus.COMPLETE, PaymentStatus.SUCCESS, True, True),
    (OrderStatus.DELIVERED, PaymentStatus.SUCCESS, True, True),
    (OrderStatus.DELIVERED, PaymentStatus.SUCCESS, True, True),
    (OrderStatus.SHIPPED, PaymentStatus.SUCCESS, True, False),
    (OrderStatus.CONFIRMED, PaymentStatus.SUCCESS, False, False),
    (OrderStatus.CONFIRMED, PaymentStatus.SUCCESS, False, False),
    (OrderStatus.CANCELLED, PaymentStatus.SUCCESS, False, False),
    (OrderStatus.PENDING, PaymentStatus.FAILED, False, False),
    (OrderStatus.COMPLETE, PaymentStatus.SUCCESS, True, True),
]


def _code(n: int, width: int = 9) -> str:
    digits = []
    for _ in range(width):
        n, r = divmod(n, 32)
        digits.append(ALPHABET[r])
    return "".join(reversed(digits))


class _Writer:
    """COPY on PostgreSQL, bulk_create elsewhere; both take model instances' column values."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, objs):
        if not objs:
            return
        if not self.postgres:
            model.objects.bulk_create(objs, batch_size=1000)
            return
        fields = [f for f in model._meta.concrete_fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor:
            with cursor.cursor.copy(sql) as copy:
                for obj in objs:
                    copy.write_row([self._value(obj, f) for f in fields])

    @staticmethod
    def _value(obj, field):
        value = getattr(obj, field.attname)
        if field.get_internal_type() == "JSONField":
            return json.dumps(value)
        return field.get_db_prep_save(value, connection)


class _Progress:
    def __init__(self, total: int, out):
        self.total, self.out, self.start, self.done = total, out, time.monotonic(), 0

    def step(self, n: int):
        self.done += n
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed else 0
        bar = "#" * int(30 * self.done / self.total)
        self.out.write(f"\r  [{bar:<30}] {self.done:,}/{self.total:,} orders  {rate:,.0f}/s  {elapsed:,.0f}s")
        self.out.flush()

    def finish(self):
        self.out.write("\n")


def bulk_seed(*, customers: int, orders_per_customer: int, deep_orders: int = 0, out=None, seed: int = 7) -> dict:
    """Create `customers` shoppers with `orders_per_customer` orders each (the first one with
    `deep_orders`, if given). Returns counts and the seconds it took."""
    out = out or sys.stderr
    rng = random.Random(seed)
    products = list(Product.objects.order_by("sku"))
    if not products:
        raise RuntimeError("Seed the products first (seed_demo does).")
    writer = _Writer()
    started = time.monotonic()
    start_index = Order.objects.filter(number__startswith="ORD-U").count()
    password = make_password(PASSWORD)
    now = timezone.now()

    plan = [(c, deep_orders if (c == 0 and deep_orders) else orders_per_customer) for c in range(customers)]
    total_orders = sum(n for _, n in plan)
    progress = _Progress(total_orders, out)
    counts = {"customers": 0, "orders": 0, "items": 0, "shipments": 0, "payments": 0}
    seq = start_index
    existing_customers = User.objects.filter(email__startswith="bench-").count()

    pending = {
        "users": [],
        "addresses": [],
        "orders": [],
        "items": [],
        "shipments": [],
        "shipment_items": [],
        "payments": [],
    }

    def flush():
        with transaction.atomic():
            writer.write(User, pending["users"])
            writer.write(Address, pending["addresses"])
            writer.write(Order, pending["orders"])
            writer.write(OrderItem, pending["items"])
            writer.write(Shipment, pending["shipments"])
            writer.write(ShipmentItem, pending["shipment_items"])
            writer.write(Payment, pending["payments"])
        progress.step(len(pending["orders"]))
        for rows in pending.values():
            rows.clear()

    shipment_item_id = ShipmentItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for index, order_count in plan:
        n = existing_customers + index
        user = User(
            id=new_ulid(),
            email=f"bench-{n}@example.com",
            password=password,
            first_name="Bench",
            last_name=f"Shopper {n}",
            is_email_verified=True,
            notification_preferences=default_notification_preferences(),
            created_at=now,
            modified_at=now,
            country_code="+91",
            is_active=True,
        )
        address = Address(
            id=new_ulid(),
            customer_id=user.id,
            nickname="Home",
            first_name="Bench",
            last_name=f"Shopper {n}",
            phone="9000000000",
            email=user.email,
            address_line1=f"{n} MG Road",
            pincode="560001",
            city="Bengaluru",
            state="Karnataka",
            country="India",
            is_default_billing=True,
            is_default_shipping=True,
            created_at=now,
            modified_at=now,
        )
        pending["users"].append(user)
        pending["addresses"].append(address)
        snapshot = address_snapshot(address)
        counts["customers"] += 1
        for _ in range(order_count):
            seq += 1
            status, payment_status, shipped, delivered = LIFECYCLE[rng.randrange(len(LIFECYCLE))]
            order_date = now - timedelta(minutes=rng.randrange(60 * 24 * 365 * 2))
            order_id = new_ulid()
            items, subtotal, tax, listing_total = [], Decimal("0"), Decimal("0"), Decimal("0")
            for product in rng.sample(products, 2):
                quantity = rng.randint(1, 3)
                selling = money(product.selling_price)
                excluding = excluding_tax(selling, RATE)
                line_tax = money(selling * quantity - excluding * quantity)
                subtotal += excluding * quantity
                tax += line_tax
                listing_total += product.listing_price * quantity
                items.append(
                    OrderItem(
                        id=new_ulid(),
                        order_id=order_id,
                        product_id=product.pk,
                        product_ref=product.pk,
                        product_name=product.name,
                        product_image_url="",
                        product_type=product.product_type,
                        sku=product.sku,
                        slug=product.slug,
                        variant_id="",
                        variant_name="",
                        quantity=quantity,
                        free_quantity=0,
                        is_free_item=False,
                        listing_price=money(product.listing_price),
                        selling_price=selling,
                        selling_price_excluding_tax=excluding,
                        price_including_tax=True,
                        promotion_discount_amount=Decimal("0"),
                        coupon_discount_amount=Decimal("0"),
                        tax_type="GST",
                        tax_rate=RATE,
                        tax_amount=line_tax,
                        backorder=False,
                        on_promotion=selling < product.listing_price,
                        on_subscription=False,
                    )
                )
            shipping_excl = excluding_tax(SHIPPING, RATE)
            grand_total = subtotal + tax + SHIPPING
            paid = payment_status == PaymentStatus.SUCCESS
            order = Order(
                id=order_id,
                number=f"ORD-U{_code(seq)}",
                customer_id=user.id,
                status=status,
                payment_status=payment_status,
                order_date=order_date,
                currency_code="INR",
                currency_name="Indian Rupee",
                currency_symbol="₹",
                customer_note="",
                subtotal=subtotal,
                item_total_tax=tax,
                subtotal_including_tax=subtotal + tax,
                shipping_amount=shipping_excl,
                shipping_tax_amount=SHIPPING - shipping_excl,
                shipping_amount_including_tax=SHIPPING,
                promotion_discount_amount=Decimal("0"),
                coupon_code="",
                coupon_discount_amount=Decimal("0"),
                total_savings=listing_total - (subtotal + tax),
                total_tax=tax + SHIPPING - shipping_excl,
                grand_total=grand_total,
                loyalty_points_redeemed=0,
                loyalty_points_earned=0,
                credit_balance_used=Decimal("0"),
                to_be_paid=grand_total,
                amount_paid=grand_total if paid else Decimal("0"),
                payment_success_date=order_date if paid else None,
                has_refund=False,
                on_subscription=False,
                order_items_count=2,
                billing_address=snapshot,
                shipping_address=snapshot,
                cancellation_reason="Changed my mind" if status == OrderStatus.CANCELLED else "",
                feedback="",
                metadata={},
                cancelled_at=order_date if status == OrderStatus.CANCELLED else None,
                delivered_at=order_date + timedelta(days=4) if delivered else None,
                completed_at=order_date + timedelta(days=20) if status == OrderStatus.COMPLETE else None,
                replacement_for_id=None,
                created_at=order_date,
                modified_at=order_date,
            )
            pending["orders"].append(order)
            pending["items"].extend(items)
            pending["payments"].append(
                Payment(
                    id=new_ulid(),
                    order_id=order_id,
                    request_number=f"PAY-U{_code(seq)}",
                    amount=grand_total,
                    status=AttemptStatus.SUCCESS if paid else AttemptStatus.FAILED,
                    payment_method="card",
                    gateway="test",
                    payment_reference_number=f"TXN{seq}" if paid else "",
                    card_last4="4242",
                    card_type="Visa",
                    upi_id="",
                    bank_name="",
                    wallet_name="",
                    bank_account_last4="",
                    failure_reason="" if paid else "Declined by the bank",
                    payment_date=order_date,
                    expires_at=order_date + timedelta(minutes=30),
                    created_at=order_date,
                    modified_at=order_date,
                )
            )
            if shipped:
                shipment_id = new_ulid()
                pending["shipments"].append(
                    Shipment(
                        id=shipment_id,
                        order_id=order_id,
                        reference_number=f"SHP-U{_code(seq)}",
                        status=ShipmentStatus.DELIVERED if delivered else ShipmentStatus.SHIPPED,
                        courier_company_name="BlueDart",
                        awb_no=f"BD{seq:010d}",
                        tracking_url=f"https://www.bluedart.com/tracking?awb=BD{seq:010d}",
                        eta_delivery=order_date + timedelta(days=4),
                        shipped_date=order_date + timedelta(days=1),
                        delivered_date=order_date + timedelta(days=4) if delivered else None,
                        shipping_amount=SHIPPING,
                        created_at=order_date,
                        modified_at=order_date,
                    )
                )
                for item in items:
                    shipment_item_id += 1
                    pending["shipment_items"].append(
                        ShipmentItem(
                            id=shipment_item_id,
                            shipment_id=shipment_id,
                            order_item_id=item.id,
                            quantity=item.quantity,
                        )
                    )
                counts["shipments"] += 1
            counts["orders"] += 1
            counts["items"] += len(items)
            counts["payments"] += 1
            if len(pending["orders"]) >= BATCH:
                flush()
    flush()
    progress.finish()
    if writer.postgres:
        # Fresh statistics first: planned on empty-table estimates, the next statement's per-item
        # subquery scans every shipment item once per order item (minutes at 10k, hours at 1M).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    received_products_refresh()  # the products each shopper can review, in one statement
    if writer.postgres:
        # COPY wrote explicit ids; move the sequence past them.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM orders_shipmentitem))",
                ["orders_shipmentitem"],
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # index-only scans need the visibility map
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts
