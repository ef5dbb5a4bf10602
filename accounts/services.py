"""Account writes: registration, sign-in. Every entry point (API, pages, admin) calls these."""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from common.exceptions import DomainError, InvalidInput, Unauthorized

from .models import DEFAULT_COUNTRY_CODE, OtpAction, OtpChannel, User, normalize_email
from .otp import IssuedOtp, otp_consume, otp_issue
from .selectors import user_find_by_email, user_find_by_phone

INVALID_CREDENTIALS = "The email/phone or password is not correct."


def phone_target(*, country_code: str, phone: str) -> str:
    """The address a text message goes to, in E.164 form (+919876543210)."""
    return f"{country_code}{phone}"


def password_check(*, password: str, user: User | None = None, field: str = "password") -> None:
    """Django's password validators, as a 400 naming `field`."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(exc.messages[0], errors={field: exc.messages})


def _ensure_available(*, email: str | None, phone: str | None, country_code: str) -> None:
    if email and user_find_by_email(email=email, active_only=False):
        raise DomainError(
            "An account with this email already exists. Sign in instead.", code="account_exists"
        )
    if phone and user_find_by_phone(phone=phone, country_code=country_code, active_only=False):
        raise DomainError(
            "An account with this phone number already exists. Sign in instead.",
            code="account_exists",
        )


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
    email = normalize_email(email)
    _ensure_available(email=email, phone=phone, country_code=country_code)
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


def user_authenticate(
    *, password: str, email: str | None = None, phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
) -> User:
    """The user these credentials belong to, or 401 with one message whatever was wrong."""
    if email:
        user = user_find_by_email(email=email)
    elif phone:
        user = user_find_by_phone(phone=phone, country_code=country_code)
    else:
        user = None
    if user is None:
        # Spend the time a real check takes, so timing does not tell whether the account exists.
        User().set_password(password)
        raise Unauthorized(INVALID_CREDENTIALS, code="unauthorized")
    if not user.check_password(password):
        raise Unauthorized(INVALID_CREDENTIALS, code="unauthorized")
    return user


def registration_start(
    *,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
    first_name: str = "",
    last_name: str = "",
) -> IssuedOtp:
    """Check the new account's details and send a code; the account exists once it is confirmed.

    Nothing is created before the code comes back, so an unconfirmed sign-up never blocks the
    real owner of an email or phone number.
    """
    email = normalize_email(email)
    phone = phone or None
    if not email and not phone:
        raise InvalidInput.for_field("email", "Give an email address or a phone number.")
    _ensure_available(email=email, phone=phone, country_code=country_code)
    password_check(
        password=password,
        user=User(email=email, phone=phone, first_name=first_name, last_name=last_name),
    )
    if email:
        channel, target = OtpChannel.EMAIL, email
    else:
        channel, target = OtpChannel.SMS, phone_target(country_code=country_code, phone=phone)
    return otp_issue(
        action=OtpAction.REGISTER,
        channel=channel,
        target=target,
        payload={
            "email": email,
            "phone": phone,
            "country_code": country_code,
            "first_name": first_name,
            "last_name": last_name,
            "password_hash": make_password(password),
        },
    )


def registration_complete(*, otp_token: str, otp: str) -> User:
    """Confirm a sign-up code and create the account, its email or phone marked verified."""
    record = otp_consume(otp_token=otp_token, otp=otp, action=OtpAction.REGISTER)
    data = record.payload
    try:
        with transaction.atomic():
            _ensure_available(
                email=data["email"], phone=data["phone"], country_code=data["country_code"]
            )
            user = User(
                email=data["email"],
                phone=data["phone"],
                country_code=data["country_code"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                is_email_verified=record.channel == OtpChannel.EMAIL,
                is_phone_verified=record.channel != OtpChannel.EMAIL,
                password=data["password_hash"],
            )
            user.save()
    except IntegrityError:
        # Two confirmations for the same address raced; the other one won.
        raise DomainError("An account with these details already exists.", code="account_exists")
    return user
