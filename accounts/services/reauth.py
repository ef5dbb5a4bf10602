"""Confirming it is really the shopper before a serious step (downloading or deleting their
data): the password, or, for an account that has none (signed up with a code), a code sent to
one of its verified addresses."""

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput

from ..models import OtpAction, OtpChannel, User
from ..otp import IssuedOtp, otp_consume, otp_issue
from .contact import phone_target
from .passwords import password_confirm

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
        raise DomainError("This account has no verified email or phone to send a code to.", code=ErrorCode.CONFLICT)
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
