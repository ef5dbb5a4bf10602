"""Signing in with a password or with a one-time code: the one rule the API, the "My Account"
website and the Django admin follow (and Django's `authenticate()`, through `accounts.backends`).

Check the locks, check the password (or the code), count the failure or clear the account's
counters: a wrong code counts exactly like a wrong password. Failed
sign-ins are counted in the shared cache per account, per client address (`common.clientip`),
and per account *and* address. The account is named by one key, however it was typed: an email
in any case or spacing, or a phone as 9876543210, "+91 98765-43210" or `phone` + `country_code`.
"""

import logging

from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import InvalidInput, Unauthorized
from common.phones import phone_parse

from . import services
from .errors import AccountDeactivated
from .lockout import account_identifier, sign_in_check, sign_in_failed, sign_in_identifier, sign_in_succeeded
from .models import DEFAULT_COUNTRY_CODE, OtpAction, OtpChannel, User, normalize_email
from .otp import IssuedOtp, otp_consume, otp_find, otp_issue
from .selectors import user_find_for_sign_in, user_find_holder
from .services import passkeys
from .services.contact import phone_target

logger = logging.getLogger(__name__)


def credentials_from_username(username: str) -> dict:
    """What a person typed in a sign-in form's one box, as `email` or `phone` + `country_code`."""
    username = (username or "").strip()
    if "@" in username:
        return {"email": username}
    try:
        phone = phone_parse(username)
    except ValueError:  # not a phone number: no account has it, and the failure still counts
        return {"phone": username.replace(" ", "").replace("-", ""), "country_code": DEFAULT_COUNTRY_CODE}
    return {"phone": phone.number, "country_code": phone.country_code}


def _counted_as(account: User | None, *, email=None, phone=None, country_code=DEFAULT_COUNTRY_CODE) -> str:
    """The key failures count under: the account's own (`account_identifier`), whichever of its
    addresses was typed, so guessing by email and by phone in turn meets one limit; for an
    address no account has, the address as typed."""
    if account is not None:
        return account_identifier(account)
    return sign_in_identifier(email=email, phone=phone, country_code=country_code)


def sign_in(
    *,
    password: str,
    ip: str | None,
    email: str | None = None,
    phone: str | None = None,
    country_code: str | None = DEFAULT_COUNTRY_CODE,
) -> User:
    """The user these credentials open, unless the account or address `ip` is locked.

    429 `throttled` (`Throttled`) while locked, else 401 (`Unauthorized`) with one message
    whatever was wrong; 403 `account_deactivated` (`AccountDeactivated`) for the right password
    of an account its shopper deactivated. `ip` is `common.clientip.client_ip(request)`.
    """
    country_code = country_code or DEFAULT_COUNTRY_CODE
    account = user_find_for_sign_in(email=email, phone=phone, country_code=country_code, include_deactivated=True)
    identifier = _counted_as(account, email=email, phone=phone, country_code=country_code)
    sign_in_check(identifier=identifier, ip=ip)
    try:
        user = services.password_verify(user=account, password=password)
    except Unauthorized:
        sign_in_failed(identifier=identifier, ip=ip)
        raise
    sign_in_succeeded(identifier=identifier, ip=ip)
    return user


WRONG_CODE_MESSAGE = "The code is not correct."


def sign_in_code_send(
    *,
    channel: str,
    email: str | None = None,
    phone: str | None = None,
    country_code: str | None = DEFAULT_COUNTRY_CODE,
    register_if_not_exists: bool = False,
) -> IssuedOtp:
    """Send a sign-in code to a verified email (`channel` "email") or phone ("sms", "whatsapp").

    The answer is the same whether or not an account has the address: for an unknown one a
    code is still recorded (the resend wait applies alike) but sent nowhere, unless
    `register_if_not_exists` asks for an account to be made when the code comes back. An
    address some account has unproven opens nothing, but may be registered: its proof takes it.
    """
    channel = OtpChannel(channel)
    country_code = country_code or DEFAULT_COUNTRY_CODE
    email = normalize_email(email) if channel == OtpChannel.EMAIL else None
    phone = (phone or None) if channel != OtpChannel.EMAIL else None
    if channel == OtpChannel.EMAIL and not email:
        raise InvalidInput.for_field("email", _("Give the email address to send the code to."))
    if channel != OtpChannel.EMAIL and not phone:
        raise InvalidInput.for_field("phone", _("Give the phone number to send the code to."))
    # A verified address of an account its shopper deactivated gets its code too: signing in with
    # it reactivates the account (`sign_in_with_code`).
    user = user_find_for_sign_in(email=email, phone=phone, country_code=country_code, include_deactivated=True)
    register = False
    if user is None and register_if_not_exists:
        # A closed account's address makes no new account; one that some account has without
        # proof does: the code proves it, and the new account takes it (`address_claim`).
        register = user_find_holder(email=email, phone=phone, country_code=country_code) is None
    target = email if email else phone_target(country_code=country_code, phone=phone)
    return otp_issue(
        action=OtpAction.LOGIN,
        channel=channel,
        target=target,
        user=user,
        deliver=user is not None or register,
        payload={"email": email, "phone": phone, "country_code": country_code, "register": register},
    )


def sign_in_with_code(*, otp_token: str, otp: str, ip: str | None) -> User:
    """The user a sign-in code opens (made now if the code asked to register a new address).

    An account its shopper deactivated is reactivated by it: the code proves the shopper still
    holds a verified address of the account (`services.account_reactivate`; the user returned
    has `reactivated` True then). An account staff disabled is not found at all.

    The same locks as a password: 429 while the address or client is locked; a wrong code is a
    failed sign-in; a code for an address with no account is wrong, whatever is typed.
    """
    pending = otp_find(otp_token=otp_token, action=OtpAction.LOGIN)
    details = pending.payload if pending is not None else {}
    # Looked up now, not when the code was sent: the account may have been closed, or the
    # address changed, since.
    account = (
        user_find_for_sign_in(
            email=details.get("email"),
            phone=details.get("phone"),
            country_code=details.get("country_code"),
            include_deactivated=True,
        )
        if details
        else None
    )
    identifier = _counted_as(
        account, email=details.get("email"), phone=details.get("phone"), country_code=details.get("country_code")
    )
    if identifier:
        sign_in_check(identifier=identifier, ip=ip)
    try:
        record = otp_consume(otp_token=otp_token, otp=otp, action=OtpAction.LOGIN)
    except InvalidInput:
        if identifier:
            sign_in_failed(identifier=identifier, ip=ip)
        raise
    user = account
    if user is not None and record.user_id is not None and user.pk != record.user_id:
        user = None
    if user is None and record.user_id is None and details.get("register"):
        user = services.registration_account_create(
            details={**details, "first_name": "", "last_name": "", "password_hash": None}, channel=record.channel
        )
    if user is None:
        sign_in_failed(identifier=identifier, ip=ip)
        raise InvalidInput.for_field("otp", WRONG_CODE_MESSAGE, code=ErrorCode.INVALID_OTP)
    reactivated = user.is_deactivated_by_shopper
    if reactivated:
        user = services.account_reactivate(user=user)
    user.reactivated = reactivated
    sign_in_succeeded(identifier=identifier, ip=ip)
    return user


def sign_in_with_passkey(*, credential, challenge_key, rp: passkeys.RelyingParty, ip: str | None) -> User:
    """The user whose passkey answered a sign-in challenge (`passkeys.passkey_assertion_options`).

    The same locks as a password: 429 while the account or the client is locked, and a passkey
    that fails to verify is a failed sign-in (400 `invalid_passkey`). A valid passkey of an
    account its shopper deactivated is 403 `account_deactivated`, like its right password; one
    of an account staff closed or erased opens nothing."""
    passkey = passkeys.passkey_find(credential)
    # An unknown passkey counts against the client's address (and a key no account has).
    identifier = account_identifier(passkey.user) if passkey is not None else f"passkey:{credential['id'][:64]}"
    sign_in_check(identifier=identifier, ip=ip)
    try:
        user = passkeys.passkey_assertion_verify(
            credential=credential, challenge_key=challenge_key, rp=rp, passkey=passkey
        )
        if user.is_deactivated_by_shopper:
            raise AccountDeactivated()
        if not user.is_active:
            raise passkeys.refused()
    except InvalidInput:
        sign_in_failed(identifier=identifier, ip=ip)
        raise
    sign_in_succeeded(identifier=identifier, ip=ip)
    return user
