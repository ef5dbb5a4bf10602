"""Test settings shared by every app's tests."""

import pytest

from accounts.messaging import LocmemSmsBackend


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing: the real hasher's cost is deliberate and has no place in a test run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "accounts.messaging.LocmemSmsBackend"
    settings.STOREFRONT_API_KEY = ""
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def text_outbox():
    return LocmemSmsBackend.outbox
