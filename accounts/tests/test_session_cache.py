"""The API sessions' shared cache (accounts.tokens, "the per-request lookup"), on a real Redis.

A request with a known token reads its session and user from Redis, not the database; and every
way a session ends (logout, password change, erasure, refresh-token reuse, deactivation, deleting
the user) refuses its tokens on the very next request, with the row still in the cache.
"""

import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import tokens
from accounts.erasure import account_erase
from accounts.models import AuthSession, User
from accounts.services import password_change, user_deactivate
from common.testing import API, PASSWORD, assert_error

REDIS_URL = "redis://127.0.0.1:6379/13"

pytestmark = [pytest.mark.django_db, pytest.mark.requires_service("redis")]


@pytest.fixture(autouse=True)
def redis_cache(settings):
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}",
        }
    }
    yield
    server.flushdb()  # this database is these tests' own


def me(client, user):
    return client.get(f"{API}/customers/{user.id}/addresses")


def queries_of(call):
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    return response, [q["sql"] for q in ctx.captured_queries]


def session_queries(sqls):
    return [sql for sql in sqls if AuthSession._meta.db_table in sql]


def test_a_known_session_costs_no_database_query(client_for, shopper):
    client = client_for(shopper)
    first, sqls = queries_of(lambda: me(client, shopper))
    assert first.status_code == 200
    assert len(session_queries(sqls)) == 1  # read once, then kept in Redis
    again, sqls = queries_of(lambda: me(client, shopper))
    assert again.status_code == 200
    assert session_queries(sqls) == []
    assert cache.get(tokens._row_key(client.pair.session.pk)) is not None


def test_logout_refuses_the_token_at_once(client_for, shopper):
    client = client_for(shopper)
    assert me(client, shopper).status_code == 200
    assert client.post(f"{API}/auth/logout").status_code == 200
    assert_error(me(client, shopper), 401, "unauthorized")


def test_password_change_refuses_other_sessions_at_once(client_for, shopper):
    phone, laptop = client_for(shopper), client_for(shopper)
    assert me(phone, shopper).status_code == 200 and me(laptop, shopper).status_code == 200
    password_change(user=shopper, old_password=PASSWORD, new_password="another-horse-43", session=laptop.pair.session)
    assert_error(me(phone, shopper), 401, "unauthorized")
    assert me(laptop, shopper).status_code == 200


def test_erasure_and_deactivation_refuse_the_tokens_at_once(client_for, shopper, other_shopper):
    erased, deactivated = client_for(shopper), client_for(other_shopper)
    assert me(erased, shopper).status_code == 200 and me(deactivated, other_shopper).status_code == 200
    account_erase(user=shopper, password=PASSWORD)
    user_deactivate(user=other_shopper)
    assert_error(me(erased, shopper), 401, "unauthorized")
    assert_error(me(deactivated, other_shopper), 401, "unauthorized")


def test_refresh_token_reuse_ends_the_session_and_its_access_token(client_for, shopper):
    client = client_for(shopper)
    assert me(client, shopper).status_code == 200
    stolen = client.pair.refresh_token
    refresh = APIClient().post(f"{API}/auth/refresh-token", {"refresh_token": stolen}, format="json")
    assert refresh.status_code == 200
    replay = APIClient().post(f"{API}/auth/refresh-token", {"refresh_token": stolen}, format="json")
    assert_error(replay, 401, "unauthorized")
    assert_error(me(client, shopper), 401, "unauthorized")


def test_deleting_the_user_refuses_their_tokens(client_for, shopper):
    client = client_for(shopper)
    assert me(client, shopper).status_code == 200
    User.objects.filter(pk=shopper.pk).delete()
    assert_error(me(client, shopper), 401, "unauthorized")


def test_a_changed_user_is_read_afresh(client_for, shopper):
    client = client_for(shopper)
    assert client.get(f"{API}/auth/user/{shopper.id}").json()["content"]["user"]["first_name"] == "Meera"
    shopper.first_name = "Mira"
    shopper.save()
    assert client.get(f"{API}/auth/user/{shopper.id}").json()["content"]["user"]["first_name"] == "Mira"


def test_a_stale_read_cannot_bring_an_ended_session_back(client_for, shopper):
    """A request that read the live row before the logout committed may put it in the cache
    after; the end marker is read with the row, wins over it, and outlives it."""
    client = client_for(shopper)
    key = tokens._row_key(client.pair.session.pk)
    assert me(client, shopper).status_code == 200
    stale_row = cache.get(key)
    tokens.session_end(session=client.pair.session)
    cache.set(key, stale_row, 300)  # as that request leaves it
    assert_error(me(client, shopper), 401, "unauthorized")
    server = redis.Redis.from_url(REDIS_URL)
    marker_ttl, row_ttl = (
        server.ttl(cache.make_and_validate_key(k)) for k in (tokens._ended_key(client.pair.session.pk), key)
    )
    assert marker_ttl > row_ttl > 0


def test_no_password_hash_in_the_cache(client_for, shopper):
    client = client_for(shopper)
    assert me(client, shopper).status_code == 200
    row = cache.get(tokens._row_key(client.pair.session.pk))
    assert shopper.password not in row
    # ... and a password check still reads it (a deferred field).
    response = client.post(
        f"{API}/auth/change-password",
        {"old_password": PASSWORD, "new_password": "another-horse-43", "confirm_password": "another-horse-43"},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_an_expired_token_is_refused_though_its_signature_was_checked_before(client_for, shopper, monkeypatch):
    client = client_for(shopper)
    assert me(client, shopper).status_code == 200
    expires = tokens._access_claims(client.pair.access_token)["exp"]
    monkeypatch.setattr(tokens.time, "time", lambda: expires + 1)
    assert_error(me(client, shopper), 401, "unauthorized")


def test_with_redis_down_requests_read_the_database_and_logout_changes_nothing(client_for, shopper, settings):
    client = client_for(shopper)
    settings.CACHES = {"default": {"BACKEND": "common.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    assert me(client, shopper).status_code == 200  # authenticated from the database
    response = client.post(f"{API}/auth/logout")
    assert_error(response, 503, "service_unavailable")
    assert AuthSession.objects.get(pk=client.pair.session.pk).ended_at is None  # rolled back whole


# --- the website: its session's row brings the user, and Django's session hash is still checked


def website(client, settings, shopper):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # production's (REDIS_URL set)
    client.force_login(shopper)
    assert client.get("/account/wishlist/").status_code == 200  # the session's row reaches the cache
    return client


def test_a_website_page_reads_neither_the_session_nor_the_user_from_the_database(client, settings, shopper):
    client = website(client, settings, shopper)
    page, sqls = queries_of(lambda: client.get("/account/wishlist/"))
    assert page.status_code == 200 and page.wsgi_request.user == shopper
    assert [sql for sql in sqls if "accounts_user" in sql or "session" in sql] == []
    assert len(sqls) == 1  # the wishlist's own count
    assert shopper.password not in repr(cache.get(tokens._row_key(client.session["_auth_session_id"])))


def test_a_password_set_anywhere_signs_the_browser_out_on_its_next_page(client, settings, shopper):
    """Not through the services (which end the sessions themselves): `manage.py changepassword`
    does just this. The user's row leaves the cache, and the session's hash no longer matches."""
    client = website(client, settings, shopper)
    shopper.set_password("another-horse-43")
    shopper.save()
    page = client.get("/account/wishlist/")
    assert page.status_code == 302 and page["Location"].startswith("/account/sign-in/")
    assert "_auth_user_id" not in client.session


def test_a_session_whose_hash_is_not_the_users_is_signed_out_though_the_row_is_cached(client, settings, shopper):
    client = website(client, settings, shopper)
    session = client.session
    session["_auth_user_hash"] = "0" * 64  # as a session signed in before a password change holds
    session.save()
    page = client.get("/account/wishlist/")
    assert page.status_code == 302
    assert "_auth_user_id" not in client.session  # Django's get_user() flushed it


def test_a_deactivated_shopper_is_signed_out_of_the_website(client, settings, shopper):
    client = website(client, settings, shopper)
    shopper.is_active = False
    shopper.save()
    assert client.get("/account/wishlist/").status_code == 302


def test_the_password_service_signs_other_browsers_out(client, settings, shopper):
    client = website(client, settings, shopper)
    password_change(user=shopper, old_password=PASSWORD, new_password="another-horse-43", session=None)
    assert client.get("/account/wishlist/").status_code == 302
