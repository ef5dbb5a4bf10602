"""Address book and bank accounts as the SDK's types declare them (issue 27, item 7): a default
flag can be unset, bank accounts carry `account_type` and take partial updates, and
`POST .../bank-accounts/{id}/verify` (verify-bank-account) asks staff to verify an account."""

import pytest

from common.testing import API, assert_error
from customers import services
from customers.models import Address, BankAccount

from .factories import make_address

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "account_type": "outbound",
    "account_name": "Meera Nair",
    "account_number": "123456789012",
    "ifsc_code": "HDFC0001234",
    "bank_name": "HDFC Bank",
}


def accounts_url(user, account_id=None, suffix=""):
    url = f"{API}/customers/{user.id}/bank-accounts"
    return f"{url}/{account_id}{suffix}" if account_id else url


def _schema(client) -> dict:
    return client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()


# --- a default address flag can be unset ---------------------------------------------------


def test_unsetting_the_default_billing_flag_moves_it_to_another_address(client_for, shopper):
    first, second = make_address(shopper), make_address(shopper)
    client = client_for(shopper)
    url = f"{API}/customers/{shopper.id}/addresses/{first.pk}"
    answer = client.put(url, {"is_default_billing": False}, format="json")
    assert answer.status_code == 200, answer.json()
    address = answer.json()["content"]["address"]
    assert (address["is_default_billing"], address["is_default_shipping"]) == (False, True)
    assert list(Address.objects.filter(customer=shopper, is_default_billing=True).values_list("pk", flat=True)) == [
        second.pk
    ]


def test_the_only_address_keeps_its_default_flags_with_a_clear_code(client_for, shopper):
    only = make_address(shopper)
    response = client_for(shopper).put(
        f"{API}/customers/{shopper.id}/addresses/{only.pk}", {"is_default_shipping": False}, format="json"
    )
    body = assert_error(response, 409, "default_address_required")
    assert list(body["errors"]) == ["is_default_shipping"]
    only.refresh_from_db()
    assert only.is_default_billing and only.is_default_shipping


def test_another_shoppers_address_cannot_be_unset(client_for, shopper, other_shopper):
    theirs = make_address(other_shopper)
    make_address(other_shopper)
    response = client_for(shopper).put(
        f"{API}/customers/{shopper.id}/addresses/{theirs.pk}", {"is_default_billing": False}, format="json"
    )
    assert_error(response, 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.is_default_billing


# --- bank accounts ---------------------------------------------------------------------------


def test_bank_accounts_carry_account_type_and_create_accepts_the_sdk_body(client_for, shopper):
    client = client_for(shopper)
    created = client.post(accounts_url(shopper), ACCOUNT, format="json")
    assert created.status_code == 200, created.json()
    account = created.json()["content"]["bank_account"]
    assert account["account_type"] == "outbound"
    listed = client.get(accounts_url(shopper)).json()["content"]["bank_accounts"]
    assert [a["account_type"] for a in listed] == ["outbound"]
    # account_type may be left out (our own callers); inbound accounts are not kept here.
    without = client.post(accounts_url(shopper), {**ACCOUNT, "account_number": "999988887777"}, format="json")
    assert without.json()["content"]["bank_account"]["account_type"] == "outbound"
    inbound = client.post(
        accounts_url(shopper), {"account_type": "inbound", "service_provider_slug": "lotuspay"}, format="json"
    )
    assert "account_type" in assert_error(inbound, 400, "validation_error")["errors"]
    assert BankAccount.objects.filter(customer=shopper).count() == 2


def test_update_takes_any_subset_of_the_fields_as_the_sdk_says(client_for, shopper):
    client = client_for(shopper)
    account = client.post(accounts_url(shopper), ACCOUNT, format="json").json()["content"]["bank_account"]
    for body in ({"account_type": "outbound"}, {"bank_name": "HDFC"}, {"is_default": True}, {}):
        response = client.put(accounts_url(shopper, account["id"]), body, format="json")
        assert response.status_code == 200, (body, response.json())
    stored = BankAccount.objects.get(pk=account["id"])
    assert (stored.bank_name, stored.account_number, stored.account_name) == ("HDFC", "123456789012", "Meera Nair")
    update = _schema(client)["components"]["schemas"]["BankAccountUpdateInputRequest"]
    assert not update.get("required")


def test_verify_asks_staff_once_and_never_verifies_by_itself(client_for, shopper):
    client = client_for(shopper)
    account = client.post(accounts_url(shopper), ACCOUNT, format="json").json()["content"]["bank_account"]
    url = accounts_url(shopper, account["id"], "/verify")
    first = client.post(url, {"is_verified": True}, format="json")
    assert first.status_code == 200, first.json()
    answered = first.json()["content"]["bank_account"]
    assert answered["is_verified"] is False and answered["account_type"] == "outbound"
    asked_at = BankAccount.objects.get(pk=account["id"]).verification_requested_at
    assert asked_at is not None
    # Asking again changes nothing; false (unverify) and a missing body are refused.
    assert client.post(url, {"is_verified": True}, format="json").status_code == 200
    assert BankAccount.objects.get(pk=account["id"]).verification_requested_at == asked_at
    assert (
        "is_verified"
        in assert_error(client.post(url, {"is_verified": False}, format="json"), 400, "validation_error")["errors"]
    )
    assert_error(client.post(url, {}, format="json"), 400, "validation_error")
    # Staff verify it (the admin's action, the same service); the SDK then reads it verified.
    services.bank_account_verify(account=BankAccount.objects.get(pk=account["id"]))
    done = client.post(url, {"is_verified": True}, format="json").json()
    assert (
        done["content"]["bank_account"]["is_verified"] is True and done["message"] == "This bank account is verified."
    )


def test_a_changed_number_needs_a_new_verification_request(client_for, shopper):
    client = client_for(shopper)
    account = client.post(accounts_url(shopper), ACCOUNT, format="json").json()["content"]["bank_account"]
    client.post(accounts_url(shopper, account["id"], "/verify"), {"is_verified": True}, format="json")
    client.put(accounts_url(shopper, account["id"]), {"account_number": "555566667777"}, format="json")
    assert BankAccount.objects.get(pk=account["id"]).verification_requested_at is None


def test_verify_ownership_and_methods(api, client_for, shopper, other_shopper):
    account = services.bank_account_create(customer=other_shopper, data={k: v for k, v in ACCOUNT.items()})
    mine = client_for(shopper)
    # Another shopper's account under my id: 404; under their id: 403; no token: 401.
    assert_error(
        mine.post(accounts_url(shopper, account.pk, "/verify"), {"is_verified": True}, format="json"), 404, "not_found"
    )
    assert_error(
        mine.post(accounts_url(other_shopper, account.pk, "/verify"), {"is_verified": True}, format="json"),
        403,
        "forbidden",
    )
    assert (
        api.post(accounts_url(other_shopper, account.pk, "/verify"), {"is_verified": True}, format="json").status_code
        == 401
    )
    assert_error(
        mine.post(accounts_url(shopper, "not-a-ulid", "/verify"), {"is_verified": True}, format="json"),
        404,
        "not_found",
    )
    theirs = client_for(other_shopper)
    assert_error(theirs.get(accounts_url(other_shopper, account.pk, "/verify")), 405, "method_not_allowed")
    assert BankAccount.objects.get(pk=account.pk).verification_requested_at is None


def test_verify_is_documented_as_the_sdk_operation(client):
    operation = _schema(client)["paths"]["/api/v1/storefront/customers/{user_id}/bank-accounts/{account_id}/verify"][
        "post"
    ]
    assert operation["operationId"] == "verify-bank-account"
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])


# --- the user's names may be null ------------------------------------------------------------


def test_update_user_accepts_null_names_as_the_sdks_user_allows(client_for, shopper):
    client = client_for(shopper)
    before = (shopper.first_name, shopper.last_name)
    response = client.put(f"{API}/auth/user/{shopper.id}", {"first_name": None, "last_name": None}, format="json")
    assert response.status_code == 200, response.json()
    shopper.refresh_from_db()
    # null is "not sent" (the whole User read back may carry nulls): the names stay.
    assert (shopper.first_name, shopper.last_name) == before
    renamed = client.put(f"{API}/auth/user/{shopper.id}", {"first_name": "Asha", "last_name": None}, format="json")
    assert renamed.json()["content"]["user"]["first_name"] == "Asha"
