"""The shopper's active sessions (ASVS 5.0 7.5.2): their apps' token sessions and their website
sign-ins in one list, each with its device, place and last use; ending one, or all the others.

Ending works at once on every server: `accounts.tokens` marks the session ended in the shared
cache that every request's lookup reads (a website sign-in is checked by
`accounts.websessions` on each page). Ending the session the request came with is signing out,
and needs nothing more; ending any other needs a recent authentication (`recent_auth`), so a
stolen session cannot sign the shopper out of their own devices without their password.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import NotFound
from common.geo import place_of
from common.ids import is_ulid

from ..devices import Device, device_of
from ..models import AuthSession, User
from ..otp import IssuedOtp
from ..signin_notices import not_me_session
from ..tokens import session_end, sessions_end_for_user
from .passwords import password_reset_start
from .recent_auth import reauth_require

ENDED_BY_SHOPPER = "ended-by-user"


@dataclass(frozen=True)
class ActiveSession:
    session: AuthSession
    device: Device
    place: str  # "" when unknown (no GeoIP file, or an address it does not know)
    is_current: bool

    @property
    def id(self) -> str:
        return self.session.pk

    @property
    def kind(self) -> str:
        return self.session.kind

    @property
    def ip(self) -> str | None:
        return self.session.ip

    @property
    def signed_in_at(self) -> datetime:
        return self.session.created_at

    @property
    def last_seen_at(self) -> datetime:
        return self.session.last_seen_at or self.session.refreshed_at or self.session.created_at


def _live(user: User):
    return AuthSession.objects.filter(user=user, ended_at__isnull=True, expires_at__gt=timezone.now())


def sessions_active(*, user: User, current: AuthSession | None) -> list[ActiveSession]:
    """The shopper's live sessions, this one first, then the most recently used."""
    rows = [
        ActiveSession(
            session=session,
            device=device_of(session.user_agent),
            place=place_of(session.ip),
            is_current=current is not None and session.pk == current.pk,
        )
        for session in _live(user)
    ]
    rows.sort(key=lambda row: (not row.is_current, -row.last_seen_at.timestamp()))
    return rows


def session_end_own(*, user: User, session_id, current: AuthSession | None) -> AuthSession:
    """End one of the shopper's sessions (404 for another's, an ended one, or no such id)."""
    session = _live(user).filter(pk=session_id).first() if is_ulid(str(session_id or "")) else None
    if session is None:
        raise NotFound(_("No such session."))
    if current is None or session.pk != current.pk:
        reauth_require(session=current)
        session_end(session=session, reason=ENDED_BY_SHOPPER)
    else:
        session_end(session=session, reason="logout")
    return session


def sessions_end_others(*, user: User, current: AuthSession | None) -> int:
    """End every session of the shopper but this one; how many were ended."""
    reauth_require(session=current)
    return sessions_end_for_user(user=user, reason=ENDED_BY_SHOPPER, keep=current)


def sessions_end_by_staff(*, user: User) -> int:
    """Staff sign a shopper out of every app and browser (ASVS 5.0 7.4.5): a hijacked account,
    a lost phone. The shopper can sign in again; `user_deactivate` is for keeping them out."""
    return sessions_end_for_user(user=user, reason="ended-by-staff")


@dataclass(frozen=True)
class NotMe:
    user: User
    reset: IssuedOtp  # the password reset code sent to the shopper's verified address
    reset_kwargs: dict  # what `password_reset_start` was called with (to send it again)


def not_me(*, token: str) -> NotMe:
    """The link of a new-sign-in notice (`accounts.signin_notices`): every session of the
    shopper ends, and a password reset code goes to their verified email (else phone). 404 for a
    forged or expired link, or an account that is closed."""
    found = not_me_session(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        raise NotFound(_("This link is not valid any more. Sign in, or reset your password."))
    sessions_end_for_user(user=user, reason="not-me")
    if user.email and user.is_email_verified:
        kwargs = {"email": user.email}
    else:
        kwargs = {"phone": user.phone, "country_code": user.country_code}
    return NotMe(user=user, reset=password_reset_start(**kwargs), reset_kwargs=kwargs)
