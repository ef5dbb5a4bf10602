from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.models import BaseModel

from .titles import entry_title_read


class Tier(BaseModel):
    """A loyalty tier, reached by spending at least `min_spend`; staff edit these in admin."""

    name = models.CharField(max_length=50, unique=True)
    min_spend = models.DecimalField(
        max_digits=14, decimal_places=2, unique=True, validators=[MinValueValidator(Decimal("0"))]
    )
    earn_multiplier = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = None  # reference data that staff edit; the admin's history keeps the times
    modified_at = None

    class Meta:
        ordering = ["min_spend"]
        constraints = [
            models.CheckConstraint(condition=Q(min_spend__gte=0), name="loyalty_tier_min_spend_positive"),
            models.CheckConstraint(condition=Q(earn_multiplier__gte=0), name="loyalty_tier_multiplier_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class LoyaltyAccount(BaseModel):
    """A customer's membership: the running totals of the points ledger and of their orders."""

    customer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loyalty_account")
    membership_number = models.CharField(max_length=20, unique=True)
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    date_of_join = models.DateTimeField(default=timezone.now)
    date_of_assign = models.DateTimeField(default=timezone.now)  # when the current tier was given
    date_of_reset = models.DateTimeField(null=True, blank=True)  # start of the current spend period
    points_balance = models.PositiveIntegerField(default=0)
    points_earned = models.PositiveIntegerField(default=0)
    points_redeemed = models.PositiveIntegerField(default=0)
    total_orders = models.PositiveIntegerField(default=0)  # since date_of_reset
    total_spent = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    lifetime_orders = models.PositiveIntegerField(default=0)
    lifetime_spent = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    lifetime_savings = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        permissions = [("adjust_points", "Can adjust loyalty points")]
        constraints = [
            models.CheckConstraint(condition=Q(points_balance__gte=0), name="loyalty_balance_never_negative"),
            models.CheckConstraint(condition=Q(total_spent__gte=0), name="loyalty_total_spent_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_number} ({self.customer})"


class PointsAction(models.TextChoices):
    ADD = "add", "Add"
    REMOVE = "remove", "Remove"


class PointsActivity(models.TextChoices):
    ORDER_PLACED = "order-placed", "Order placed"
    CREDIT_NOTE_ISSUED = "credit-note-issued", "Credit note issued"
    TIER_UPGRADE = "tier-upgrade", "Tier upgrade"
    TIER_DOWNGRADE = "tier-downgrade", "Tier downgrade"
    POINTS_EXPIRED = "points-expired", "Points expired"
    POINTS_CARRYFORWARD = "points-carryforward", "Points carried forward"
    SIGNUP = "signup", "Sign-up"
    BONUS = "bonus", "Bonus"
    OTHER = "other", "Other"


class EntryKind(models.TextChoices):
    """What an entry did, for our own bookkeeping (the contract's `activity` is coarser)."""

    EARN = "earn", "Earned on an order"
    REDEEM = "redeem", "Redeemed on an order"
    EARN_REVERSAL = "earn-reversal", "Earned points taken back"
    REDEEM_REVERSAL = "redeem-reversal", "Redeemed points given back"
    ADJUSTMENT = "adjustment", "Staff adjustment"
    EXPIRY = "expiry", "Expiry"
    TIER_CHANGE = "tier-change", "Tier change"
    SIGNUP = "signup", "Sign-up bonus"


class PointsEntry(BaseModel):
    """One line of the append-only points ledger. The account's balance is the sum of these.

    Earned points stay pending until `clears_at` (the order's return window); an entry that
    takes back pending points carries the same `clears_at`, so the two cancel out while pending.
    """

    account = models.ForeignKey(LoyaltyAccount, on_delete=models.CASCADE, related_name="entries")
    action = models.CharField(max_length=6, choices=PointsAction.choices)
    activity = models.CharField(max_length=20, choices=PointsActivity.choices)
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    reference_number = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200)
    points = models.PositiveIntegerField()
    remarks = models.CharField(max_length=500, blank=True)
    shortfall = models.PositiveIntegerField(default=0)  # points that could not be taken back
    clears_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)  # may be given: auto_now_add would ignore it

    class Meta:
        verbose_name_plural = "points entries"
        indexes = [models.Index(fields=["account", "-created_at"])]
        constraints = [
            # An order earns once and redeems once.
            models.UniqueConstraint(
                fields=["account", "reference_number", "kind"],
                condition=Q(kind__in=["earn", "redeem", "signup"]),
                name="loyalty_entry_once_per_order",
            ),
        ]

    @property
    def display_title(self) -> str:
        """The title in the reader's language (loyalty.titles); `title` stays as stored."""
        return entry_title_read(self.title)

    def __str__(self) -> str:
        sign = "+" if self.action == PointsAction.ADD else "-"
        return f"{sign}{self.points} {self.title}"
