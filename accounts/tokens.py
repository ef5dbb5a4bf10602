"""API sessions and their JWTs.

A token pair belongs to an `AuthSession`; every token's `jti` is `<session id>.<random>`, so the
authentication of a request reads its session and user in one query, and ending a session
(logout, password change) refuses all of its tokens at once, access tokens included. Refresh
tokens rotate: only the newest one of a session is accepted, and presenting an older one again
(a stolen copy, or a replay) ends the session.
"""

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from types import MappingProxyType

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from common.exceptions import CACHE_UNAVAILABLE_ERRORS, Unauthorized
from common.ids import is_ulid
from common.sqlrows import Columns, rows_version, table

from .devices import USER_AGENT_MAX, Client
from .errors import AccountDeactivated
from .models import AuthSession, SessionKind, User
from .signin_notices import new_device_notice


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    session: AuthSession


def _jti(session_id: str) -> str:
    return f"{session_id}.{secrets.token_hex(8)}"


def session_id_from_jti(jti) -> str | None:
    session_id = str(jti or "").split(".", 1)[0]
    return session_id if is_ulid(session_id) else None


def token_claims(*, user: User | None, anonymous_id: str) -> dict:
    """The claims the storefront SDK reads (CONTRACT.md section 3), and no others."""
    common = {
        "anonymous_id": anonymous_id,
        "customer_group_id": None,
        "store_id": settings.STORE_ID,
        "channel": None,
    }
    if user is None:
        return {
            "ulid": anonymous_id,
            "customer_id": None,
            "email": None,
            "phone": None,
            "first_name": None,
            "last_name": None,
            "is_logged_in": False,
            "is_anonymous": True,
            **common,
        }
    return {
        "ulid": user.id,
        "customer_id": user.id,
        "email": user.email,
        "phone": user.phone,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_logged_in": True,
        "is_anonymous": False,
        **common,
    }


def _encode_pair(session: AuthSession, user: User | None) -> tuple[str, str, str]:
    refresh = RefreshToken()
    refresh.payload.update(token_claims(user=user, anonymous_id=session.anonymous_id))
    refresh["jti"] = _jti(session.id)
    access = refresh.access_token
    access["jti"] = _jti(session.id)
    return str(access), str(refresh), refresh["jti"]


def session_new(*, user: User | None, client: Client | None, kind: str = SessionKind.APP, lifetime=None) -> AuthSession:
    """A session row, not saved: signed in just now (for a user), seen now, from `client`."""
    now = timezone.now()
    client = client or Client()
    return AuthSession(
        user=user,
        kind=kind,
        expires_at=now + (lifetime or settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]),
        refresh_jti="",
        user_agent=client.user_agent[:USER_AGENT_MAX],
        ip=client.ip,
        device_key=client.device_key,
        last_seen_at=now,
        authenticated_at=now if user is not None else None,
    )


def session_start(*, user: User | None, anonymous_id: str | None = None, client: Client | None = None) -> TokenPair:
    """Open a session for `user` (None: a guest) and return its first token pair."""
    session = session_new(user=user, client=client)
    if anonymous_id and is_ulid(anonymous_id):
        session.anonymous_id = anonymous_id.upper()
    access, refresh, refresh_jti = _encode_pair(session, user)
    session.refresh_jti = refresh_jti
    session.save()
    new_device_notice(session=session)
    return TokenPair(access_token=access, refresh_token=refresh, session=session)


_REFRESH_REFUSED = "This session has ended. Please sign in again."


def _decode(token_class, raw: str):
    """A token signed with the current key, or with a previous one during a key rotation."""
    try:
        return token_class(raw)
    except TokenError as error:
        for key in settings.JWT_PREVIOUS_SIGNING_KEYS:
            backend = TokenBackend(settings.SIMPLE_JWT["ALGORITHM"], signing_key=key)
            try:
                backend.decode(raw, verify=True)  # signature and expiry, with the old key
            except TokenBackendError:
                continue
            token = token_class(raw, verify=False)
            token.verify()  # type, id, expiry
            return token
        raise error


def session_refresh(*, refresh_token: str, client: Client | None = None) -> TokenPair:
    """Trade a refresh token for a new pair; the one traded is refused from then on.

    401 for a bad or expired token or an ended session; 403 `account_deactivated` for any
    refresh token (validly signed, unexpired) of an account its shopper deactivated."""
    try:
        token = _decode(RefreshToken, refresh_token)
    except TokenError:
        raise Unauthorized(_("The refresh token is invalid or expired.")) from None
    jti = token["jti"]
    session_id = session_id_from_jti(jti)
    session = AuthSession.objects.select_related("user").filter(pk=session_id).first()
    if session is not None and session.user is not None and session.user.is_deactivated_by_shopper:
        # A token of the account proves it is the shopper's client: say why, and how back.
        raise AccountDeactivated()
    if session is None or session.ended_at is not None or (session.user is not None and not session.user.is_active):
        raise Unauthorized(_REFRESH_REFUSED)
    last_used = session.last_seen_at or session.refreshed_at or session.created_at
    if timezone.now() - last_used > timedelta(days=settings.SESSION_IDLE_DAYS):
        session_end(session=session, reason="idle")  # unused too long (ASVS 5.0 7.3.1)
        raise Unauthorized(_REFRESH_REFUSED)

    access, refresh, new_jti = _encode_pair(session, session.user)
    now = timezone.now()
    seen = {"last_seen_at": now, **({"ip": client.ip} if client is not None and client.ip else {})}
    swapped = AuthSession.objects.filter(pk=session.pk, ended_at__isnull=True, refresh_jti=jti).update(
        refresh_jti=new_jti, refreshed_at=now, **seen
    )
    if not swapped:
        # An older refresh token of a live session: someone replays a used token.
        session_end(session=session, reason="refresh-reuse")
        raise Unauthorized(_REFRESH_REFUSED)
    session.refresh_jti = new_jti
    return TokenPair(access_token=access, refresh_token=refresh, session=session)


def session_end(*, session: AuthSession, reason: str = "logout") -> None:
    """End one session: all its tokens are refused from now on."""
    with transaction.atomic(using=router.db_for_write(AuthSession)):
        _sessions_ended([session.pk])
        AuthSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_reason=reason
        )


def sessions_end_for_user(*, user: User, reason: str, keep: AuthSession | None = None) -> int:
    """End every session of `user` (but `keep`); returns how many were ended."""
    sessions = AuthSession.objects.filter(user=user, ended_at__isnull=True)
    if keep is not None:
        sessions = sessions.exclude(pk=keep.pk)
    with transaction.atomic(using=router.db_for_write(AuthSession)):
        session_ids = list(sessions.select_for_update().values_list("pk", flat=True))
        _sessions_ended(session_ids)
        return AuthSession.objects.filter(pk__in=session_ids).update(ended_at=timezone.now(), ended_reason=reason)


def session_for_access_token(raw: str) -> tuple[Mapping, AuthSession]:
    """Validate an access token and load its live session with its user: its claims and the
    session, usually without a database query (see "the per-request lookup" below)."""
    claims = _access_claims(raw)
    if claims.get("exp", 0) <= time.time():
        raise Unauthorized(_("The access token is invalid or expired."))
    session = _live_session_with_user(session_id_from_jti(claims.get("jti")))
    if session is None:
        raise Unauthorized(_("This session has ended. Please sign in again."))
    if session.user is not None and (not session.user.is_active or session.user.id != claims.get("ulid")):
        raise Unauthorized(_("The access token is invalid or expired."))
    return claims, session


@lru_cache(maxsize=4096)
def _access_claims(raw: str) -> Mapping:
    """A verified access token's claims. A token is verified once per process (signature, type,
    expiry); a failure is not remembered, and the caller checks the expiry again each time."""
    try:
        return MappingProxyType(dict(_decode(AccessToken, raw).payload))
    except TokenError:
        raise Unauthorized(_("The access token is invalid or expired.")) from None


@transaction.atomic
def session_switch(*, previous: AuthSession | None, user: User | None, client: Client | None = None) -> TokenPair:
    """Start a session for `user` (None: a guest) from the caller's current one, if any.

    Coming from a guest session, that session ends and its anonymous id carries on, so a
    storefront can link what the guest did to the account.
    """
    anonymous_id = None
    if previous is not None and previous.is_guest:
        anonymous_id = previous.anonymous_id
        session_end(session=previous, reason="replaced")
    return session_start(user=user, anonymous_id=anonymous_id, client=client)


def session_reissue(*, session: AuthSession) -> TokenPair:
    """A new token pair for a live session (after the user's details or password changed).

    The session's earlier refresh token stops working; its claims now show the current user.
    """
    session.refresh_from_db(fields=["user", "ended_at"])
    if session.ended_at is not None:
        raise Unauthorized(_REFRESH_REFUSED)
    access, refresh, new_jti = _encode_pair(session, session.user)
    AuthSession.objects.filter(pk=session.pk).update(refresh_jti=new_jti, refreshed_at=timezone.now())
    session.refresh_jti = new_jti
    return TokenPair(access_token=access, refresh_token=refresh, session=session)


# --- the per-request lookup ---------------------------------------------------------------
# Every authenticated request checks its token and loads its session and user. The signature
# check of a token is remembered in the process (the same token comes back request after
# request); the session and user row is kept in the shared cache (Redis), so a request costs no
# database round trip. The database stays the source of truth: ending a session writes an end
# marker (before the commit, so a cache that cannot take it refuses the logout; and again after
# it), which every lookup reads together with the row (one MGET) and which wins over any row.
# A change to a user drops their sessions' rows. Without the cache (Redis down), the lookup
# reads the database.
#
# The row is a tuple of values in the lookup's column order, so its key carries a version of
# those columns (`rows_version`): during a rolling deploy that adds a column, old and new servers
# each read rows of their own shape. The end marker's key has no version, so a logout on a
# server of either version refuses the session on all of them.
#
# Rows are cached only in a shared cache: with a per-process memory cache (no REDIS_URL), another
# worker would keep answering a row this one changed (AUTH_SESSION_CACHE_SECONDS is 0 then).


class _LookupSQL:
    """The session-and-user query and its columns, built once per database connection alias.

    The password hash is read but never kept: the row carries the user's session auth hash in
    its place, last (`_with_session_hash`), which is what Django keeps in a website session to
    sign it out after a password change; the session store (the same Redis) already holds that
    value. The user instance gets no password: a password check loads it then, as a deferred
    field.
    """

    def __init__(self, connection):
        self.session = s = Columns(connection, AuthSession, "s")
        user_fields = [f.name for f in User._meta.concrete_fields if f.name != "password"]
        self.user = u = Columns(connection, User, "u", user_fields)
        self.sql = (
            f"SELECT {s.sql}, {u.sql}, {u.column(connection, 'password')} FROM {table(connection, AuthSession)} s "
            f"LEFT JOIN {table(connection, User)} u ON {u.column(connection, 'id')} = {s.column(connection, 'user')} "
            f"WHERE {s.column(connection, 'id')} = %s AND {s.column(connection, 'ended_at')} IS NULL"
        )
        self.version = rows_version(s, u) + "h"  # "h": the session auth hash closes the row


_LOOKUP_SQL: dict[str, _LookupSQL] = {}
_ENDED = "ended"


def _ended_key(session_id: str) -> str:
    return f"auth:session:{session_id}"


def _row_key(session_id: str) -> str:
    return f"auth:session:{session_id}:{_lookup(connections[router.db_for_read(AuthSession)]).version}"


def _cache_seconds() -> int:
    return settings.AUTH_SESSION_CACHE_SECONDS


def _marker_seconds() -> int:
    # Twice a row's time: a request that read the live row just before the logout committed may
    # cache it a moment after the marker; the marker outlives that row.
    return 2 * _cache_seconds()


def _session_row(session_id: str) -> tuple | None:
    """The live session's row (session columns, then user columns), from the cache or else the
    database; None when it has ended or never was."""
    seconds = _cache_seconds()
    ended_key, row_key = _ended_key(session_id), _row_key(session_id)
    cached = {}
    if seconds > 0:
        try:
            cached = cache.get_many([ended_key, row_key])
        except CACHE_UNAVAILABLE_ERRORS:
            seconds = 0  # the database answers; nothing is cached
    if cached.get(ended_key) == _ENDED:
        return None
    if cached.get(row_key) is not None:
        return cached[row_key]
    connection = connections[router.db_for_read(AuthSession)]
    with connection.cursor() as cursor:
        cursor.execute(_lookup(connection).sql, [session_id])
        row = cursor.fetchone()
    if row is not None:
        row = _with_session_hash(row)
    if row is not None and seconds > 0:
        try:
            cache.add(row_key, tuple(row), seconds)
        except CACHE_UNAVAILABLE_ERRORS:
            pass
    return row


def _with_session_hash(row) -> tuple:
    """The row with its last value, the user's password hash, replaced by the user's session auth
    hash (Django's own `get_session_auth_hash`, so a custom one is honoured); None for a guest."""
    *values, password = row
    return (*values, None if password is None else User(password=password).get_session_auth_hash())


def _lookup(connection) -> _LookupSQL:
    lookup = _LOOKUP_SQL.get(connection.alias)
    if lookup is None:
        lookup = _LOOKUP_SQL[connection.alias] = _LookupSQL(connection)
    return lookup


def session_live(session_id: str | None) -> AuthSession | None:
    """The live session with this id and its user (None for a guest), usually from the cache."""
    return _live_session_with_user(session_id)


def _live_session_with_user(session_id: str | None) -> AuthSession | None:
    """The live session with this id and its user (None for a guest)."""
    if not session_id:
        return None
    row = _session_row(session_id)
    if row is None:
        return None
    connection = connections[router.db_for_read(AuthSession)]
    lookup = _lookup(connection)
    split = lookup.session.width
    session = lookup.session.instance(row[:split], connection)
    session.user = lookup.user.instance(row[split:-1], connection)  # None: a guest session
    # What a website session's HASH_SESSION_KEY must equal for `session.user` to be its user
    # without reading the user again (accounts.websessions).
    session.user_session_hash = row[-1]
    return session


def _sessions_ended(session_ids) -> None:
    """Mark the sessions ended in the cache now (a cache that is down refuses the change, which
    rolls back) and again once the transaction has committed. Nothing to mark where no rows are
    cached."""
    markers = {_ended_key(session_id): _ENDED for session_id in session_ids}
    if not markers or _cache_seconds() <= 0:
        return
    cache.set_many(markers, _marker_seconds())

    def again():
        try:
            cache.set_many(markers, _marker_seconds())
        except CACHE_UNAVAILABLE_ERRORS:
            pass  # the marker written before the commit is there

    transaction.on_commit(again, using=router.db_for_write(AuthSession))


def _sessions_changed(session_ids) -> None:
    """Drop the cached rows (a session's user changed): the next request reads them afresh."""
    keys = [_row_key(session_id) for session_id in session_ids]
    if not keys or _cache_seconds() <= 0:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), using=router.db_for_write(AuthSession))


def session_forget(*, session: AuthSession) -> None:
    """A session row is being deleted: its tokens are refused from now on."""
    _sessions_ended([session.pk])


def user_changed(*, user: User) -> None:
    """A user's details changed: their live sessions' cached rows go (accounts.signals)."""
    _sessions_changed(AuthSession.objects.filter(user=user, ended_at__isnull=True).values_list("pk", flat=True))


def session_authenticated(*, session: AuthSession) -> None:
    """The shopper proved who they are again in this session (`accounts.services.reauth`)."""
    now = timezone.now()
    with transaction.atomic(using=router.db_for_write(AuthSession)):
        AuthSession.objects.filter(pk=session.pk).update(authenticated_at=now, last_seen_at=now)
        _sessions_changed([session.pk])
    session.authenticated_at = session.last_seen_at = now


def session_seen(*, session: AuthSession, client: Client | None = None) -> None:
    """The session was used now (from `client`'s address): its "last seen" moves. The cached
    row keeps its older time; the list of sessions reads the database."""
    now = timezone.now()
    fields = {"last_seen_at": now, **({"ip": client.ip} if client is not None and client.ip else {})}
    AuthSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(**fields)
    session.last_seen_at = now
