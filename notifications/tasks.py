"""The Celery tasks: sending one outbox message (defined beside `_queue`, which hands rows to it, so
that services never import this module), the beat job that re-queues lost ones, and the
beat jobs of the reminders (notifications/reminders.py)."""

from celery import shared_task

from . import reminders, services
from .services import message_send_task
from .wishlist_alerts import wishlist_alert_task

__all__ = [
    "message_send_task",
    "messages_requeue_stuck",
    "points_expiring_remind_task",
    "review_reminders_task",
    "wishlist_alert_task",
]


@shared_task(acks_late=True)
def messages_requeue_stuck() -> int:
    return services.messages_requeue_stuck()


@shared_task(acks_late=True)
def points_expiring_remind_task() -> int:
    return reminders.points_expiring_remind()


@shared_task(acks_late=True)
def review_reminders_task() -> int:
    return reminders.review_reminders_send()
