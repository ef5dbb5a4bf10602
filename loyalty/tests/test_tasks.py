"""Loyalty's beat job: the daily expiry (the `expire_points` rule), and pending points that become
redeemable on their own when the return window closes (the reminder of points about to expire
is notifications/tests/test_reminders.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty import services, tasks
from loyalty.models import LoyaltyAccount, PointsEntry

pytestmark = pytest.mark.django_db

DAYS_TO_EXPIRY = 360  # LOYALTY_POINTS_EXPIRY_MONTHS (12) as 30-day blocks


def award(user, number, amount, *, age_days=0, clears_at=None):
    entry = services.points_award(customer=user, order_number=number, amount=Decimal(amount), clears_at=clears_at)
    if age_days:
        PointsEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    return entry


def balance(user) -> int:
    return LoyaltyAccount.objects.get(customer=user).points_balance


def test_the_expiry_task_expires_old_points_once(shopper):
    award(shopper, "OLD-1", "3000", age_days=DAYS_TO_EXPIRY + 5)  # 300 points, expired
    award(shopper, "NEW-1", "1000")  # 100 points
    assert tasks.points_expire_task() == 300
    assert balance(shopper) == 100
    assert tasks.points_expire_task() == 0  # run twice: nothing more goes
    assert balance(shopper) == 100 and PointsEntry.objects.filter(kind="expiry").count() == 1


def test_pending_points_become_redeemable_when_the_return_window_closes_without_a_job(shopper):
    closes = timezone.now() + timedelta(days=14)
    award(shopper, "ORD-1", "2000", clears_at=closes)
    account = LoyaltyAccount.objects.get(customer=shopper)
    assert services.points_redeemable(account=account) == 0
    assert services.points_redeemable(account=account, now=closes + timedelta(seconds=1)) == 200
