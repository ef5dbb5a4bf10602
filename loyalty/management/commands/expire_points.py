"""Expire loyalty points older than LOYALTY_POINTS_EXPIRY_MONTHS (run daily, e.g. from cron)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from loyalty.models import LoyaltyAccount, PointsAction
from loyalty.services import points_expire


class Command(BaseCommand):
    help = "Expire loyalty points earned more than the configured number of months ago."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=settings.LOYALTY_POINTS_EXPIRY_MONTHS)

    def handle(self, *args, months, **options):
        # Months as 30-day blocks: precise enough for an expiry that is announced in months.
        cutoff = timezone.now() - timedelta(days=30 * months)
        accounts = LoyaltyAccount.objects.filter(
            points_balance__gt=0, entries__action=PointsAction.ADD, entries__created_at__lt=cutoff
        ).distinct()
        expired_accounts = expired_points = 0
        for account in accounts.iterator():
            entry = points_expire(account=account, cutoff=cutoff)
            if entry is not None:
                expired_accounts += 1
                expired_points += entry.points
        self.stdout.write(f"Expired {expired_points} points in {expired_accounts} accounts (cutoff {cutoff:%Y-%m-%d}).")
