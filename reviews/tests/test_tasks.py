"""Reviews' beat job: "how was it?" a few days after delivery (NOTIFICATIONS_REVIEW_REMINDER_DAYS),
promotional, naming only the order's products still waiting for the shopper's review (the
ready-for-review rule), once per order however often the job runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Kind, Message
from notifications.reminders import review_reminders_send
from orders import services as orders
from orders.tests.factories import delivered
from reviews import tasks

from .factories import first_product, submit

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def reminders():
    return Message.objects.filter(event="review_reminder")


def test_a_delivered_order_is_reminded_of_once_for_the_products_still_unreviewed(shopper):
    order = delivered(shopper, delivered_at=days_ago(4))
    reviewed, waiting = [item.product for item in order.items.order_by("pk")]
    submit(shopper, reviewed)

    assert tasks.review_reminders_task() == 1
    email = reminders().get(channel="email")
    assert email.kind == Kind.PROMOTIONAL and email.subject == f"How was your order {order.number}?"
    assert email.context["products"] == [waiting.name] and email.once_key == f"review-reminder-{order.number}"
    assert sorted(reminders().values_list("channel", flat=True)) == ["email", "sms", "whatsapp"]

    assert tasks.review_reminders_task() == 0  # run twice, or again tomorrow: once per order
    assert review_reminders_send(now=timezone.now() + timedelta(days=1)) == 0
    assert reminders().count() == 3


def test_too_early_too_late_or_nothing_left_to_review_is_not_reminded(shopper, other_shopper):
    delivered(shopper, delivered_at=days_ago(1))  # a few days have not passed yet
    delivered(shopper, delivered_at=days_ago(30))  # long past: not brought up again
    all_reviewed = delivered(other_shopper, delivered_at=days_ago(4))
    for item in all_reviewed.items.all():
        submit(other_shopper, item.product)
    assert review_reminders_send() == 0 and not reminders().exists()


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
    assert first_product(order).name not in reminders().get(channel="email").context["products"]
