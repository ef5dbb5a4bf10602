"""Expire loyalty points older than LOYALTY_POINTS_EXPIRY_MONTHS (the beat job runs the same service daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from loyalty.services import points_expire_due


class Command(BaseCommand):
    help = "Expire loyalty points earned more than the configured number of months ago."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=settings.LOYALTY_POINTS_EXPIRY_MONTHS)

    def handle(self, *args, months, **options):
        run = points_expire_due(months=months)
        self.stdout.write(f"Expired {run.points} points in {run.accounts} accounts (cutoff {run.cutoff:%Y-%m-%d}).")
