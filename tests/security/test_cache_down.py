"""Issue 16, item 7: when the shared cache (Redis) is down, limits fail closed.

Rate limits, sign-in lockouts, code resend windows and idempotency keys live in the cache. With
Redis unreachable, requests that depend on them answer 503 `service_unavailable` with
`Retry-After` and write nothing; they never answer 500, and never go ahead unchecked.
The cache here is a real RedisCache pointed at a closed port.
"""

import pytest
from django.test import Client

from accounts.models import AuthSession, OtpToken, User
from common.testing import API, PASSWORD, assert_error
from customers.models import Address
from customers.tests.factories import address_data

REDIS_DOWN = {
    "default": {
        "BACKEND": "common.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_PREFIX": "ca",
    }
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    # Changing CACHES makes Django drop its cache connections (django.test.signals).
    settings.CACHES = REDIS_DOWN


def assert_unavailable(response):
    body = assert_error(response, 503, "service_unavailable")
    assert int(response["Retry-After"]) > 0
    return body


def test_api_sign_in_is_503_and_starts_no_session(shopper, cache_down):
    response = Client().post(
        f"{API}/auth/login/password", {"email": shopper.email, "password": PASSWORD}, content_type="application/json"
    )
    assert_unavailable(response)
    assert not AuthSession.objects.filter(user=shopper).exists()


def test_api_wrong_password_is_503_too(shopper, cache_down):
    response = Client().post(
        f"{API}/auth/login/password", {"email": shopper.email, "password": "wrong"}, content_type="application/json"
    )
    assert_unavailable(response)


def test_api_registration_and_codes_are_503_and_write_nothing(cache_down):
    client = Client()
    users, codes = User.objects.count(), OtpToken.objects.count()
    response = client.post(
        f"{API}/auth/register/password",
        {"email": "new@example.com", "password": PASSWORD, "confirm_password": PASSWORD},
        content_type="application/json",
    )
    assert_unavailable(response)
    assert_unavailable(
        client.post(f"{API}/auth/forgot-password", {"email": "new@example.com"}, content_type="application/json")
    )
    assert_unavailable(client.post(f"{API}/auth/anonymous"))
    assert (User.objects.count(), OtpToken.objects.count()) == (users, codes)


def test_api_idempotent_write_is_503_and_writes_nothing(shopper, client_for, cache_down):
    client = client_for(shopper)
    response = client.post(
        f"{API}/customers/{shopper.id}/addresses", address_data(), format="json", HTTP_IDEMPOTENCY_KEY="addr-1"
    )
    assert_unavailable(response)
    assert not Address.objects.filter(customer=shopper).exists()


def test_api_reads_that_need_no_limit_keep_working(shopper, client_for, cache_down):
    response = client_for(shopper).get(f"{API}/orders", {"user_id": shopper.id})
    assert response.status_code == 200, response.json()


def test_website_sign_in_is_503_and_signs_nobody_in(shopper, cache_down):
    client = Client(raise_request_exception=False)
    response = client.post("/account/sign-in/", {"username": shopper.email, "password": PASSWORD})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    # The site's own error page (rendered without the session the cache would have held).
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html") and "<h1>We are busy for a moment</h1>" in page
    assert 'href="/static/css/site.css"' in page or "site.css" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302  # still signed out


def test_admin_sign_in_is_503_and_signs_nobody_in(make_user, cache_down):
    staff = make_user(email="staff@example.com", phone=None)
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client(raise_request_exception=False)
    response = client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_back_to_normal_when_the_cache_answers_again(shopper, settings):
    settings.CACHES = REDIS_DOWN
    assert (
        Client()
        .post(
            f"{API}/auth/login/password",
            {"email": shopper.email, "password": PASSWORD},
            content_type="application/json",
        )
        .status_code
        == 503
    )
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    response = Client().post(
        f"{API}/auth/login/password", {"email": shopper.email, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
