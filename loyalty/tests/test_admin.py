"""The back office for loyalty: point adjustments, by Managers only, with remarks."""

import pytest

from common.testing import admin_action
from loyalty.models import LoyaltyAccount
from loyalty.services import loyalty_account_ensure

pytestmark = pytest.mark.django_db

ACCOUNTS = "/admin/loyalty/loyaltyaccount/"


def test_support_cannot_adjust_points(staff_client, shopper):
    client = staff_client("Support")
    account = loyalty_account_ensure(customer=shopper)
    admin_action(client, ACCOUNTS, "adjust", [account], points="50", activity="bonus", remarks="x")
    assert LoyaltyAccount.objects.get(pk=account.pk).points_balance == 0


def test_manager_adjusts_points_with_remarks(staff_client, shopper):
    client = staff_client("Managers")
    account = loyalty_account_ensure(customer=shopper)
    page = admin_action(client, ACCOUNTS, "adjust", [account], points="50", activity="bonus", remarks="")
    assert b"This field is required." in page.content
    admin_action(client, ACCOUNTS, "adjust", [account], points="50", activity="bonus", remarks="Sorry for the delay")
    assert LoyaltyAccount.objects.get(pk=account.pk).points_balance == 50
    refused = admin_action(client, ACCOUNTS, "adjust", [account], points="-80", activity="other", remarks="Correction")
    assert b"cannot go below zero" in refused.content


def test_no_adjustments_while_the_program_is_off(staff_client, shopper, settings):
    client = staff_client("Managers")
    account = loyalty_account_ensure(customer=shopper)
    settings.LOYALTY_ENABLED = False
    page = admin_action(client, ACCOUNTS, "adjust", [account], points="50", activity="bonus", remarks="Gift")
    assert b"The loyalty program is not available." in page.content
    assert LoyaltyAccount.objects.get(pk=account.pk).points_balance == 0
