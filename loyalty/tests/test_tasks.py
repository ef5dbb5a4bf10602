"""Loyalty's beat jobs: the daily expiry (the `expire_points` rule), pending points that become
redeemable on their own when the return window closes, and the reminder of points that expire
within a week, sent once per expiring batch however often the job runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty import services, tasks
from loyalty.models import LoyaltyAccount, PointsEntry
from notifications.models import Message

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


def reminders(user):
    return Message.objects.filter(user=user, event="points_expiring")


def test_points_expiring_within_a_week_are_reminded_once_per_batch(shopper, other_shopper):
    soon = award(shopper, "OLD-1", "3000", age_days=DAYS_TO_EXPIRY - 3)  # 300 points go in 3 days
    award(shopper, "NEW-1", "1000", age_days=10)  # 100 points, far from expiry
    award(other_shopper, "NEW-2", "1000", age_days=10)
    services.points_redeem(customer=shopper, points=50, order_number="SPEND")  # spends the oldest first

    assert tasks.points_expiring_remind_task() == 1
    email = reminders(shopper).get(channel="email")
    assert sorted(reminders(shopper).values_list("channel", flat=True)) == ["email", "sms", "whatsapp"]
    expires_on = timezone.localtime(PointsEntry.objects.get(pk=soon.pk).created_at + timedelta(days=DAYS_TO_EXPIRY))
    assert email.subject == f"250 of your loyalty points expire on {expires_on:%d %b %Y}"
    assert email.context["loyalty_path"] == "/account/rewards/" and email.once_key == f"points-expiring-{soon.pk}"
    assert not reminders(other_shopper).exists()

    # The next days' runs (and a second run the same day) find the same batch: nothing new.
    assert tasks.points_expiring_remind_task() == 0
    assert services.points_expiring_remind(now=timezone.now() + timedelta(days=1)) == 0
    assert reminders(shopper).count() == 3


def test_the_next_batch_is_reminded_once_the_first_has_expired(shopper):
    first = award(shopper, "OLD-1", "1000", age_days=DAYS_TO_EXPIRY - 1)
    second = award(shopper, "OLD-2", "2000", age_days=DAYS_TO_EXPIRY - 20)
    assert services.points_expiring_remind() == 1
    later = timezone.now() + timedelta(days=18)
    services.points_expire_due(now=later)  # the first batch is gone
    assert services.points_expiring_remind(now=later) == 1
    told = reminders(shopper).filter(channel="email").order_by("created_at")
    assert [(m.once_key, m.context["points"]) for m in told] == [
        (f"points-expiring-{first.pk}", 100),
        (f"points-expiring-{second.pk}", 200),
    ]


def test_spent_or_far_off_points_are_not_reminded(shopper):
    award(shopper, "OLD-1", "1000", age_days=DAYS_TO_EXPIRY - 3)
    services.points_redeem(customer=shopper, points=100, order_number="SPEND")  # all of the old batch
    award(shopper, "NEW-1", "1000", age_days=DAYS_TO_EXPIRY - 30)
    assert services.points_expiring_remind() == 0 and not reminders(shopper).exists()
