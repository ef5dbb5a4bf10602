"""One sign-in rule for the API, the "My Account" website and the Django admin (issue 16, item 3).

Failed sign-ins are counted per account, per client address, and per account *and* address, in
the shared cache, whichever door they came through; an account or address over its limit is
refused even with the right password until the lock expires.
"""

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from common.testing import API, PASSWORD, assert_error

pytestmark = pytest.mark.django_db

LOCKED = b"Too many failed sign-ins"
HOME = "10.1.0.1"


@pytest.fixture
def limit(settings):
    """Small limits: 2 per account and address, 8 per address, 20 per account."""
    settings.LOGIN_FAILURE_LIMIT = 2
    return 2


@pytest.fixture
def staff(make_user):
    user = make_user(
        email="admin@example.com", phone="9000000001", first_name="Asha", is_email_verified=True, is_phone_verified=True
    )
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def phone_shopper(make_user):
    return make_user(email=None, phone="9876543210", is_phone_verified=True)


def admin_sign_in(username, password, ip=HOME):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )
    response.signed_in = "_auth_user_id" in client.session
    return response


def website_sign_in(username, password, ip=HOME):
    client = Client()
    response = client.post("/account/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    response.signed_in = "_auth_user_id" in client.session
    return response


def api_sign_in(password, ip=HOME, **identifier):
    return APIClient(REMOTE_ADDR=ip).post(
        f"{API}/auth/login/password", {**identifier, "password": password}, format="json"
    )


def test_admin_refuses_the_right_password_after_twenty_wrong_ones(staff, caplog):
    for _ in range(20):
        response = admin_sign_in("admin@example.com", "wrong-pass-1")
        assert response.status_code == 200 and not response.signed_in
    response = admin_sign_in("admin@example.com", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content and b"errornote" in response.content
    assert not response.signed_in
    # Nothing else lets the locked account in either: Django's authenticate() uses the same rule.
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=HOME)
    assert authenticate(request, username="admin@example.com", password=PASSWORD) is None
    # The lock is in the logs, with the client's address and without the email.
    locked = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sign-in locked")]
    assert locked and HOME in locked[0] and "admin@example.com" not in " ".join(locked)


def test_the_website_the_api_and_the_admin_count_on_one_counter(staff, limit):
    # One failure through the website (typed in capitals, with spaces), one through the API:
    assert not website_sign_in("  ADMIN@Example.com ", "wrong-pass-1").signed_in
    assert_error(api_sign_in("wrong-pass-1", email="admin@example.com"), 401, "unauthorized")
    # ... and the account is locked from this address everywhere.
    assert_error(api_sign_in(PASSWORD, email="admin@example.com"), 429, "throttled")
    website = website_sign_in("admin@example.com", PASSWORD)
    assert LOCKED in website.content and not website.signed_in
    admin = admin_sign_in("admin@example.com", PASSWORD)
    assert LOCKED in admin.content and not admin.signed_in


def test_admin_failures_lock_the_website_and_the_api(staff, limit):
    for _ in range(limit):
        assert not admin_sign_in("Admin@example.com", "wrong-pass-1").signed_in
    assert_error(api_sign_in(PASSWORD, email="admin@example.com"), 429, "throttled")
    assert LOCKED in website_sign_in("admin@example.com", PASSWORD).content


@pytest.mark.parametrize("typed", ["9876543210", "98765 43210", "+91 98765-43210"])
def test_a_phone_typed_on_the_website_is_the_phone_the_api_gets(phone_shopper, limit, typed):
    for _ in range(limit):
        assert not website_sign_in(typed, "wrong-pass-1").signed_in
    response = api_sign_in(PASSWORD, phone="9876543210", country_code="+91")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # ... and the other way round, for another address.
    for _ in range(limit):
        assert_error(api_sign_in("wrong-pass-1", ip="10.1.0.2", phone="9876543210"), 401, "unauthorized")
    assert LOCKED in website_sign_in(typed, PASSWORD, ip="10.1.0.2").content


def test_the_tight_lock_is_per_account_and_address(staff, limit):
    for _ in range(limit):
        assert not admin_sign_in("admin@example.com", "wrong-pass-1", ip="10.2.0.1").signed_in
    assert LOCKED in admin_sign_in("admin@example.com", PASSWORD, ip="10.2.0.1").content
    # Somebody guessing from one address does not lock the owner out from theirs.
    assert admin_sign_in("admin@example.com", PASSWORD, ip="10.2.0.2").signed_in


def test_an_account_attacked_from_many_addresses_is_locked_everywhere(staff, limit):
    # Each address stays under its own limits; together they pass the looser per-account one (20).
    for n in range(10):
        for _ in range(limit):
            assert not admin_sign_in("admin@example.com", "wrong-pass-1", ip=f"10.3.0.{n}").signed_in
    response = admin_sign_in("admin@example.com", PASSWORD, ip="10.3.1.1")
    assert LOCKED in response.content and not response.signed_in
    assert_error(api_sign_in(PASSWORD, ip="10.3.1.2", email="admin@example.com"), 429, "throttled")


def test_an_address_trying_many_accounts_is_locked_for_every_account(staff, shopper, limit):
    # One failure each for eight accounts (limit 2 x 4), through every door, from one address.
    for n in range(3):
        assert not admin_sign_in(f"nobody{n}@example.com", "wrong-pass-1", ip="10.4.0.1").signed_in
    for n in range(3, 6):
        assert not website_sign_in(f"nobody{n}@example.com", "wrong-pass-1", ip="10.4.0.1").signed_in
    for n in range(6, 8):
        assert_error(api_sign_in("wrong-pass-1", ip="10.4.0.1", email=f"nobody{n}@example.com"), 401, "unauthorized")
    response = admin_sign_in("admin@example.com", PASSWORD, ip="10.4.0.1")
    assert LOCKED in response.content and not response.signed_in
    assert LOCKED in website_sign_in(shopper.email, PASSWORD, ip="10.4.0.1").content
    # Other addresses are not affected.
    assert admin_sign_in("admin@example.com", PASSWORD, ip="10.4.0.2").signed_in


def test_admin_sign_in_still_works_and_still_needs_staff(staff, shopper):
    assert admin_sign_in("admin@example.com", PASSWORD).signed_in
    assert admin_sign_in("+91 90000 00001", PASSWORD).signed_in
    refused = admin_sign_in(shopper.email, PASSWORD)
    assert not refused.signed_in and b"staff account" in refused.content
