"""Loyalty reads."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from common.db import list_db

from .models import LoyaltyAccount, PointsEntry, Tier
from .services import point_value, points_for_amount, points_redeemable

# The spend the rewards page shows each tier's earning on ("125 points per ₹1,000").
EARNING_EXAMPLE_SPEND = Decimal("1000")

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


@dataclass(frozen=True)
class TierBenefit:
    """What a tier gives: the spend that reaches it and the points it earns on an example spend."""

    name: str
    min_spend: Decimal
    earn_multiplier: Decimal
    example_points: int
    is_current: bool


@dataclass(frozen=True)
class TierProgress:
    """How far the next tier is: spend still to go and the share of the way done (0..100), or
    None for both at the top tier."""

    next_tier: str | None
    to_go: Decimal | None
    percent: int | None


def tier_benefits(*, account: LoyaltyAccount, tiers: list[Tier]) -> list[TierBenefit]:
    """Every tier, lowest first, with what it earns (the same rule that awards the points)."""
    return [
        TierBenefit(
            name=t.name,
            min_spend=t.min_spend,
            earn_multiplier=t.earn_multiplier,
            example_points=points_for_amount(amount=EARNING_EXAMPLE_SPEND, tier=t),
            is_current=t.pk == account.tier_id,
        )
        for t in tiers
    ]


def tier_progress(*, account: LoyaltyAccount, tiers: list[Tier]) -> TierProgress:
    """The next tier the current period's spend reaches (the spend tiers are assigned by), and
    how far along the way from the tier reached so far it is."""
    spent = account.total_spent
    above = [t for t in tiers if t.min_spend > spent]
    if not above:
        return TierProgress(next_tier=None, to_go=None, percent=None)
    nxt = above[0]
    floor = max((t.min_spend for t in tiers if t.min_spend <= spent), default=Decimal("0"))
    percent = int((spent - floor) * 100 / (nxt.min_spend - floor)) if nxt.min_spend > floor else 0
    return TierProgress(next_tier=nxt.name, to_go=nxt.min_spend - spent, percent=max(0, min(100, percent)))


def rewards_guide(*, account: LoyaltyAccount) -> dict:
    """What the rewards page explains: a point's worth, the tiers and how far the next one is."""
    tiers = list(Tier.objects.order_by("min_spend"))
    value = point_value()
    return {
        "point_value": value,
        "balance_value": account.points_balance * value,
        "earning_example_spend": EARNING_EXAMPLE_SPEND,
        "tiers": tier_benefits(account=account, tiers=tiers),
        "progress": tier_progress(account=account, tiers=tiers) if tiers else None,
        "return_window_days": settings.RETURN_WINDOW_DAYS,
        "expiry_months": settings.LOYALTY_POINTS_EXPIRY_MONTHS,
    }


# Which reference numbers are the customer's orders: registered by orders, the app that owns them,
# from OrdersConfig.ready() (`orders.selectors.order_numbers_of`). Loyalty knows no orders.
_order_numbers_of = None


def order_numbers_resolver_register(resolver) -> None:
    """`resolver(customer=, numbers=)` answers the numbers that are orders of that customer."""
    global _order_numbers_of
    _order_numbers_of = resolver


def activity_order_numbers(*, customer, entries) -> set[str]:
    """Which of these activity entries name one of the customer's orders (their rows link to
    it), in one query."""
    refs = {e.reference_number for e in entries if e.reference_number}
    if not refs or _order_numbers_of is None:
        return set()
    return set(_order_numbers_of(customer=customer, numbers=refs))
