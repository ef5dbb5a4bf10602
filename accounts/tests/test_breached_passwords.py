"""Breached passwords are refused at registration, change and reset (issue 29 item 4; ASVS 5.0
6.2.12), by asking a local fake of the Pwned Passwords range API (`fake_pwned`)."""

import hashlib
import logging
import time

import pytest
from django.core.cache import cache

from accounts.breached import breach_count
from common.testing import API, PASSWORD, assert_error

from .fake_pwned import FakePwned

pytestmark = pytest.mark.django_db

BREACHED = "sunshine-and-rainbows-2024"
CLEAN = "velvet-otter-quarry-58"


@pytest.fixture
def pwned(settings):
    cache.clear()
    fake = FakePwned({BREACHED: 4213, PASSWORD + "-x": 0})
    settings.PWNED_PASSWORDS_API_URL = fake.url
    settings.PWNED_PASSWORDS_TIMEOUT = 0.5
    yield fake
    fake.close()


def test_only_five_hex_digits_leave_and_the_answer_is_padded(pwned):
    assert breach_count(BREACHED) == 4213
    assert breach_count(CLEAN) == 0
    path, headers = pwned.requests[0]
    digest = hashlib.sha1(BREACHED.encode()).hexdigest().upper()
    assert path == f"/range/{digest[:5]}" and digest[5:] not in path
    assert headers["Add-Padding"] == "true"


def test_a_padding_line_of_count_zero_is_no_finding(pwned):
    assert breach_count(PASSWORD + "-x") == 0


def test_registration_refuses_a_breached_password(api, pwned):
    body = {"email": "new@example.com", "password": BREACHED, "confirm_password": BREACHED}
    refused = assert_error(api.post(f"{API}/auth/register/password", body, format="json"), 400, "validation_error")
    assert "data breach" in refused["errors"]["password"][0]
    body.update(password=CLEAN, confirm_password=CLEAN)
    assert api.post(f"{API}/auth/register/password", body, format="json").status_code == 200


def test_change_password_refuses_it_api_and_website(client_for, signed_in, shopper, pwned):
    body = {"old_password": PASSWORD, "new_password": BREACHED, "confirm_password": BREACHED}
    refused = assert_error(
        client_for(shopper).post(f"{API}/auth/change-password", body, format="json"), 400, "validation_error"
    )
    assert "data breach" in refused["errors"]["new_password"][0]
    page = signed_in.post(
        "/account/profile/password/",
        {"old_password": PASSWORD, "new_password": BREACHED, "confirm_password": BREACHED},
    )
    assert page.status_code == 400 and "data breach" in page.content.decode()
    shopper.refresh_from_db()
    assert shopper.check_password(PASSWORD)


def test_reset_refuses_it(api, shopper, pwned, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"{API}/auth/forgot-password", {"email": shopper.email}, format="json").json()["content"]
    code = [m for m in mail.outbox if m.to == [shopper.email]][-1].body.split()[0]
    body = {"otp_token": sent["otp_token"], "otp": code, "new_password": BREACHED, "confirm_password": BREACHED}
    refused = assert_error(api.post(f"{API}/auth/reset-password", body, format="json"), 400, "validation_error")
    assert "data breach" in refused["errors"]["new_password"][0]


@pytest.mark.parametrize("mode", ["down", "slow", "gone"])
def test_when_the_service_does_not_answer_the_password_is_accepted_and_a_warning_logged(
    api, pwned, settings, caplog, mode
):
    if mode == "gone":
        pwned.close()
    else:
        pwned.mode, pwned.delay = mode, 2.0
    body = {"email": "new@example.com", "password": BREACHED, "confirm_password": BREACHED}
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="accounts.breached"):
        answer = api.post(f"{API}/auth/register/password", body, format="json")
    assert answer.status_code == 200, answer.json()
    assert time.monotonic() - started < 1.9  # the 0.5 s timeout, not the service's 2 s
    assert any("did not answer" in r.getMessage() for r in caplog.records)
