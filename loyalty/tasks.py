"""Loyalty's beat job (config/settings.py, CELERY_BEAT_SCHEDULE): the daily expiry, safe to run
twice (what expired is gone). The reminder of points about to expire is a message, so its job
is notifications' (`notifications.tasks.points_expiring_remind_task`).

Points earned on an order need no job to become redeemable: `points_redeemable` counts them
from the moment their `clears_at` (the end of the order's return window) has passed.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def points_expire_task() -> int:
    return services.points_expire_due().points
