"""The back office for the address book: bank account verification, by Managers only."""

import pytest

from common.testing import admin_action
from customers.services import bank_account_create

pytestmark = pytest.mark.django_db

BANK_ACCOUNTS = "/admin/customers/bankaccount/"


def test_bank_account_verification(staff_client, shopper):
    account = bank_account_create(
        customer=shopper,
        data={"account_name": "M", "account_number": "123456789012", "ifsc_code": "HDFC0001234", "bank_name": "HDFC"},
    )
    admin_action(staff_client("Support"), BANK_ACCOUNTS, "verify", [account])
    account.refresh_from_db()
    assert not account.is_verified
    admin_action(staff_client("Managers"), BANK_ACCOUNTS, "verify", [account])
    account.refresh_from_db()
    assert account.is_verified
