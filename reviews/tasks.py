"""Reviews' beat job (config/settings.py, CELERY_BEAT_SCHEDULE): the "how was it?" reminder a
few days after delivery. The rule of what may be reviewed is `reviews.selectors`'; the message
and its once-per-order guard are `notifications.reminders`'."""

from celery import shared_task

from notifications.reminders import review_reminders_send


@shared_task(acks_late=True)
def review_reminders_task() -> int:
    return review_reminders_send()
