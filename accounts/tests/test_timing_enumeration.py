"""No enumeration by timing (issue 29 item 7; ASVS 5.0 6.3.8): password sign-in (API and
website), forgot-password and code sign-in take the same time for an address that has an account
and one that has none: the median difference over 200 tries each is under 5 ms.

The password hasher here is PBKDF2 at a cost of about 10-20 ms (the suite's MD5 would hide a
missing hash): without the dummy hash for an unknown address, sign-in differs by that much."""

import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache

from accounts.models import OtpToken
from common.testing import API

pytestmark = pytest.mark.django_db

TRIES = 200
LIMIT_MS = 5.0


class CostlyHasher(PBKDF2PasswordHasher):
    """PBKDF2 at a cost that shows: a missing hash would be a 10+ ms gap."""

    algorithm = "pbkdf2_sha256_timing"
    iterations = 40_000


@pytest.fixture
def costly(settings, make_user):
    settings.PASSWORD_HASHERS = ["accounts.tests.test_timing_enumeration.CostlyHasher"]
    return make_user(email="known@example.com", phone="9000000101", is_email_verified=True, is_phone_verified=True)


def median_gap(call_known, call_unknown) -> tuple[float, float]:
    """Median ms of each, interleaved so drift hits both alike; the counters and the resend wait
    are cleared between tries (untimed), so every try takes the full path."""
    known, unknown = [], []
    for i in range(TRIES * 2):
        cache.clear()
        OtpToken.objects.all().delete()
        call, times = (call_known, known) if i % 2 == 0 else (call_unknown, unknown)
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(known), statistics.median(unknown)


def assert_same_time(call_known, call_unknown):
    for _ in range(5):  # warm: imports, templates, connections
        call_known(), call_unknown()
    known, unknown = median_gap(call_known, call_unknown)
    assert abs(known - unknown) < LIMIT_MS, f"known {known:.2f} ms, unknown {unknown:.2f} ms"


def test_password_sign_in_api(api, costly):
    def attempt(email):
        return lambda: api.post(f"{API}/auth/login/password", {"email": email, "password": "wrong"}, format="json")

    assert attempt(costly.email)().status_code == 401
    assert_same_time(attempt(costly.email), attempt("nobody@example.com"))


def test_password_sign_in_website(client, costly):
    def attempt(username):
        return lambda: client.post("/account/sign-in/", {"username": username, "password": "wrong"})

    assert attempt(costly.email)().status_code == 200
    assert_same_time(attempt(costly.email), attempt("nobody@example.com"))


def test_forgot_password(api, costly):
    def ask(email):
        return lambda: api.post(f"{API}/auth/forgot-password", {"email": email}, format="json")

    assert ask(costly.email)().status_code == 200
    assert_same_time(ask(costly.email), ask("nobody@example.com"))


def test_code_sign_in(api, costly):
    def ask(phone):
        return lambda: api.post(f"{API}/auth/login/phone", {"phone": phone}, format="json")

    assert ask(costly.phone)().status_code == 200
    assert_same_time(ask(costly.phone), ask("9000000199"))
