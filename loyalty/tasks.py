"""Loyalty's beat jobs (config/settings.py, CELERY_BEAT_SCHEDULE): the daily expiry and the
reminder of points about to expire. Both are safe to run twice: what expired is gone, and a
batch's reminder is written once.

Points earned on an order need no job to become redeemable: `points_redeemable` counts them
from the moment their `clears_at` (the end of the order's return window) has passed.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def points_expire_task() -> int:
    return services.points_expire_due().points


@shared_task(acks_late=True)
def points_expiring_remind_task() -> int:
    return services.points_expiring_remind()
