"""The demo shopper's loyalty activity for `seed_demo` (orders add theirs when they complete).
None while the program is off (LOYALTY_ENABLED): there are no points to give."""

from django.conf import settings

from .models import PointsEntry
from .services import loyalty_account_ensure, points_adjust


def seed_loyalty(shopper) -> None:
    if not settings.LOYALTY_ENABLED:
        return
    account = loyalty_account_ensure(customer=shopper)
    if PointsEntry.objects.filter(account=account, kind="adjustment").exists():
        return
    points_adjust(customer=shopper, points=200, remarks="Welcome to the rewards club")
    points_adjust(customer=shopper, points=150, remarks="Festive season bonus")
