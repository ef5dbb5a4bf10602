"""Fixtures and test settings shared by every app's tests."""

import pytest
from rest_framework.test import APIClient

from accounts.messaging import LocmemSmsBackend
from common.testing import PASSWORD, require_service


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # `@pytest.mark.requires_service("redis")`: skipped with the reason where it is missing, a
    # failure with REQUIRE_SERVICES=1 (common.testing.require_service). Before any fixture.
    for mark in item.iter_markers("requires_service"):
        require_service(*mark.args)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing: the real hasher's cost is deliberate and has no place in a test run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "accounts.messaging.LocmemSmsBackend"
    settings.STOREFRONT_API_KEY = ""
    # No internet here: Pwned Passwords is asked only by the tests that start its fake
    # (accounts/tests/fake_pwned.py), which speaks the real range API.
    settings.PWNED_PASSWORDS_API_URL = ""
    # The test run is one process, whose memory cache every test client and live server shares:
    # session rows are cached as with Redis (without REDIS_URL the setting is 0, which
    # accounts/tests/test_session_lookup.py covers), and the query-count pins count what
    # production runs.
    settings.AUTH_SESSION_CACHE_SECONDS = 300
    LocmemSmsBackend.outbox.clear()
    # Rate limits and sign-in lockouts live in the cache; every test starts with a clean one.
    from django.core.cache import cache

    cache.clear()
    # Each test starts in the shop's language: a request in Hindi leaves it active in the thread
    # (Django's LocaleMiddleware activates per request and never resets), and a lazy message
    # compared later would read in Hindi.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def text_outbox():
    return LocmemSmsBackend.outbox


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_user(db):
    from accounts.services import user_create

    def make(email="shopper@example.com", phone="9123456780", **fields):
        return user_create(password=fields.pop("password", PASSWORD), email=email, phone=phone, **fields)

    return make


@pytest.fixture
def shopper(make_user):
    # Signed up and proved both addresses: sign-in and recovery work with either.
    return make_user(first_name="Meera", last_name="Nair", is_email_verified=True, is_phone_verified=True)


@pytest.fixture
def other_shopper(make_user):
    return make_user(email="other@example.com", phone="9111111111", first_name="Olu")


@pytest.fixture
def signed_in(client, shopper):
    """The website's test client with `shopper` signed in."""
    client.force_login(shopper)
    return client


@pytest.fixture
def client_for():
    """An API client holding a fresh session's access token for `user` (None: a guest)."""
    from accounts.tokens import session_start

    def make(user):
        pair = session_start(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access_token}")
        client.pair = pair
        return client

    return make


@pytest.fixture
def staff_client(client, make_user):
    """A Django test client signed in as a staff member of a group ("Support" or "Managers")."""
    from django.contrib.auth.models import Group, Permission

    from accounts.staff import staff_groups_sync

    staff_groups_sync(Group, Permission)

    def make(group: str):
        staff = make_user(email=f"{group.lower()}@example.com", phone=None, first_name=group)
        staff.is_staff = True
        staff.save()
        staff.groups.add(Group.objects.get(name=group))
        client.force_login(staff)
        client.staff = staff
        return client

    return make
