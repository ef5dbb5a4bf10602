"""Loyalty reads."""

from django.db.models import QuerySet

from common.db import list_db

from .models import LoyaltyAccount, PointsEntry
from .services import points_redeemable

ACTIVITY_SORT_FIELDS = {"created_at": "created_at"}
ACTIVITY_DEFAULT_SORT = {"created_at": "desc"}


def loyalty_summary(*, account: LoyaltyAccount) -> dict:
    """The contract's loyalty object."""
    return {
        "membership_number": account.membership_number,
        "date_of_join": account.date_of_join,
        "date_of_assign": account.date_of_assign,
        "date_of_reset": account.date_of_reset,
        "current_tier": account.tier.name if account.tier else None,
        "points_earned": account.points_earned,
        "points_redeemed": account.points_redeemed,
        "points_balance": account.points_balance,
        "points_redeemable": points_redeemable(account=account),
        "total_orders": account.total_orders,
        "lifetime_orders": account.lifetime_orders,
        "total_spent": account.total_spent,
        "lifetime_spent": account.lifetime_spent,
        "lifetime_savings": account.lifetime_savings,
    }


def points_activity_for_customer(*, customer) -> QuerySet[PointsEntry]:
    # Tier changes are entries of 0 points: they show in the activity as the contract's
    # tier-upgrade / tier-downgrade.
    return PointsEntry.objects.using(list_db()).filter(account__customer=customer)
