"""The Celery tasks: sending one outbox message, and the beat job that re-queues lost ones."""

from celery import shared_task

from . import services


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
