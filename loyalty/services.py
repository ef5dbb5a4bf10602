"""Loyalty writes: every change of points goes through here, as a ledger entry and a balance.

Each write locks the customer's loyalty account row, appends its entries and moves the
account's running totals in the same transaction, so the balance always equals the ledger sum
and two redemptions can never spend the same points. A database check keeps the balance >= 0.

With the program off (LOYALTY_ENABLED), nothing earns points (orders, the sign-up bonus) and
nothing spends or grants them (checkout, staff adjustments): those answer 404
`loyalty_disabled`, as the loyalty pages and endpoints do. Undoing what the ledger already holds
(a cancelled order's points, expiry) still runs, so balances stay true to the ledger.
"""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, NotFound
from common.shoptime import date_text

from .models import EntryKind, LoyaltyAccount, PointsAction, PointsActivity, PointsEntry, Tier
from .titles import entry_title, expired_title

ZERO = Decimal("0")


def loyalty_program_require() -> None:
    """Refuse with 404 `loyalty_disabled` while the program is off (LOYALTY_ENABLED)."""
    if not settings.LOYALTY_ENABLED:
        raise NotFound(_("The loyalty program is not available."), code=ErrorCode.LOYALTY_DISABLED)


def _new_membership_number() -> str:
    return f"LM{secrets.randbelow(10**10):010d}"


def _lowest_tier() -> Tier | None:
    return Tier.objects.order_by("min_spend").first()


def loyalty_account_ensure(*, customer) -> LoyaltyAccount:
    """The customer's account, opened on first use (with the sign-up bonus, if configured)."""
    account = LoyaltyAccount.objects.filter(customer=customer).select_related("tier").first()
    if account is not None:
        return account
    for _attempt in range(5):
        try:
            with transaction.atomic():
                account = LoyaltyAccount.objects.create(
                    customer=customer,
                    membership_number=_new_membership_number(),
                    tier=_lowest_tier(),
                    date_of_join=customer.created_at or timezone.now(),
                )
                if settings.LOYALTY_ENABLED and settings.LOYALTY_SIGNUP_POINTS > 0:
                    _append(
                        account,
                        action=PointsAction.ADD,
                        activity=PointsActivity.SIGNUP,
                        kind=EntryKind.SIGNUP,
                        points=settings.LOYALTY_SIGNUP_POINTS,
                        title=entry_title("welcome"),
                        reference_number="signup",
                    )
                return account
        except IntegrityError:
            # Opened by a concurrent request, or a membership number clash: look again.
            account = LoyaltyAccount.objects.filter(customer=customer).select_related("tier").first()
            if account is not None:
                return account
    raise RuntimeError("Could not open a loyalty account")


def _lock(customer, **annotations) -> LoyaltyAccount:
    """The customer's account, its row locked (opened first when there is none), with
    `annotations` (subqueries of its ledger read in the same statement)."""
    locked = LoyaltyAccount.objects.select_for_update(of=("self",)).select_related("tier").annotate(**annotations)
    account = locked.filter(customer=customer).first()
    if account is None:
        account = locked.get(pk=loyalty_account_ensure(customer=customer).pk)
    return account


def _append(account: LoyaltyAccount, *, action, points: int, **fields) -> PointsEntry:
    """Add a ledger entry and move the balance with it (caller holds the account lock)."""
    entry = PointsEntry.objects.create(account=account, action=action, points=points, **fields)
    if points:
        signed = points if action == PointsAction.ADD else -points
        account.points_balance += signed
        LoyaltyAccount.objects.filter(pk=account.pk).update(points_balance=F("points_balance") + signed)
    return entry


def points_pending(*, account: LoyaltyAccount, now: datetime | None = None) -> int:
    """Points earned on orders whose return window is still open (not yet redeemable)."""
    now = now or timezone.now()
    totals = PointsEntry.objects.filter(account=account, clears_at__gt=now).aggregate(
        added=Sum("points", filter=Q(action=PointsAction.ADD)),
        removed=Sum("points", filter=Q(action=PointsAction.REMOVE)),
    )
    return max(0, (totals["added"] or 0) - (totals["removed"] or 0))


def points_redeemable(*, account: LoyaltyAccount, now: datetime | None = None) -> int:
    return max(0, account.points_balance - points_pending(account=account, now=now))


def _tier_for_spend(spent: Decimal) -> Tier | None:
    return Tier.objects.filter(min_spend__lte=spent).order_by("-min_spend").first() or _lowest_tier()


def _tier_reevaluate(account: LoyaltyAccount, *, reference_number: str = "") -> None:
    """Move the account to the tier its current-period spend reaches, with an activity entry."""
    tier = _tier_for_spend(account.total_spent)
    if tier is None or tier.pk == account.tier_id:
        return
    upgrade = account.tier is None or tier.min_spend > account.tier.min_spend
    _append(
        account,
        action=PointsAction.ADD,
        activity=PointsActivity.TIER_UPGRADE if upgrade else PointsActivity.TIER_DOWNGRADE,
        kind=EntryKind.TIER_CHANGE,
        points=0,
        title=entry_title("upgraded" if upgrade else "moved", tier=tier.name),
        reference_number=reference_number,
    )
    account.tier, account.date_of_assign = tier, timezone.now()
    account.save(update_fields=["tier", "date_of_assign", "modified_at"])


def point_value() -> Decimal:
    """What one point takes off an order at checkout, in the shop's currency."""
    return Decimal(settings.LOYALTY_POINT_VALUE)


def points_for_amount(*, amount: Decimal, tier: Tier | None) -> int:
    rate = Decimal(settings.LOYALTY_POINTS_PER_CURRENCY_UNIT)
    multiplier = tier.earn_multiplier if tier else Decimal("1")
    return max(0, math.floor(amount * rate * multiplier))


@transaction.atomic
def points_award(
    *,
    customer,
    order_number: str,
    amount: Decimal,
    savings: Decimal = ZERO,
    clears_at: datetime | None = None,
) -> PointsEntry | None:
    """Points for a completed order, pending until `clears_at`; counts the order's spend.

    None while the program is off: the order completes and earns nothing.
    """
    if not settings.LOYALTY_ENABLED:
        return None
    account = _lock(customer)
    existing = PointsEntry.objects.filter(account=account, kind=EntryKind.EARN, reference_number=order_number).first()
    if existing is not None:
        return existing  # an order earns once, however often completion is reported
    points = points_for_amount(amount=amount, tier=account.tier)
    entry = _append(
        account,
        action=PointsAction.ADD,
        activity=PointsActivity.ORDER_PLACED,
        kind=EntryKind.EARN,
        points=points,
        title=entry_title("earned", number=order_number),
        reference_number=order_number,
        clears_at=clears_at,
    )
    account.points_earned += points
    account.total_orders += 1
    account.lifetime_orders += 1
    account.total_spent += amount
    account.lifetime_spent += amount
    account.lifetime_savings += savings
    account.save(
        update_fields=[
            "points_earned",
            "total_orders",
            "lifetime_orders",
            "total_spent",
            "lifetime_spent",
            "lifetime_savings",
            "modified_at",
        ]
    )
    _tier_reevaluate(account, reference_number=order_number)
    return entry


@transaction.atomic
def points_redeem(*, customer, points: int, order_number: str, title: str = "") -> PointsEntry:
    """Spend cleared points on an order; refused (409) beyond what is redeemable."""
    loyalty_program_require()
    if points <= 0:
        raise InvalidInput.for_field("points", _("Redeem at least one point."))
    account = _lock(customer)
    available = points_redeemable(account=account)
    if points > available:
        raise DomainError(
            gettext("Only %(available)s points can be redeemed right now.") % {"available": available},
            code=ErrorCode.INSUFFICIENT_POINTS,
            points_redeemable=available,
        )
    entry = _append(
        account,
        action=PointsAction.REMOVE,
        activity=PointsActivity.ORDER_PLACED,
        kind=EntryKind.REDEEM,
        points=points,
        title=title or entry_title("redeemed", number=order_number),
        reference_number=order_number,
    )
    LoyaltyAccount.objects.filter(pk=account.pk).update(points_redeemed=F("points_redeemed") + points)
    return entry


@dataclass(frozen=True)
class Reversal:
    given_back: int  # redeemed points returned to the shopper
    taken_back: int  # earned points removed
    shortfall: int  # earned points that could not be removed (the balance did not cover them)


def points_reverse(
    *,
    customer,
    order_number: str,
    earned_points: int = 0,
    redeemed_points: int = 0,
    spend: Decimal = ZERO,
    reason: str = "",
) -> Reversal:
    """Undo (part of) an order's points after a cancellation or return.

    Gives back `redeemed_points`, takes back `earned_points` (never below zero: what the balance
    cannot cover is recorded as a shortfall) and removes `spend` from the tier's spend, which may
    move the customer down a tier. Amounts beyond what the order earned/redeemed are capped.
    Nothing asked back (the usual cancellation: nothing redeemed, nothing earned yet) reads and
    writes nothing. Else four statements: the account locked with the order's ledger totals, the
    new entries, the account's totals, and the tier when the spend moved.
    """
    if earned_points <= 0 and redeemed_points <= 0 and spend <= 0:
        return Reversal(given_back=0, taken_back=0, shortfall=0)
    # Inside the caller's transaction (an order's cancellation or return) as a part of it, with no
    # savepoint of its own: an error here fails the caller's write whole.
    with transaction.atomic(savepoint=False):
        return _points_reverse(customer, order_number, earned_points, redeemed_points, spend, reason)


_LEDGER_KINDS = {
    "earn": EntryKind.EARN,
    "redeem": EntryKind.REDEEM,
    "earn_reversal": EntryKind.EARN_REVERSAL,
    "redeem_reversal": EntryKind.REDEEM_REVERSAL,
}


def _points_reverse(customer, order_number, earned_points, redeemed_points, spend, reason) -> Reversal:
    of_order = PointsEntry.objects.filter(account=OuterRef("pk"), reference_number=order_number).order_by()
    totals = {
        f"ledger_{name}": Coalesce(
            Subquery(of_order.filter(kind=kind).values("account").annotate(total=Sum("points")).values("total")), 0
        )
        for name, kind in _LEDGER_KINDS.items()
    }
    earn_clears_at = Subquery(of_order.filter(kind=EntryKind.EARN).order_by("pk").values("clears_at")[:1])
    account = _lock(customer, **totals, earn_clears_at=earn_clears_at)
    ledger = {kind: getattr(account, f"ledger_{name}") for name, kind in _LEDGER_KINDS.items()}
    entries: list[PointsEntry] = []
    balance_before = account.points_balance
    give_back = min(redeemed_points, ledger[EntryKind.REDEEM] - ledger[EntryKind.REDEEM_REVERSAL])
    if give_back > 0:
        _entry(
            account,
            entries,
            action=PointsAction.ADD,
            activity=PointsActivity.CREDIT_NOTE_ISSUED,
            kind=EntryKind.REDEEM_REVERSAL,
            points=give_back,
            title=entry_title("returned", number=order_number),
            reference_number=order_number,
            remarks=reason,
        )
        account.points_redeemed = max(0, account.points_redeemed - give_back)

    clears_at = account.earn_clears_at
    take_back = min(earned_points, ledger[EntryKind.EARN] - ledger[EntryKind.EARN_REVERSAL])
    taken, shortfall = 0, 0
    if take_back > 0:
        taken = min(take_back, account.points_balance)
        shortfall = take_back - taken
        _entry(
            account,
            entries,
            action=PointsAction.REMOVE,
            activity=PointsActivity.CREDIT_NOTE_ISSUED,
            kind=EntryKind.EARN_REVERSAL,
            points=taken,
            title=entry_title("reversed", number=order_number),
            reference_number=order_number,
            remarks=(reason + (f" {shortfall} points could not be taken back." if shortfall else "")).strip(),
            shortfall=shortfall,
            # Taking back still-pending points cancels them inside the pending bucket.
            clears_at=clears_at if clears_at and clears_at > timezone.now() else None,
        )
        account.points_earned = max(0, account.points_earned - taken)

    PointsEntry.objects.bulk_create(entries)
    if spend > 0:
        account.total_spent = max(ZERO, account.total_spent - spend)
        account.lifetime_spent = max(ZERO, account.lifetime_spent - spend)
    fields = ["points_redeemed", "points_earned", "total_spent", "lifetime_spent", "modified_at"]
    account.save(update_fields=fields + (["points_balance"] if account.points_balance != balance_before else []))
    if spend > 0:  # the tier follows the spend; an unchanged spend keeps it
        _tier_reevaluate(account, reference_number=order_number)
    return Reversal(given_back=max(0, give_back), taken_back=taken, shortfall=shortfall)


def _entry(account: LoyaltyAccount, entries: list, *, action, points: int, **fields) -> None:
    """A ledger entry to write with the others (bulk), the balance moved with it in memory (the
    caller holds the account's lock and saves `points_balance`)."""
    entries.append(PointsEntry(account=account, action=action, points=points, **fields))
    account.points_balance += points if action == PointsAction.ADD else -points


@transaction.atomic
def points_adjust(
    *, customer, points: int, activity: str = PointsActivity.BONUS, remarks: str, staff=None
) -> PointsEntry:
    """A staff bonus (points > 0) or correction (points < 0); remarks are required."""
    loyalty_program_require()
    if not remarks or not remarks.strip():
        raise InvalidInput.for_field("remarks", _("Say why the points are adjusted."))
    if points == 0:
        raise InvalidInput.for_field("points", _("Adjust by at least one point."))
    if activity not in (PointsActivity.BONUS, PointsActivity.OTHER):
        raise InvalidInput.for_field("activity", _("Staff adjustments are a bonus or other."))
    account = _lock(customer)
    if points < 0 and -points > account.points_balance:
        raise DomainError(
            gettext("The balance is %(points_balance)s points; it cannot go below zero.")
            % {"points_balance": account.points_balance},
            code=ErrorCode.INSUFFICIENT_POINTS,
        )
    entry = _append(
        account,
        action=PointsAction.ADD if points > 0 else PointsAction.REMOVE,
        activity=activity,
        kind=EntryKind.ADJUSTMENT,
        points=abs(points),
        title=entry_title("bonus" if activity == PointsActivity.BONUS else "adjustment"),
        remarks=remarks.strip(),
        created_by=staff,
    )
    if points > 0:
        LoyaltyAccount.objects.filter(pk=account.pk).update(points_earned=F("points_earned") + points)
    return entry


def points_expiry_cutoff(*, now: datetime | None = None, months: int | None = None) -> datetime:
    """Points added before this moment have expired (LOYALTY_POINTS_EXPIRY_MONTHS, as 30-day
    blocks: precise enough for an expiry that is announced in months)."""
    return (now or timezone.now()) - _expiry_period(months)


def _expiry_period(months: int | None = None) -> timedelta:
    return timedelta(days=30 * (settings.LOYALTY_POINTS_EXPIRY_MONTHS if months is None else months))


def _expirable(account: LoyaltyAccount, cutoff: datetime) -> int:
    """What is left of the points added before `cutoff`: removals spend the oldest points first."""
    entries = PointsEntry.objects.filter(account=account)
    added_before = (
        entries.filter(action=PointsAction.ADD, created_at__lt=cutoff).aggregate(total=Sum("points"))["total"] or 0
    )
    removed = entries.filter(action=PointsAction.REMOVE).aggregate(total=Sum("points"))["total"] or 0
    return min(max(0, added_before - removed), account.points_balance)


def points_expire(*, account: LoyaltyAccount, cutoff: datetime) -> PointsEntry | None:
    """Expire what is left of the points added before `cutoff` (oldest points are spent first)."""
    with transaction.atomic():
        account = LoyaltyAccount.objects.select_for_update().get(pk=account.pk)
        due = _expirable(account, cutoff)
        if due <= 0:
            return None
        return _append(
            account,
            action=PointsAction.REMOVE,
            activity=PointsActivity.POINTS_EXPIRED,
            kind=EntryKind.EXPIRY,
            points=due,
            title=expired_title(due),
            remarks=f"Points earned before {date_text(cutoff)} expire.",
        )


def _accounts_with_points_before(cutoff: datetime):
    return LoyaltyAccount.objects.filter(
        points_balance__gt=0, entries__action=PointsAction.ADD, entries__created_at__lt=cutoff
    ).distinct()


@dataclass(frozen=True)
class ExpiryRun:
    accounts: int
    points: int
    cutoff: datetime


def points_expire_due(*, now: datetime | None = None, months: int | None = None) -> ExpiryRun:
    """Expire every account's points older than the expiry period: the daily beat job and the
    `expire_points` command. A second run the same day finds nothing left to expire."""
    cutoff = points_expiry_cutoff(now=now, months=months)
    accounts = points = 0
    for account in _accounts_with_points_before(cutoff).iterator():
        entry = points_expire(account=account, cutoff=cutoff)
        if entry is not None:
            accounts, points = accounts + 1, points + entry.points
    return ExpiryRun(accounts=accounts, points=points, cutoff=cutoff)


@dataclass(frozen=True)
class Expiring:
    points: int  # what the expiry will take by the end of the window
    expires_on: datetime  # when the first of them goes
    first_entry_id: str  # the oldest entry with points left: names the batch


def points_expiring(*, account: LoyaltyAccount, now: datetime | None = None, within_days: int = 7) -> Expiring | None:
    """The points the expiry job will take from `account` within `within_days` (None if none),
    by the same rule (`_expirable`) at the window's end."""
    now = now or timezone.now()
    window_end = points_expiry_cutoff(now=now + timedelta(days=within_days))
    due = _expirable(account, window_end)
    if due <= 0:
        return None
    removed = (
        PointsEntry.objects.filter(account=account, action=PointsAction.REMOVE).aggregate(total=Sum("points"))["total"]
        or 0
    )
    added = 0
    for entry in PointsEntry.objects.filter(account=account, action=PointsAction.ADD, points__gt=0).order_by(
        "created_at", "pk"
    ):
        added += entry.points
        if added > removed:  # the oldest entry the removals have not used up
            # Past already when today's expiry run has not come yet: it goes with that run.
            expires_on = max(now, entry.created_at + _expiry_period())
            return Expiring(points=due, expires_on=expires_on, first_entry_id=entry.pk)
    return None


def points_expiring_soon(*, now: datetime | None = None, within_days: int = 7):
    """Each active shopper's account with points the expiry will take within `within_days`, and
    those points (`Expiring`): what the reminder job tells (notifications.reminders)."""
    now = now or timezone.now()
    window_end = points_expiry_cutoff(now=now + timedelta(days=within_days))
    for account in _accounts_with_points_before(window_end).select_related("customer").iterator():
        expiring = points_expiring(account=account, now=now, within_days=within_days)
        if expiring is not None and account.customer.is_active:
            yield account, expiring
