"""The Celery tasks: sending one outbox message, the beat job that re-queues lost ones, and the
beat jobs of the reminders (notifications/reminders.py)."""

from celery import shared_task

from . import reminders, services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(services.SendFailed,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=None,
)
def message_send_task(self, message_id: str) -> str:
    # No retry limit here: the row counts attempts and stops at NOTIFICATIONS_MAX_ATTEMPTS.
    return services.message_send(message_id=message_id)


@shared_task(acks_late=True)
def messages_requeue_stuck() -> int:
    return services.messages_requeue_stuck()


@shared_task(acks_late=True)
def points_expiring_remind_task() -> int:
    return reminders.points_expiring_remind()


@shared_task(acks_late=True)
def review_reminders_task() -> int:
    return reminders.review_reminders_send()
