"""The reminder beat jobs, each once however often it runs: points that expire within a week,
once per expiring batch; and "how was it?" a few days after delivery
(NOTIFICATIONS_REVIEW_REMINDER_DAYS), promotional, naming only the order's products still waiting
for the shopper's review (the ready-for-review rule), once per order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty import services
from loyalty.models import PointsEntry
from notifications import tasks
from notifications.models import Kind, Message
from notifications.reminders import points_expiring_remind, review_reminders_send
from orders import services as orders
from orders.tests.factories import delivered
from reviews.tests.factories import first_product, submit

pytestmark = pytest.mark.django_db

DAYS_TO_EXPIRY = 360  # LOYALTY_POINTS_EXPIRY_MONTHS (12) as 30-day blocks


def award(user, number, amount, *, age_days=0):
    entry = services.points_award(customer=user, order_number=number, amount=Decimal(amount))
    if age_days:
        PointsEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(days=age_days))
    return entry


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
    assert email.subject == f"250 of your loyalty points expire on {expires_on.day} {expires_on:%b %Y}"
    assert email.context["loyalty_path"] == "/account/rewards/" and email.once_key == f"points-expiring-{soon.pk}"
    assert not reminders(other_shopper).exists()

    # The next days' runs (and a second run the same day) find the same batch: nothing new.
    assert tasks.points_expiring_remind_task() == 0
    assert points_expiring_remind(now=timezone.now() + timedelta(days=1)) == 0
    assert reminders(shopper).count() == 3


def test_the_next_batch_is_reminded_once_the_first_has_expired(shopper):
    first = award(shopper, "OLD-1", "1000", age_days=DAYS_TO_EXPIRY - 1)
    second = award(shopper, "OLD-2", "2000", age_days=DAYS_TO_EXPIRY - 20)
    assert points_expiring_remind() == 1
    later = timezone.now() + timedelta(days=18)
    services.points_expire_due(now=later)  # the first batch is gone
    assert points_expiring_remind(now=later) == 1
    told = reminders(shopper).filter(channel="email").order_by("created_at")
    assert [(m.once_key, m.context["points"]) for m in told] == [
        (f"points-expiring-{first.pk}", 100),
        (f"points-expiring-{second.pk}", 200),
    ]


def test_spent_or_far_off_points_are_not_reminded(shopper):
    award(shopper, "OLD-1", "1000", age_days=DAYS_TO_EXPIRY - 3)
    services.points_redeem(customer=shopper, points=100, order_number="SPEND")  # all of the old batch
    award(shopper, "NEW-1", "1000", age_days=DAYS_TO_EXPIRY - 30)
    assert points_expiring_remind() == 0 and not reminders(shopper).exists()


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def review_reminders():
    return Message.objects.filter(event="review_reminder")


def test_a_delivered_order_is_reminded_of_once_for_the_products_still_unreviewed(shopper):
    order = delivered(shopper, delivered_at=days_ago(4))
    reviewed, waiting = [item.product for item in order.items.order_by("pk")]
    submit(shopper, reviewed)

    assert tasks.review_reminders_task() == 1
    email = review_reminders().get(channel="email")
    assert email.kind == Kind.PROMOTIONAL and email.subject == f"How was your order {order.number}?"
    assert email.context["products"] == [waiting.name] and email.once_key == f"review-reminder-{order.number}"
    assert sorted(review_reminders().values_list("channel", flat=True)) == ["email", "sms", "whatsapp"]

    assert tasks.review_reminders_task() == 0  # run twice, or again tomorrow: once per order
    assert review_reminders_send(now=timezone.now() + timedelta(days=1)) == 0
    assert review_reminders().count() == 3


def test_too_early_too_late_or_nothing_left_to_review_is_not_reminded(shopper, other_shopper):
    delivered(shopper, delivered_at=days_ago(1))  # a few days have not passed yet
    delivered(shopper, delivered_at=days_ago(30))  # long past: not brought up again
    all_reviewed = delivered(other_shopper, delivered_at=days_ago(4))
    for item in all_reviewed.items.all():
        submit(other_shopper, item.product)
    assert review_reminders_send() == 0 and not review_reminders().exists()


def test_products_returned_in_full_are_not_asked_about(shopper):
    order = delivered(shopper, delivered_at=timezone.now())
    item = order.items.order_by("pk").first()
    orders.return_create(
        order=order,
        lines=[
            orders.ReturnRequestLine(order_item=item, quantity=item.quantity, reason="Wrong size", resolution="refund")
        ],
    )
    later = timezone.now() + timedelta(days=4)
    assert review_reminders_send(now=later) == 1
    assert first_product(order).name not in review_reminders().get(channel="email").context["products"]
