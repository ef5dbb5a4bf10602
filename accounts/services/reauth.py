"""Confirming it is really the shopper before a serious step.

Two shapes of the same rule (ASVS 5.0 7.5.1):
- A step that carries its own proof (downloading or deleting their data: the password, or for an
  account without one a code sent to a verified address) checks it with `reauth_confirm`.
- A step that does not (a new email or phone, removing a passkey, ending their other sessions)
  needs the session's last authentication to be younger than `REAUTH_MAX_AGE_SECONDS`:
  `reauth_require`, else 403 `reauthentication_required`. Signing in counts, so does
  `reauthenticate` (`POST /auth/reauthenticate`, the website's "Confirm it's you" form) with the
  password, a code (`otp_action` "reauthenticate") or one of the shopper's passkeys.
"""

from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput

from ..lockout import account_identifier, sign_in_check, sign_in_failed, sign_in_succeeded
from ..models import AuthSession, OtpAction, OtpChannel, User
from ..otp import IssuedOtp, otp_consume, otp_issue
from ..tokens import session_authenticated
from . import passkeys
from .contact import phone_target
from .passwords import password_confirm
from .recent_auth import ReauthenticationRequired, reauth_is_recent, reauth_require

__all__ = [
    "ReauthenticationRequired",
    "reauth_code_send",
    "reauth_confirm",
    "reauth_is_recent",
    "reauth_require",
    "reauthenticate",
]

WRONG_PASSWORD = "The password is not correct."


def reauth_code_send(*, user: User, channel: str | None = None) -> IssuedOtp:
    """Send a code to the account's verified email, else its verified phone (by SMS, or
    WhatsApp when asked)."""
    if user.email and user.is_email_verified and channel in (None, OtpChannel.EMAIL):
        channel, target = OtpChannel.EMAIL, user.email
    elif user.phone and user.is_phone_verified:
        channel = OtpChannel.WHATSAPP if channel == OtpChannel.WHATSAPP else OtpChannel.SMS
        target = phone_target(country_code=user.country_code, phone=user.phone)
    else:
        raise DomainError(_("This account has no verified email or phone to send a code to."), code=ErrorCode.CONFLICT)
    return otp_issue(action=OtpAction.REAUTHENTICATE, channel=channel, target=target, user=user)


def reauth_confirm(
    *, user: User, password: str | None = None, otp_token: str | None = None, otp: str = "", ip: str | None = None
) -> None:
    """Pass if `password` is the account's, or `otp` the code of `otp_token` sent to it; else a
    400 naming the field (`invalid_password`, or the code's own errors). A wrong code counts
    towards its five tries even though the step fails: call it outside the step's transaction."""
    if password:
        password_confirm(user=user, password=password, field="password", message=WRONG_PASSWORD, ip=ip)
        return
    if otp_token:
        otp_consume(otp_token=otp_token, otp=otp, action=OtpAction.REAUTHENTICATE, user=user)
        return
    raise InvalidInput(WRONG_PASSWORD, code=ErrorCode.INVALID_PASSWORD, errors={"password": ["Enter your password."]})


def reauthenticate(
    *,
    session: AuthSession,
    password: str | None = None,
    otp_token: str | None = None,
    otp: str = "",
    credential=None,
    challenge_key: str | None = None,
    rp: "passkeys.RelyingParty | None" = None,
    ip: str | None = None,
) -> AuthSession:
    """Renew `session`'s authentication with the password, a code, or a passkey's answer to a
    challenge made for this shopper (`passkeys.passkey_assertion_options(user=...)`). Every
    failure counts in the sign-in lockout (a stolen session guesses no faster than sign-in)."""
    user = session.user
    if credential is not None:
        identifier = account_identifier(user)
        sign_in_check(identifier=identifier, ip=ip)
        try:
            passkeys.passkey_assertion_verify(credential=credential, challenge_key=challenge_key, rp=rp, user=user)
        except InvalidInput:
            sign_in_failed(identifier=identifier, ip=ip)
            raise
        sign_in_succeeded(identifier=identifier, ip=ip)
    else:
        reauth_confirm(user=user, password=password, otp_token=otp_token, otp=otp, ip=ip)
    session_authenticated(session=session)
    return session
