"""Demo data for local runs (CONTRACT.md section 10). Safe to run again: nothing is duplicated."""

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
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never in production)."
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it refuses to run with "
                "DEBUG off. Pass --force if this really is a throwaway environment."
            )
        shopper = User.objects.filter(email=DEMO_SHOPPER["email"]).first()
        if shopper is None:
            shopper = user_create(**DEMO_SHOPPER, is_email_verified=True, is_phone_verified=True)
            self.stdout.write(f"Created demo shopper {shopper.email}")
        products = seed_products()
        seed_address_book(shopper, products)
        seed_loyalty(shopper)
        seed_orders(shopper, products)
        seed_reviews(shopper)
        staff = User.objects.filter(email=DEMO_STAFF["email"]).first()
        if staff is None:
            staff = User.objects.create_superuser(
                DEMO_STAFF["email"], DEMO_STAFF["password"], first_name="Shop", last_name="Admin"
            )
            self.stdout.write(f"Created staff superuser {staff.email}")
        support = User.objects.filter(email=DEMO_SUPPORT["email"]).first()
        if support is None:
            staff_groups_sync(Group, Permission)
            support = User.objects.create_user(
                DEMO_SUPPORT["email"], DEMO_SUPPORT["password"], first_name="Sam", last_name="Support",
                is_staff=True, is_email_verified=True,
            )
            support.groups.add(Group.objects.get(name="Support"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Shopper: {DEMO_SHOPPER['email']} / {DEMO_SHOPPER['password']}; "
                f"staff: {DEMO_STAFF['email']} / {DEMO_STAFF['password']}, "
                f"{DEMO_SUPPORT['email']} / {DEMO_SUPPORT['password']}"
            )
        )
