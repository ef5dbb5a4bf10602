"""Passwords: the credentials check, changing one, and resetting a forgotten one with a code
sent only to a verified address. A new password ends the account's other sessions."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import InvalidInput, Unauthorized
from common.shoptime import date_time

from ..errors import AccountDeactivated
from ..language import in_language_of
from ..lockout import account_identifier, sign_in_check, sign_in_failed
from ..models import DEFAULT_COUNTRY_CODE, AuthSession, OtpAction, OtpChannel, User, normalize_email
from ..notices import notice_send
from ..otp import IssuedOtp, otp_consume, otp_find, otp_issue
from ..selectors import user_find_for_sign_in
from ..tokens import sessions_end_for_user
from .contact import phone_address, phone_target
from .deactivation import account_reactivate

INVALID_CREDENTIALS = "The email/phone or password is not correct."


def password_check(*, password: str, user: User | None = None, field: str = "password") -> None:
    """Django's password validators, as a 400 naming `field`."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(exc.messages[0], errors={field: exc.messages}) from exc


def user_authenticate(
    *,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
) -> User:
    """The user these credentials belong to, or 401 with one message whatever was wrong.

    Only a verified email or phone signs in: an address nobody proved is no key to the account.
    The right password of an account its shopper deactivated is a 403 `account_deactivated`
    (said only to whoever holds the password; wrong, it is the same 401 as for anyone).
    """
    user = user_find_for_sign_in(email=email, phone=phone, country_code=country_code, include_deactivated=True)
    return password_verify(user=user, password=password)


def password_verify(*, user: User | None, password: str) -> User:
    """`user` (as `user_find_for_sign_in` found them, or None) if `password` is theirs, else the
    same 401 whatever was wrong (403 `account_deactivated` for the right one, as above)."""
    if user is None:
        # Spend the time a real check takes, so timing does not tell whether the account exists.
        User().set_password(password)
        raise Unauthorized(INVALID_CREDENTIALS, code=ErrorCode.UNAUTHORIZED)
    if not user.check_password(password):
        raise Unauthorized(INVALID_CREDENTIALS, code=ErrorCode.UNAUTHORIZED)
    if user.is_deactivated_by_shopper:
        raise AccountDeactivated()
    return user


def _notify_password_changed(user: User) -> None:
    to, channel = (user.email, "email") if user.email else (phone_address(user.country_code, user.phone), "sms")
    with in_language_of(user):
        subject = gettext("Your password was changed")
        body = gettext(
            "The password of your account was changed on %(when)s. If you did not do this, reset it right away."
        ) % {"when": date_time(timezone.now())}
    notice_send(channel=channel, to=to, subject=subject, body=body)


def password_confirm(*, user: User, password: str, field: str, message: str, ip: str | None = None) -> None:
    """A signed-in user proves their password (a serious step, a password change): 400 naming
    `field` when wrong, counted by the sign-in lockout (accounts.lockout) under the account's key
    and the client address, and 429 while that lock holds, so a stolen session cannot guess the
    password any faster than the sign-in page could."""
    identifier = account_identifier(user)
    sign_in_check(identifier=identifier, ip=ip)
    if not User.objects.get(pk=user.pk).check_password(password):
        sign_in_failed(identifier=identifier, ip=ip)
        raise InvalidInput(message, code=ErrorCode.INVALID_PASSWORD, errors={field: [message]})


@transaction.atomic
def password_change(
    *, user: User, old_password: str, new_password: str, session: AuthSession | None, ip: str | None = None
) -> User:
    """Change a signed-in user's password; every other session of the user ends."""
    user = User.objects.select_for_update().get(pk=user.pk)
    password_confirm(
        user=user, password=old_password, field="old_password", message="The current password is not correct.", ip=ip
    )
    password_check(password=new_password, user=user, field="new_password")
    return _password_store(user, new_password, reason="password-changed", keep=session)


def _password_store(user: User, new_password: str, *, reason: str, keep: AuthSession | None = None) -> User:
    """Save a new password (row held by the caller), end the other sessions, tell the owner."""
    user.set_password(new_password)
    user.save(update_fields=["password", "modified_at"])
    sessions_end_for_user(user=user, reason=reason, keep=keep)
    _notify_password_changed(user)
    return user


def password_reset_start(
    *, email: str | None = None, phone: str | None = None, country_code: str = DEFAULT_COUNTRY_CODE
) -> IssuedOtp:
    """Send a reset code, only ever to a verified address. The answer is the same whether or
    not the account exists."""
    # An account its shopper deactivated too: the reset proves the address, and reactivates it.
    user = user_find_for_sign_in(email=email, phone=phone, country_code=country_code, include_deactivated=True)
    if email:
        channel, target = OtpChannel.EMAIL, normalize_email(email)
    elif phone:
        channel, target = OtpChannel.SMS, phone_target(country_code=country_code, phone=phone)
    else:
        raise InvalidInput.for_field("email", _("Give an email address or a phone number."))
    # For an unknown address a code is still recorded (and the resend window still applies),
    # but nothing is sent: no answer and no timing tells whether the account exists.
    return otp_issue(
        action=OtpAction.RESET_PASSWORD, channel=channel, target=target, user=user, deliver=user is not None
    )


def password_reset_complete(*, otp_token: str, otp: str, new_password: str) -> User:
    """Set a new password with a reset code; every session of the user ends."""
    pending = otp_find(otp_token=otp_token, action=OtpAction.RESET_PASSWORD)
    # Check the password first so a weak one does not use up the code.
    password_check(password=new_password, user=pending.user if pending else None, field="new_password")
    record = otp_consume(otp_token=otp_token, otp=otp, action=OtpAction.RESET_PASSWORD)
    if record.user is None or not (record.user.is_active or record.user.is_deactivated_by_shopper):
        raise InvalidInput.for_field("otp", _("The code is not correct."), code=ErrorCode.INVALID_OTP)
    return password_set(user=record.user, new_password=new_password, field="new_password")


def password_set(
    *, user: User, new_password: str, reason: str = "password-reset", field: str = "new_password1"
) -> User:
    """Set a forgotten password anew (reset code or reset link); every session of the user ends.

    The code or link went to a verified address, the proof a code sign-in asks for: an account
    its shopper deactivated is reactivated too."""
    password_check(password=new_password, user=user, field=field)
    with transaction.atomic():
        user = _password_store(User.objects.select_for_update().get(pk=user.pk), new_password, reason=reason)
        if user.is_deactivated_by_shopper:
            user = account_reactivate(user=user)
        return user
