"""Loyalty services: the ledger and its balance, earning, redeeming, reversing, expiry, tiers;
and what still runs with the program off."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from common.exceptions import DomainError, InvalidInput
from common.testing import run_together
from loyalty import services
from loyalty.models import LoyaltyAccount, PointsAction, PointsEntry
from loyalty.selectors import loyalty_summary

pytestmark = pytest.mark.django_db


def account_of(user) -> LoyaltyAccount:
    return LoyaltyAccount.objects.select_related("tier").get(customer=user)


def assert_ledger_matches(user):
    account = account_of(user)
    entries = PointsEntry.objects.filter(account=account)
    added = entries.filter(action=PointsAction.ADD).aggregate(s=Sum("points"))["s"] or 0
    removed = entries.filter(action=PointsAction.REMOVE).aggregate(s=Sum("points"))["s"] or 0
    assert account.points_balance == added - removed >= 0
    return account


def award(user, number="ORD-1", amount="5000", clears_in_days=None, **kwargs):
    clears_at = timezone.now() + timedelta(days=clears_in_days) if clears_in_days else None
    return services.points_award(
        customer=user, order_number=number, amount=Decimal(amount), clears_at=clears_at, **kwargs
    )


def test_account_opens_on_first_use_in_the_lowest_tier(shopper):
    account = services.loyalty_account_ensure(customer=shopper)
    assert account.tier.name == "Silver" and account.points_balance == 0
    assert account.membership_number.startswith("LM") and len(account.membership_number) == 12
    assert services.loyalty_account_ensure(customer=shopper).pk == account.pk


def test_signup_bonus_when_configured(shopper, settings):
    settings.LOYALTY_SIGNUP_POINTS = 50
    account = services.loyalty_account_ensure(customer=shopper)
    assert account.points_balance == 50
    assert PointsEntry.objects.get(account=account).activity == "signup"


def test_award_is_points_per_unit_times_multiplier_and_counts_the_order(shopper, settings):
    settings.LOYALTY_POINTS_PER_CURRENCY_UNIT = "0.1"
    entry = award(shopper, amount="5009.99", savings=Decimal("120"))
    assert entry.points == 500 and entry.activity == "order-placed" and entry.action == "add"
    account = assert_ledger_matches(shopper)
    assert (account.points_earned, account.total_orders, account.lifetime_orders) == (500, 1, 1)
    assert account.total_spent == Decimal("5009.99") and account.lifetime_savings == Decimal("120")


def test_award_is_once_per_order(shopper):
    award(shopper, "ORD-1")
    award(shopper, "ORD-1")
    assert account_of(shopper).points_balance == 500
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            account=account_of(shopper),
            action="add",
            activity="order-placed",
            kind="earn",
            reference_number="ORD-1",
            title="dup",
            points=1,
        )


def test_tier_upgrade_then_richer_multiplier_then_downgrade_on_return(shopper, tiers):
    award(shopper, "ORD-1", amount="30000")
    account = account_of(shopper)
    assert account.tier.name == "Gold"
    upgrade = PointsEntry.objects.get(account=account, activity="tier-upgrade")
    assert upgrade.points == 0 and "Gold" in upgrade.title
    entry = award(shopper, "ORD-2", amount="1000")
    assert entry.points == 125  # 1000 * 0.1 * 1.25
    services.points_reverse(customer=shopper, order_number="ORD-1", earned_points=3000, spend=Decimal("30000"))
    account = account_of(shopper)
    assert account.tier.name == "Silver"
    assert PointsEntry.objects.filter(account=account, activity="tier-downgrade").exists()
    assert_ledger_matches(shopper)


def test_earned_points_are_pending_until_the_return_window_closes(shopper):
    award(shopper, "ORD-1", amount="5000", clears_in_days=7)
    award(shopper, "ORD-0", amount="2000")  # already cleared
    account = account_of(shopper)
    assert account.points_balance == 700
    assert services.points_redeemable(account=account) == 200
    later = timezone.now() + timedelta(days=8)
    assert services.points_redeemable(account=account, now=later) == 700
    assert loyalty_summary(account=account)["points_redeemable"] == 200


def test_redeem_only_cleared_points(shopper):
    award(shopper, "ORD-1", amount="5000", clears_in_days=7)
    award(shopper, "ORD-0", amount="2000")
    with pytest.raises(DomainError) as exc:
        services.points_redeem(customer=shopper, points=201, order_number="ORD-9")
    assert exc.value.code == "insufficient_points" and exc.value.extra["points_redeemable"] == 200
    entry = services.points_redeem(customer=shopper, points=200, order_number="ORD-9")
    assert entry.action == "remove"
    account = assert_ledger_matches(shopper)
    assert account.points_redeemed == 200 and account.points_balance == 500
    with pytest.raises(InvalidInput):
        services.points_redeem(customer=shopper, points=0, order_number="ORD-9")


def test_reverse_gives_back_redeemed_and_takes_back_earned(shopper):
    award(shopper, "ORD-0", amount="3000")  # 300 cleared
    services.points_redeem(customer=shopper, points=100, order_number="ORD-1")
    award(shopper, "ORD-1", amount="1000", clears_in_days=7)  # 100 pending
    result = services.points_reverse(customer=shopper, order_number="ORD-1", earned_points=100, redeemed_points=100)
    assert (result.given_back, result.taken_back, result.shortfall) == (100, 100, 0)
    account = assert_ledger_matches(shopper)
    assert account.points_balance == 300
    assert services.points_redeemable(account=account) == 300  # the pending earn is cancelled out
    # A second reversal finds nothing left to undo.
    again = services.points_reverse(customer=shopper, order_number="ORD-1", earned_points=100, redeemed_points=100)
    assert (again.given_back, again.taken_back) == (0, 0)


def test_reverse_never_goes_below_zero_and_records_the_shortfall(shopper):
    award(shopper, "ORD-1", amount="3000")  # 300, cleared
    services.points_redeem(customer=shopper, points=250, order_number="ORD-2")
    result = services.points_reverse(customer=shopper, order_number="ORD-1", earned_points=300, reason="Returned.")
    assert (result.taken_back, result.shortfall) == (50, 250)
    entry = PointsEntry.objects.get(kind="earn-reversal")
    assert entry.shortfall == 250 and "250 points could not be taken back" in entry.remarks
    assert assert_ledger_matches(shopper).points_balance == 0


def test_adjust_needs_remarks_and_cannot_overdraw(shopper, make_user):
    staff = make_user(email="staff@example.com", phone="9000000999", is_email_verified=True)
    with pytest.raises(InvalidInput):
        services.points_adjust(customer=shopper, points=50, remarks=" ")
    entry = services.points_adjust(customer=shopper, points=50, remarks="Sorry for the delay", staff=staff)
    assert (entry.activity, entry.created_by) == ("bonus", staff)
    with pytest.raises(DomainError):
        services.points_adjust(customer=shopper, points=-51, activity="other", remarks="Correction")
    services.points_adjust(customer=shopper, points=-20, activity="other", remarks="Correction")
    assert assert_ledger_matches(shopper).points_balance == 30


def test_balance_cannot_go_negative_in_the_database(shopper):
    account = services.loyalty_account_ensure(customer=shopper)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyAccount.objects.filter(pk=account.pk).update(points_balance=-1)


def test_expire_points_command_expires_old_unspent_points(shopper, make_user):
    other = make_user(email="o@example.com", phone="9000000888")
    old = timezone.now() - timedelta(days=400)
    award(shopper, "OLD-1", amount="3000")
    award(shopper, "NEW-1", amount="1000")
    PointsEntry.objects.filter(reference_number="OLD-1").update(created_at=old)
    services.points_redeem(customer=shopper, points=100, order_number="SPEND")  # spends old points first
    award(other, "NEW-2", amount="1000")
    call_command("expire_points", "--months", "12")
    account = assert_ledger_matches(shopper)
    assert account.points_balance == 100  # 300 old - 100 spent expired; 100 new remain
    expired = PointsEntry.objects.get(account=account, activity="points-expired")
    assert expired.points == 200 and expired.action == "remove"
    assert account_of(other).points_balance == 100
    call_command("expire_points", "--months", "12")  # nothing more to expire
    assert PointsEntry.objects.filter(activity="points-expired").count() == 1


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_redemptions_against_a_balance_for_10(shopper, tiers):
    award(shopper, "ORD-1", amount="5000")  # 500 points, cleared
    successes = []

    def redeem(n):
        services.points_redeem(customer=shopper, points=50, order_number=f"R-{n}")
        successes.append(n)

    errors = run_together(*[(lambda n=n: redeem(n)) for n in range(50)])
    assert len(successes) == 10
    assert len(errors) == 40 and all(getattr(e, "code", None) == "insufficient_points" for e in errors)
    account = assert_ledger_matches(shopper)
    assert account.points_balance == 0 and account.points_redeemed == 500


# --- the program switched off (LOYALTY_ENABLED) ---------------------------------------------


def test_with_the_program_off_nothing_earns_spends_or_grants_points(shopper, settings):
    settings.LOYALTY_SIGNUP_POINTS = 50
    settings.LOYALTY_ENABLED = False
    account = services.loyalty_account_ensure(customer=shopper)
    assert account.points_balance == 0  # no welcome bonus
    assert award(shopper, "ORD-1", amount="5000") is None
    for refused in (
        lambda: services.points_redeem(customer=shopper, points=10, order_number="ORD-2"),
        lambda: services.points_adjust(customer=shopper, points=10, remarks="Gift"),
    ):
        with pytest.raises(DomainError) as exc:
            refused()
        assert (exc.value.status_code, exc.value.code) == (404, "loyalty_disabled")
    account = assert_ledger_matches(shopper)
    assert (account.points_balance, account.total_orders, account.total_spent) == (0, 0, 0)
    assert not PointsEntry.objects.exists()


def test_with_the_program_off_what_the_ledger_holds_can_still_be_undone(shopper, settings):
    award(shopper, "ORD-1", amount="3000")
    services.points_redeem(customer=shopper, points=100, order_number="ORD-2")
    settings.LOYALTY_ENABLED = False
    result = services.points_reverse(customer=shopper, order_number="ORD-2", redeemed_points=100, reason="Cancelled.")
    assert result.given_back == 100
    assert assert_ledger_matches(shopper).points_balance == 300


def test_an_order_completed_with_the_program_off_earns_nothing(shopper, settings):
    from orders.tests.factories import completed

    settings.LOYALTY_ENABLED = False
    order = completed(shopper)
    assert order.status == "complete" and order.loyalty_points_earned == 0
    assert not PointsEntry.objects.filter(reference_number=order.number).exists()
    settings.LOYALTY_ENABLED = True
    assert completed(shopper).loyalty_points_earned > 0  # and with it on, an order does
