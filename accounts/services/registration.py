"""An account's beginning and end: created directly (seeding, staff, tests) or by a sign-up
confirmed with its code. Closing and opening it again are `deactivation`."""

import hashlib

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput

from ..models import DEFAULT_COUNTRY_CODE, OtpAction, OtpChannel, User, normalize_email
from ..otp import IssuedOtp, Outgoing, otp_consume, otp_issue, otp_started
from ..selectors import user_find_holder
from .contact import address_claim, address_in_use, ensure_not_taken, phone_target
from .passwords import password_check
from .profile import person_names_clean

SIGN_UP_NOTICE_SECONDS = 10 * 60


def user_create(
    *,
    password: str | None,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
    first_name: str = "",
    last_name: str = "",
    is_email_verified: bool = False,
    is_phone_verified: bool = False,
) -> User:
    """Create an account directly (seeding, staff, tests); shoppers go through registration."""
    first_name, last_name = person_names_clean(first_name, last_name)
    email = normalize_email(email)
    ensure_not_taken(email=email, phone=phone, country_code=country_code)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                phone=phone or None,
                country_code=country_code,
                first_name=first_name,
                last_name=last_name,
                is_email_verified=is_email_verified,
                is_phone_verified=is_phone_verified,
            )
    except IntegrityError:
        if not (address_in_use(email=email) or address_in_use(phone=phone, country_code=country_code)):
            raise
        # Another account has the address without proof: made without a code, this one takes nothing.
        raise DomainError(_("An account with these details already exists."), code=ErrorCode.ACCOUNT_EXISTS) from None


def registration_start(
    *,
    password: str | None,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
    first_name: str = "",
    last_name: str = "",
    channel: str | None = None,
) -> IssuedOtp:
    """Check the new account's details and send a code; the account exists once it is confirmed.

    Nothing is created before the code comes back, so an unconfirmed sign-up never blocks the
    real owner of an email or phone number. `password` None is a sign-up with codes only (the
    account signs in with a code until it sets a password). `channel` says which address the
    code proves: "email", "sms" or "whatsapp"; by default the email if given, else the phone.
    """
    first_name, last_name = person_names_clean(first_name, last_name)
    email = normalize_email(email)
    phone = phone or None
    if not email and not phone:
        raise InvalidInput.for_field("email", _("Give an email address or a phone number."))
    if channel is None:
        channel = OtpChannel.EMAIL if email else OtpChannel.SMS
    channel = OtpChannel(channel)
    if channel == OtpChannel.EMAIL and not email:
        raise InvalidInput.for_field("email", _("Give the email address to send the code to."))
    if channel != OtpChannel.EMAIL and not phone:
        raise InvalidInput.for_field("phone", _("Give the phone number to send the code to."))
    if password is not None:
        password_check(
            password=password,
            user=User(email=email, phone=phone, first_name=first_name, last_name=last_name),
        )
    # The answer never tells whether an address has an account: for a taken one the owner is
    # told that someone tried to sign up with it, and the code that goes nowhere is still recorded.
    # Taken means held (proved, `user_find_holder`): an address some account has without proof
    # gets its code, and the proof takes it.
    email_taken = bool(email) and user_find_holder(email=email) is not None
    phone_taken = bool(phone) and user_find_holder(phone=phone, country_code=country_code) is not None
    # The notices go in the code's own task (`otp_issue`'s `instead`), so a taken address costs
    # the request what a free one does: one task handed over, whatever it holds.
    notices = []
    if email_taken:
        notices.append(_sign_up_attempt_notice(channel=OtpChannel.EMAIL, to=email))
    if phone_taken:
        # Over WhatsApp when that is where the shopper asked for the code, else by SMS.
        notice_channel = OtpChannel.WHATSAPP if channel == OtpChannel.WHATSAPP else OtpChannel.SMS
        notices.append(
            _sign_up_attempt_notice(channel=notice_channel, to=phone_target(country_code=country_code, phone=phone))
        )
    if channel == OtpChannel.EMAIL:
        target, taken = email, email_taken
    else:
        target, taken = phone_target(country_code=country_code, phone=phone), phone_taken
    return otp_issue(
        action=OtpAction.REGISTER,
        channel=channel,
        target=target,
        deliver=not taken,
        instead=[notice for notice in notices if notice is not None],
        payload={
            "email": email,
            "phone": phone,
            "country_code": country_code,
            "first_name": first_name,
            "last_name": last_name,
            "password_hash": make_password(password),  # None: an unusable password
        },
    )


def registration_code_resend(*, otp_token: str) -> IssuedOtp:
    """A new sign-up code for the details given when the sign-up started, to the same address.

    It goes through `otp_issue` like the first one (so the resend wait applies, and the earlier
    code stops working); an address that has an account meanwhile still gets no code.
    """
    record = otp_started(otp_token=otp_token, action=OtpAction.REGISTER)
    if record is None:
        raise InvalidInput.for_field(
            "otp_token", _("This sign-up has expired. Please start again."), code=ErrorCode.INVALID_OTP
        )
    data = record.payload
    if record.channel == OtpChannel.EMAIL:
        taken = user_find_holder(email=data["email"]) is not None
    else:
        taken = user_find_holder(phone=data["phone"], country_code=data["country_code"]) is not None
    return otp_issue(
        action=OtpAction.REGISTER, channel=record.channel, target=record.target, deliver=not taken, payload=data
    )


def _sign_up_attempt_notice(*, channel: str, to: str) -> Outgoing | None:
    """What tells the owner of an address that someone tried to register it (at most every
    10 min; None within that time). It holds no digit, not even a time: nothing in it may pass
    for a code."""
    key = "sign-up-notice:" + hashlib.sha256(to.encode()).hexdigest()
    if not cache.add(key, 1, timeout=SIGN_UP_NOTICE_SECONDS):
        return None
    return Outgoing(
        channel=channel,
        to=to,
        subject="You already have an account",
        body="Someone tried to create a new account with this address, but you already have one. "
        "Sign in, or reset your password if you forgot it. If it was not you, ignore this message.",
    )


def registration_complete(*, otp_token: str, otp: str) -> User:
    """Confirm a sign-up code and create the account, its email or phone marked verified."""
    record = otp_consume(otp_token=otp_token, otp=otp, action=OtpAction.REGISTER)
    return registration_account_create(details=record.payload, channel=record.channel)


def registration_account_create(*, details: dict, channel: str) -> User:
    """Create the account a confirmed code stands for (a sign-up, or a sign-in with a code that
    asked to register an unknown address); the address the code went to is marked verified.

    The proved address is taken from any account that has it without proof (`address_claim`).
    The other address typed, which nobody proved, is kept (unverified) only where no account
    has it: it never takes anything, and never stops the sign-up.
    """
    email, phone, country_code = details["email"], details["phone"], details["country_code"]
    try:
        with transaction.atomic():
            if channel == OtpChannel.EMAIL:
                address_claim(user=None, email=email)
                if phone and address_in_use(phone=phone, country_code=country_code):
                    phone = None
            else:
                address_claim(user=None, phone=phone, country_code=country_code)
                if email and address_in_use(email=email):
                    email = None
            user = User(
                email=email,
                phone=phone,
                country_code=country_code,
                first_name=details.get("first_name", ""),
                last_name=details.get("last_name", ""),
                is_email_verified=channel == OtpChannel.EMAIL,
                is_phone_verified=channel != OtpChannel.EMAIL,
                password=details.get("password_hash") or make_password(None),
            )
            user.save()
    except IntegrityError:
        # Two confirmations for the same address raced; the other one won.
        raise DomainError(_("An account with these details already exists."), code=ErrorCode.ACCOUNT_EXISTS) from None
    return user
