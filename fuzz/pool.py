"""Shoppers for the schema fuzzer (fuzz/fuzz.py, fuzz/hooks.py), written straight to the database.

    python fuzz/pool.py --prefix fuzz-main --start 0 --count 8 --out pool.jsonl

Each shopper gets the demo shopper's data (seed_demo's address book, loyalty points, bank
account, six orders at each point of an order's life, a review) plus one open return, and is
appended to --out as one JSON line: email, password, user id and the ids of that data, so the
fuzzer can put real, owned ids into paths. Runs with the same environment as the server
(DATABASE_URL, DEBUG); refuses to run with DEBUG off, like seed_demo.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "fuzz-pass-123"


def seed(*, prefix: str, start: int, count: int) -> list[dict]:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.services import user_create
    from catalog.demo import seed_products
    from customers.demo import seed_address_book
    from loyalty.demo import seed_loyalty
    from orders import services as order_services
    from orders.demo import seed_orders
    from orders.models import Order, OrderStatus
    from reviews.demo import seed_reviews

    if not settings.DEBUG:
        raise SystemExit("fuzz/pool.py creates accounts with a published password; it needs DEBUG=1.")
    products = seed_products()
    hashed = make_password(PASSWORD)  # once: each hash costs what a sign-in costs
    shoppers = []
    for n in range(start, start + count):
        with transaction.atomic():
            user = user_create(
                email=f"{prefix}-{n:04d}@example.com",
                password=None,
                first_name="Fuzz",
                last_name=f"Shopper {n}",
                is_email_verified=True,
            )
            user.password = hashed
            user.save(update_fields=["password"])
            seed_address_book(user, products)
            seed_loyalty(user)
            seed_orders(user, products)
            seed_reviews(user)
            delivered = Order.objects.filter(customer=user, status=OrderStatus.DELIVERED).first()
            if delivered is not None:
                item = delivered.items.order_by("pk").last()
                order_services.return_create(
                    order=delivered,
                    lines=[
                        order_services.ReturnRequestLine(
                            order_item=item,
                            quantity=1,
                            reason="Fuzz: arrived damaged",
                            resolution="refund",
                        )
                    ],
                )
        orders = list(Order.objects.filter(customer=user).prefetch_related("items", "returns").order_by("pk"))
        shoppers.append(
            {
                "email": user.email,
                "password": PASSWORD,
                "id": user.id,
                "orders": [o.number for o in orders],
                "addresses": list(user.addresses.values_list("id", flat=True)),
                "bank_accounts": list(user.bank_accounts.values_list("id", flat=True)),
                "returns": [[o.number, r.request_number, r.id] for o in orders for r in o.returns.all()],
                "order_products": {o.number: sorted({i.product_ref for i in o.items.all()}) for o in orders},
                "products": [p.id for p in products],
            }
        )
    return shoppers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    started = time.monotonic()
    shoppers = seed(prefix=args.prefix, start=args.start, count=args.count)
    with open(args.out, "a", encoding="utf-8") as out:
        for shopper in shoppers:
            out.write(json.dumps(shopper) + "\n")
    print(
        f"fuzz pool: {len(shoppers)} shoppers ({args.prefix}-{args.start:04d}..) in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
