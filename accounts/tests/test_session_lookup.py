"""The per-request session lookup (accounts.tokens) with the memory cache: rows kept under a key
that carries the version of their columns, and no rows kept across requests where the cache is
not shared (no REDIS_URL). The same lookup on a real Redis: test_session_cache.py."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import tokens
from accounts.models import AuthSession, User
from common.sqlrows import Columns, rows_version
from common.testing import API

pytestmark = pytest.mark.django_db


def user_details(client, user):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/auth/user/{user.id}")
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if AuthSession._meta.db_table in q["sql"]]
    return response.json()["content"]["user"], len(reads)


def test_without_a_shared_cache_every_request_reads_the_database(client_for, shopper, settings):
    settings.AUTH_SESSION_CACHE_SECONDS = 0  # what settings make of no REDIS_URL
    client = client_for(shopper)
    assert user_details(client, shopper)[1] == 1
    assert user_details(client, shopper)[1] == 1  # read again, not kept
    # Another worker changes the phone: its signal clears its own memory, not this process's.
    User.objects.filter(pk=shopper.pk).update(phone="9000000001")
    details, reads = user_details(client, shopper)
    assert details["phone"] == "9000000001" and reads == 1
    assert cache.get(tokens._row_key(client.pair.session.pk)) is None


def test_with_a_shared_cache_the_row_is_kept_under_its_columns_version(client_for, shopper):
    client = client_for(shopper)
    assert user_details(client, shopper)[1] == 1
    assert user_details(client, shopper)[1] == 0  # from the cache
    lookup = tokens._lookup(connection)
    key = tokens._row_key(client.pair.session.pk)
    assert key == f"auth:session:{client.pair.session.pk}:{lookup.version}"
    assert cache.get(key) is not None


def test_rows_of_another_version_are_never_read(client_for, shopper):
    client = client_for(shopper)
    session_id = client.pair.session.pk
    # What the release before kept: a tuple one column short, under the unversioned key, and
    # under a key of another version. Neither is read; the answer is the database's.
    shifted = ("x",) * (tokens._lookup(connection).session.width + tokens._lookup(connection).user.width - 1)
    cache.set(f"auth:session:{session_id}", shifted)
    cache.set(f"auth:session:{session_id}:0123456789", shifted)
    details, reads = user_details(client, shopper)
    assert details["phone"] == shopper.phone and details["email"] == shopper.email and reads == 1
    # ... while an end marker, whichever release wrote it, ends the session for every version.
    cache.set(tokens._ended_key(session_id), "ended")
    assert client.get(f"{API}/auth/user/{shopper.id}").status_code == 401


def test_the_version_follows_the_columns():
    names = [f.name for f in User._meta.concrete_fields if f.name != "password"]
    lookup = tokens._lookup(connection)
    session_and_user = rows_version(Columns(connection, AuthSession, "s"), Columns(connection, User, "u", names))
    assert lookup.version == session_and_user + "h"  # then the user's session auth hash
    # A deploy that adds (or drops, or reorders) a column reads other keys.
    assert lookup.version != rows_version(
        Columns(connection, AuthSession, "s"), Columns(connection, User, "u", names[:-1])
    )
    assert lookup.version != rows_version(
        Columns(connection, AuthSession, "s"), Columns(connection, User, "u", [*names[1:], names[0]])
    )
