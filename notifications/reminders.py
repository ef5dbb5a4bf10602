"""The reminders the beat jobs send (notifications/tasks.py), each once however often its job runs
(the outbox's `once_key`):

- "how was it?" a few days after delivery, for the products of the order still waiting for the
  shopper's review. Who may review what is reviews' one rule (`reviews.selectors.ready_for_review`);
  this module only decides when to ask, once per order.
- points about to expire, once per expiring batch (keyed by the batch's oldest entry). Which points
  expire when is loyalty's rule (`loyalty.services.points_expiring_soon`).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from loyalty.services import points_expiring_soon
from orders.lifecycle import ORDER_RECEIVED_STATUSES
from orders.models import Order
from reviews.selectors import ready_for_review

from . import events

# Orders delivered longer ago than this past the reminder day are left alone: a beat that was
# down for a week does not greet the shopper with old orders.
LOOKBACK = timedelta(days=7)


def _orders_due(now: datetime):
    due_by = now - timedelta(days=settings.NOTIFICATIONS_REVIEW_REMINDER_DAYS)
    return (
        Order.objects.filter(
            status__in=ORDER_RECEIVED_STATUSES,
            delivered_at__lte=due_by,
            delivered_at__gt=due_by - LOOKBACK,
            customer__is_active=True,
        )
        .select_related("customer")
        .prefetch_related("items")
    )


def review_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each shopper of a recently delivered order's products they have not reviewed yet;
    answers how many orders were reminded of."""
    now = now or timezone.now()
    reminded = 0
    for order in _orders_due(now):
        in_order = {item.product_id for item in order.items.all()}
        waiting = [item.product for item in ready_for_review(customer=order.customer) if item.product_id in in_order]
        if not waiting:
            continue
        with transaction.atomic():
            reminded += bool(
                events.review_reminder(order=order, products=waiting, once_key=f"review-reminder-{order.number}")
            )
    return reminded


def points_expiring_remind(*, now: datetime | None = None, within_days: int = 7) -> int:
    """Tell each shopper whose points expire within `within_days`, once per batch: the daily beat
    job repeats nothing. Answers how many were told."""
    told = 0
    for account, expiring in points_expiring_soon(now=now, within_days=within_days):
        with transaction.atomic():
            told += bool(
                events.points_expiring(
                    customer=account.customer,
                    points=expiring.points,
                    expires_on=expiring.expires_on,
                    once_key=f"points-expiring-{expiring.first_entry_id}",
                )
            )
    return told
