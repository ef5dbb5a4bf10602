"""`seed_demo`: the demo logins and data, idempotent, refused with DEBUG off unless forced.

Bulk seeding for the benchmark is tested in bench/tests."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.services import user_authenticate

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_logins_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(email="demo@example.com").count() == 1
    shopper = user_authenticate(email="demo@example.com", password="demo-pass-123")
    assert shopper.phone == "9876543210" and shopper.is_email_verified
    assert user_authenticate(phone="9876543210", password="demo-pass-123") == shopper
    staff = user_authenticate(email="admin@example.com", password="admin-pass-123")
    assert staff.is_staff and staff.is_superuser


def test_seed_demo_address_book(settings):
    from customers.models import Address, Subscription

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    addresses = Address.objects.filter(customer__email="demo@example.com")
    assert addresses.count() >= 2
    assert addresses.filter(is_default_billing=True).count() == 1
    assert addresses.filter(is_default_shipping=True).count() == 1
    subscription = Subscription.objects.get(customer__email="demo@example.com", status="active")
    assert subscription.shipping_address in addresses


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="demo@example.com").exists()


def test_seed_demo_orders_cover_the_contract(settings):
    from customers.models import BankAccount
    from loyalty.models import PointsEntry
    from orders.lifecycle import is_cancellation_allowed, is_retry_available, return_window_closes
    from orders.models import Order

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    orders = Order.objects.filter(customer__email="demo@example.com")
    by_status = {o.status: o for o in orders}
    assert orders.count() == 6
    assert is_cancellation_allowed(by_status["confirmed"]) and by_status["confirmed"].payment_status == "success"
    assert is_retry_available(by_status["pending"])
    assert not is_cancellation_allowed(by_status["shipped"])
    assert return_window_closes(by_status["delivered"]) is not None
    assert by_status["cancelled"].refunds.get().status == "success"
    assert by_status["complete"].loyalty_points_earned > 0
    assert BankAccount.objects.get(customer__email="demo@example.com").is_verified
    assert PointsEntry.objects.filter(account__customer__email="demo@example.com").count() >= 3
    from reviews.models import Review

    review = Review.objects.get(customer__email="demo@example.com")
    assert review.order == by_status["complete"] and review.status == "approved"


def test_seed_demo_with_the_loyalty_program_off(settings):
    from loyalty.models import PointsEntry
    from orders.models import Order

    settings.DEBUG = True
    settings.LOYALTY_ENABLED = False
    call_command("seed_demo")
    assert not PointsEntry.objects.exists()
    assert Order.objects.get(customer__email="demo@example.com", status="complete").loyalty_points_earned == 0
