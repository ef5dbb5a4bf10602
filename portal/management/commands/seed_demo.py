"""Demo data for local runs (CONTRACT.md section 10). Safe to run again: nothing is duplicated.

Quiet by default: one summary line (the logins). `-v 2` also names what it created and prints a
line per message the demo orders sent (they are kept in the development mailbox either way).

With `--customers N --orders-per-customer M [--deep-orders K]` it also writes the benchmark's bulk
shoppers (`bench.seed`), the first of them `bench-0@example.com` / `bench-pass-123`.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import user_create
from accounts.staff import staff_groups_sync
from catalog.demo import seed_products
from customers.demo import seed_address_book
from loyalty.demo import seed_loyalty
from orders.demo import seed_orders
from orders.models import OrderItem
from portal.dev_mailbox import mailbox_quiet
from reviews.demo import seed_reviews

DEMO_SHOPPER = {
    "email": "demo@example.com",
    "password": "demo-pass-123",
    "phone": "9876543210",
    "country_code": "+91",
    "first_name": "Asha",
    "last_name": "Verma",
}
DEMO_STAFF = {"email": "admin@example.com", "password": "admin-pass-123"}
DEMO_SUPPORT = {"email": "support@example.com", "password": "support-pass-123"}


class Command(BaseCommand):
    help = "Create the demo shopper, the demo staff user and their data (local demos only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off (never in production).")
        parser.add_argument("--customers", type=int, default=0, help="Bulk: this many extra shoppers.")
        parser.add_argument("--orders-per-customer", type=int, default=0, help="Bulk: orders for each of them.")
        parser.add_argument(
            "--deep-orders",
            type=int,
            default=0,
            help="Bulk: the first extra shopper gets this many orders instead (deep-page runs).",
        )

    def handle(self, *args, force=False, customers=0, orders_per_customer=0, deep_orders=0, **options):
        self.verbosity = options.get("verbosity", 1)
        if self.verbosity >= 2:
            self._handle_demo(force=force)
        else:
            with mailbox_quiet():
                self._handle_demo(force=force)
        if customers and (orders_per_customer or deep_orders):
            from bench.seed import bulk_seed  # benchmark-only code, loaded only when asked for

            counts = bulk_seed(
                customers=customers,
                orders_per_customer=orders_per_customer,
                deep_orders=deep_orders,
                out=self.stderr,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    "Bulk data: {customers:,} customers, {orders:,} orders, {items:,} items, {shipments:,} shipments, "
                    "{payments:,} payments in {seconds}s".format(**counts)
                )
            )

    def _detail(self, line: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(line)

    @staticmethod
    def _pictures_on_earlier_orders(shopper, products):
        """Order lines keep the picture their product had when ordered; demo orders placed before
        the demo products had pictures get them now, so an older local database shows them too."""
        for product in products:
            OrderItem.objects.filter(order__customer=shopper, product=product, product_image_url="").update(
                product_image_url=product.image_url or ""
            )

    @transaction.atomic
    def _handle_demo(self, *, force):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it refuses to run with "
                "DEBUG off. Pass --force if this really is a throwaway environment."
            )
        shopper = User.objects.filter(email=DEMO_SHOPPER["email"]).first()
        if shopper is None:
            shopper = user_create(**DEMO_SHOPPER, is_email_verified=True, is_phone_verified=True)
            self._detail(f"Created demo shopper {shopper.email}")
        products = seed_products()
        self._pictures_on_earlier_orders(shopper, products)
        seed_address_book(shopper, products)
        seed_loyalty(shopper)
        seed_orders(shopper, products)
        seed_reviews(shopper)
        staff = User.objects.filter(email=DEMO_STAFF["email"]).first()
        if staff is None:
            staff = User.objects.create_superuser(
                DEMO_STAFF["email"], DEMO_STAFF["password"], first_name="Shop", last_name="Admin"
            )
            self._detail(f"Created staff superuser {staff.email}")
        support = User.objects.filter(email=DEMO_SUPPORT["email"]).first()
        if support is None:
            staff_groups_sync(Group, Permission)
            support = User.objects.create_user(
                DEMO_SUPPORT["email"],
                DEMO_SUPPORT["password"],
                first_name="Sam",
                last_name="Support",
                is_staff=True,
                is_email_verified=True,
            )
            support.groups.add(Group.objects.get(name="Support"))
            self._detail(f"Created support staff {support.email}")
        if self.verbosity < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Shopper: {DEMO_SHOPPER['email']} / {DEMO_SHOPPER['password']}; "
                f"staff: {DEMO_STAFF['email']} / {DEMO_STAFF['password']}, "
                f"{DEMO_SUPPORT['email']} / {DEMO_SUPPORT['password']}"
            )
        )
