"""API sessions and their JWTs.

A token pair belongs to an `AuthSession`; every token's `jti` is `<session id>.<random>`, so the
authentication of a request reads its session and user in one query, and ending a session
(logout, password change) refuses all of its tokens at once, access tokens included. Refresh
tokens rotate: only the newest one of a session is accepted, and presenting an older one again
(a stolen copy, or a replay) ends the session.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from common.exceptions import Unauthorized
from common.ids import is_ulid
from common.sqlrows import Columns, table

from .models import AuthSession, User


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


def session_start(*, user: User | None, anonymous_id: str | None = None) -> TokenPair:
    """Open a session for `user` (None: a guest) and return its first token pair."""
    now = timezone.now()
    session = AuthSession(
        user=user,
        expires_at=now + settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"],
        refresh_jti="",
    )
    if anonymous_id and is_ulid(anonymous_id):
        session.anonymous_id = anonymous_id.upper()
    access, refresh, refresh_jti = _encode_pair(session, user)
    session.refresh_jti = refresh_jti
    session.save()
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


def session_refresh(*, refresh_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; the one traded is refused from then on."""
    try:
        token = _decode(RefreshToken, refresh_token)
    except TokenError:
        raise Unauthorized("The refresh token is invalid or expired.")
    jti = token["jti"]
    session_id = session_id_from_jti(jti)
    session = (
        AuthSession.objects.select_related("user")
        .filter(pk=session_id, ended_at__isnull=True)
        .first()
    )
    if session is None or (session.user is not None and not session.user.is_active):
        raise Unauthorized(_REFRESH_REFUSED)

    access, refresh, new_jti = _encode_pair(session, session.user)
    now = timezone.now()
    swapped = AuthSession.objects.filter(
        pk=session.pk, ended_at__isnull=True, refresh_jti=jti
    ).update(refresh_jti=new_jti, refreshed_at=now)
    if not swapped:
        # An older refresh token of a live session: someone replays a used token.
        session_end(session=session, reason="refresh-reuse")
        raise Unauthorized(_REFRESH_REFUSED)
    session.refresh_jti = new_jti
    return TokenPair(access_token=access, refresh_token=refresh, session=session)


def session_end(*, session: AuthSession, reason: str = "logout") -> None:
    """End one session: all its tokens are refused from now on."""
    AuthSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_reason=reason
    )


def sessions_end_for_user(*, user: User, reason: str, keep: AuthSession | None = None) -> int:
    """End every session of `user` (but `keep`); returns how many were ended."""
    sessions = AuthSession.objects.filter(user=user, ended_at__isnull=True)
    if keep is not None:
        sessions = sessions.exclude(pk=keep.pk)
    return sessions.update(ended_at=timezone.now(), ended_reason=reason)


def session_for_access_token(raw: str) -> tuple[AccessToken, AuthSession]:
    """Validate an access token and load its live session with its user, in one query."""
    try:
        token = _decode(AccessToken, raw)
    except TokenError:
        raise Unauthorized("The access token is invalid or expired.")
    session = _live_session_with_user(session_id_from_jti(token.get("jti")))
    if session is None:
        raise Unauthorized("This session has ended. Please sign in again.")
    if session.user is not None and (
        not session.user.is_active or session.user.id != token.get("ulid")
    ):
        raise Unauthorized("The access token is invalid or expired.")
    return token, session


@transaction.atomic
def session_switch(*, previous: AuthSession | None, user: User | None) -> TokenPair:
    """Start a session for `user` (None: a guest) from the caller's current one, if any.

    Coming from a guest session, that session ends and its anonymous id carries on, so a
    storefront can link what the guest did to the account.
    """
    anonymous_id = None
    if previous is not None and previous.is_guest:
        anonymous_id = previous.anonymous_id
        session_end(session=previous, reason="replaced")
    return session_start(user=user, anonymous_id=anonymous_id)


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
# Every authenticated request loads its session and user. The ORM spends more time compiling
# that one join than the database spends answering it, so it is written once, here, as SQL
# built from the models' own columns, and read through common.sqlrows like the other hot reads.


class _LookupSQL:
    """The session-and-user query and its columns, built once per database connection alias."""

    def __init__(self, connection):
        self.session = s = Columns(connection, AuthSession, "s")
        self.user = u = Columns(connection, User, "u")
        self.sql = (
            f"SELECT {s.sql}, {u.sql} FROM {table(connection, AuthSession)} s "
            f"LEFT JOIN {table(connection, User)} u ON {u.column(connection, 'id')} = {s.column(connection, 'user')} "
            f"WHERE {s.column(connection, 'id')} = %s AND {s.column(connection, 'ended_at')} IS NULL"
        )


_LOOKUP_SQL: dict[str, _LookupSQL] = {}


def _live_session_with_user(session_id: str | None) -> AuthSession | None:
    """The live session with this id and its user (None for a guest), in one query."""
    if not session_id:
        return None
    connection = connections[router.db_for_read(AuthSession)]
    lookup = _LOOKUP_SQL.get(connection.alias)
    if lookup is None:
        lookup = _LOOKUP_SQL[connection.alias] = _LookupSQL(connection)
    with connection.cursor() as cursor:
        cursor.execute(lookup.sql, [session_id])
        row = cursor.fetchone()
    if row is None:
        return None
    split = lookup.session.width
    session = lookup.session.instance(row[:split], connection)
    session.user = lookup.user.instance(row[split:], connection)  # None: a guest session
    return session
