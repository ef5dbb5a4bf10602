"""The rule of a recent authentication (ASVS 5.0 7.5.1): a serious step that carries no proof
of its own needs the session's last sign-in or re-authentication to be younger than
`REAUTH_MAX_AGE_SECONDS`. It depends on nothing else of the services, so each that guards a
step (contact, passkeys, sessions) calls it; `reauth.reauthenticate` renews it."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from common.errors import ErrorCode
from common.exceptions import Forbidden

from ..models import AuthSession


class ReauthenticationRequired(Forbidden):
    """403 `reauthentication_required`: the session is the shopper's, but its last sign-in is too
    old for this step. The client re-authenticates and tries again."""

    code = ErrorCode.REAUTHENTICATION_REQUIRED
    message = "For your security, confirm it's you (your password, a code or a passkey), then try again."


def reauth_is_recent(session: AuthSession | None) -> bool:
    if session is None or session.authenticated_at is None:
        return False
    return timezone.now() - session.authenticated_at <= timedelta(seconds=settings.REAUTH_MAX_AGE_SECONDS)


def reauth_require(*, session: AuthSession | None) -> None:
    """Pass if the shopper authenticated in `session` recently; else 403. No session (a caller
    that has none to give) never passes."""
    if not reauth_is_recent(session):
        raise ReauthenticationRequired()
