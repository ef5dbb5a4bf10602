"""The password that confirms a serious step while signed in (deleting the account, downloading
its data, changing the password) is guessed no faster than at sign-in: wrong ones count in the
sign-in lockout (accounts.lockout) under the account's key and the client address. An outside
attack sent 45 wrong passwords to DELETE /auth/user/{id} with a stolen token, all answered 400."""

import pytest

from accounts.models import User
from common.testing import API, PASSWORD, assert_error


@pytest.fixture
def locks_after_three(settings):
    settings.LOGIN_FAILURE_LIMIT = 3


def test_wrong_passwords_on_delete_lock_it_and_the_sign_in(client_for, api, shopper, locks_after_three):
    token_holder = client_for(shopper)
    for _ in range(3):
        response = token_holder.delete(f"{API}/auth/user/{shopper.id}", {"password": "guess-1234"}, format="json")
        assert_error(response, 400, "invalid_password")
    # Locked: even the right password is refused now, here and at the sign-in page's door.
    locked = token_holder.delete(f"{API}/auth/user/{shopper.id}", {"password": PASSWORD}, format="json")
    assert_error(locked, 429, "throttled")
    assert User.objects.filter(pk=shopper.pk, is_active=True).exists()
    signin = api.post(f"{API}/auth/login/password", {"email": shopper.email, "password": PASSWORD}, format="json")
    assert_error(signin, 429, "throttled")


def test_wrong_current_passwords_on_change_password_lock_it(client_for, shopper, locks_after_three):
    token_holder = client_for(shopper)
    new = "A-new-long-passphrase-9"
    body = {"old_password": "guess-1234", "new_password": new, "confirm_password": new}
    for _ in range(3):
        assert_error(token_holder.post(f"{API}/auth/change-password", body, format="json"), 400, "invalid_password")
    right = {**body, "old_password": PASSWORD}
    assert_error(token_holder.post(f"{API}/auth/change-password", right, format="json"), 429, "throttled")
    shopper.refresh_from_db()
    assert shopper.check_password(PASSWORD)


def test_the_website_download_counts_wrong_passwords_too(signed_in, shopper, locks_after_three):
    for _ in range(3):
        page = signed_in.post("/account/profile/data/download/", {"download-password": "guess-1234"})
        assert page.status_code == 400 and "The password is not correct." in page.content.decode()
    page = signed_in.post("/account/profile/data/download/", {"download-password": PASSWORD})
    assert page.status_code == 400 and not page.has_header("Content-Disposition")
    assert "Too many failed sign-ins" in page.content.decode()


def test_another_account_is_not_locked_by_them(client_for, shopper, other_shopper, locks_after_three):
    for _ in range(3):
        client_for(shopper).delete(f"{API}/auth/user/{shopper.id}", {"password": "guess-1234"}, format="json")
    new = "A-new-long-passphrase-9"
    body = {"old_password": PASSWORD, "new_password": new, "confirm_password": new}
    assert client_for(other_shopper).post(f"{API}/auth/change-password", body, format="json").status_code == 200
