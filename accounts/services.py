"""Account writes: registration, credentials check, profile, contact changes, passwords, picture.

Every entry point (API, website, admin, commands) calls these; the rules live only here.
"""

import copy
import hashlib
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.cache import cache
from django.db import IntegrityError, transaction

from common.exceptions import DomainError, InvalidInput, Unauthorized
from common.images import image_normalise

from . import messaging
from .models import (
    DEFAULT_COUNTRY_CODE,
    NOTIFICATION_CHANNELS,
    NOTIFICATION_KINDS,
    AuthSession,
    OtpAction,
    OtpChannel,
    User,
    normalize_email,
)
from .otp import IssuedOtp, otp_consume, otp_find, otp_issue
from .selectors import user_find_by_email, user_find_by_phone, user_find_for_sign_in
from .tokens import sessions_end_for_user

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


def _ensure_not_taken(
    *, user: User | None = None, email: str | None = None, phone: str | None = None,
    country_code: str | None = None,
) -> None:
    """Refuse an email or phone another account has: 409 `account_exists` for a new account
    (`user` None), 409 `conflict` for a change to `user`'s own details."""
    if email:
        other = user_find_by_email(email=email, active_only=False)
        if other is not None and (user is None or other.pk != user.pk):
            if user is None:
                raise DomainError(
                    "An account with this email already exists. Sign in instead.", code="account_exists"
                )
            raise DomainError("Another account already uses this email address.", code="conflict")
    if phone:
        other = user_find_by_phone(phone=phone, country_code=country_code, active_only=False)
        if other is not None and (user is None or other.pk != user.pk):
            if user is None:
                raise DomainError(
                    "An account with this phone number already exists. Sign in instead.",
                    code="account_exists",
                )
            raise DomainError("Another account already uses this phone number.", code="conflict")


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
    _ensure_not_taken(email=email, phone=phone, country_code=country_code)
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
    """The user these credentials belong to, or 401 with one message whatever was wrong.

    Only a verified email or phone signs in: an address nobody proved is no key to the account.
    """
    user = user_find_for_sign_in(email=email, phone=phone, country_code=country_code)
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
    password_check(
        password=password,
        user=User(email=email, phone=phone, first_name=first_name, last_name=last_name),
    )
    # The answer never tells whether an address has an account: for a taken one the owner is
    # told that someone tried to sign up with it, and the code that goes nowhere is still recorded.
    email_taken = bool(email) and user_find_by_email(email=email, active_only=False) is not None
    phone_taken = bool(phone) and (
        user_find_by_phone(phone=phone, country_code=country_code, active_only=False) is not None
    )
    if email_taken:
        _notify_sign_up_attempt(channel=OtpChannel.EMAIL, to=email)
    if phone_taken:
        _notify_sign_up_attempt(channel=OtpChannel.SMS, to=phone_target(country_code=country_code, phone=phone))
    if email:
        channel, target, taken = OtpChannel.EMAIL, email, email_taken
    else:
        channel, target, taken = OtpChannel.SMS, phone_target(country_code=country_code, phone=phone), phone_taken
    return otp_issue(
        action=OtpAction.REGISTER,
        channel=channel,
        target=target,
        deliver=not taken,
        payload={
            "email": email,
            "phone": phone,
            "country_code": country_code,
            "first_name": first_name,
            "last_name": last_name,
            "password_hash": make_password(password),
        },
    )


SIGN_UP_NOTICE_SECONDS = 10 * 60


def _notify_sign_up_attempt(*, channel: str, to: str) -> None:
    """Tell the owner of an address that someone tried to register it (at most every 10 min)."""
    key = "sign-up-notice:" + hashlib.sha256(to.encode()).hexdigest()
    if not cache.add(key, 1, timeout=SIGN_UP_NOTICE_SECONDS):
        return
    body = (
        "Someone tried to create a new account with this address, but you already have one. "
        "Sign in, or reset your password if you forgot it. If it was not you, ignore this message."
    )
    transaction.on_commit(
        lambda: messaging.deliver(channel=channel, to=to, subject="You already have an account", body=body)
    )


def registration_complete(*, otp_token: str, otp: str) -> User:
    """Confirm a sign-up code and create the account, its email or phone marked verified."""
    record = otp_consume(otp_token=otp_token, otp=otp, action=OtpAction.REGISTER)
    data = record.payload
    try:
        with transaction.atomic():
            _ensure_not_taken(
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


# --- profile ------------------------------------------------------------------------------

PROFILE_FIELDS = ("first_name", "last_name", "email", "phone", "country_code", "notification_preferences")


def _notify_previous_address(*, user: User, kind: str, old: str | None, new: str | None) -> None:
    """Tell the address that was replaced, so a hijacked account does not go unnoticed."""
    if not old or old == new:
        return
    what = "email address" if kind == "email" else "phone number"
    body = (
        f"The {what} of your account was changed to {new or 'nothing'}. "
        "If you did not do this, contact us right away."
    )
    channel = "email" if kind == "email" else "sms"
    transaction.on_commit(
        lambda: messaging.deliver(
            channel=channel, to=old, subject=f"Your {what} was changed", body=body
        )
    )


def _phone_address(country_code: str, phone: str | None) -> str | None:
    return phone_target(country_code=country_code, phone=phone) if phone else None


def notification_preferences_merge(current: dict, changes: dict) -> dict:
    """`current` with the kinds/channels named in `changes` replaced; nothing else touched."""
    merged = copy.deepcopy(current)
    for kind in NOTIFICATION_KINDS:
        for channel in NOTIFICATION_CHANNELS:
            value = changes.get(kind, {}).get(channel)
            if value is not None:
                merged.setdefault(kind, {})[channel] = bool(value)
    return merged


def _save_contact_fields(user: User, fields: list[str]) -> User:
    try:
        with transaction.atomic():
            user.full_clean(validate_unique=False, validate_constraints=False, exclude=["password", "profile_image"])
            user.save(update_fields=[*fields, "modified_at"])
    except IntegrityError:
        # Someone else took the address between our check and this write.
        raise DomainError("Another account already uses this email or phone.", code="conflict")
    return user


@dataclass(frozen=True)
class ProfileUpdate:
    user: User
    # A new email or phone is not applied here: a code went to it, and this is that code.
    pending: IssuedOtp | None = None


@transaction.atomic
def user_update(*, user: User, data: dict) -> ProfileUpdate:
    """Write the profile fields present in `data`; others are left as they are.

    Names and preferences are saved at once. A *new* email or phone is never saved here: the
    verified sign-in and recovery addresses change only when the shopper proves the new one with
    the code sent to it (`contact_code_confirm`). Removing one address is allowed while a
    verified one stays; the address removed is told.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email, old_phone = user.email, _phone_address(user.country_code, user.phone)
    changed: list[str] = []

    for name in ("first_name", "last_name"):
        if name in data and data[name] is not None and data[name] != getattr(user, name):
            setattr(user, name, data[name])
            changed.append(name)

    new_email = user.email
    if "email" in data:
        new_email = normalize_email(data["email"])
    country_code = data.get("country_code") or user.country_code
    new_phone = (data["phone"] or None) if "phone" in data else user.phone
    email_changes = new_email != user.email
    phone_changes = (new_phone, country_code) != (user.phone, user.country_code)

    if (new_email and email_changes) and (new_phone and phone_changes):
        raise InvalidInput.for_field(
            "phone", "Change your email address and your phone number one at a time: each needs its own code."
        )
    if not new_email and not new_phone:
        raise InvalidInput.for_field("email", "Keep an email address or a phone number on the account.")

    pending = None
    if email_changes and new_email:
        pending = contact_code_send(
            user=user, action=OtpAction.UPDATE_EMAIL, channel=OtpChannel.EMAIL, email=new_email
        )
    elif email_changes:
        user.email, user.is_email_verified = None, False
        changed += ["email", "is_email_verified"]
    if phone_changes and new_phone:
        pending = contact_code_send(
            user=user, action=OtpAction.UPDATE_PHONE, channel=OtpChannel.SMS,
            phone=new_phone, country_code=country_code,
        )
    elif phone_changes:
        user.phone, user.is_phone_verified = None, False
        changed += ["phone", "is_phone_verified"]
    removed = [kind for kind in ("email", "phone") if kind in changed]
    if removed and not ((user.email and user.is_email_verified) or (user.phone and user.is_phone_verified)):
        raise InvalidInput.for_field(
            removed[0],
            "Keep a verified email address or phone number on the account: you sign in and recover it with that.",
        )

    if data.get("notification_preferences"):
        merged = notification_preferences_merge(
            user.notification_preferences, data["notification_preferences"]
        )
        if merged != user.notification_preferences:
            user.notification_preferences = merged
            changed.append("notification_preferences")

    if changed:
        _save_contact_fields(user, changed)
        _notify_previous_address(user=user, kind="email", old=old_email, new=user.email)
        _notify_previous_address(
            user=user, kind="phone", old=old_phone, new=_phone_address(user.country_code, user.phone)
        )
    return ProfileUpdate(user=user, pending=pending)


def notification_preferences_update(*, user: User, changes: dict) -> User:
    """Change only the kinds and channels named in `changes`."""
    return user_update(user=user, data={"notification_preferences": changes}).user


# --- verifying and changing email / phone with a code ------------------------------------

CONTACT_ACTIONS = {
    OtpAction.UPDATE_EMAIL, OtpAction.VERIFY_EMAIL, OtpAction.UPDATE_PHONE, OtpAction.VERIFY_PHONE,
}


def contact_code_send(
    *,
    user: User,
    action: str,
    channel: str,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
) -> IssuedOtp:
    """Send a code to the address being verified (for an update: the *new* address)."""
    action = OtpAction(action)
    if action not in CONTACT_ACTIONS:
        raise InvalidInput.for_field("otp_action", "This action is not available here.")
    is_email = action in (OtpAction.UPDATE_EMAIL, OtpAction.VERIFY_EMAIL)
    if is_email != (channel == OtpChannel.EMAIL):
        raise InvalidInput.for_field("channel", "Use the email channel for email, sms or whatsapp for phone.")
    country_code = country_code or DEFAULT_COUNTRY_CODE

    if is_email:
        email = normalize_email(email)
        if not email:
            raise InvalidInput.for_field("email", "Give the email address to verify.")
        if action == OtpAction.VERIFY_EMAIL:
            if email != user.email:
                raise InvalidInput.for_field("email", "This is not the email address of your account.")
            if user.is_email_verified:
                raise DomainError("This email address is already verified.", code="already_verified")
        elif email == user.email:
            raise InvalidInput.for_field("email", "This is already your email address.")
        _ensure_not_taken(user=user, email=email)
        issued = otp_issue(action=action, channel=channel, target=email, user=user, payload={"email": email})
        if action == OtpAction.UPDATE_EMAIL:
            _notify_change_requested(kind="email", old=user.email, new=email)
        return issued

    if not phone:
        raise InvalidInput.for_field("phone", "Give the phone number to verify.")
    same = (phone, country_code) == (user.phone, user.country_code)
    if action == OtpAction.VERIFY_PHONE:
        if not same:
            raise InvalidInput.for_field("phone", "This is not the phone number of your account.")
        if user.is_phone_verified:
            raise DomainError("This phone number is already verified.", code="already_verified")
    elif same:
        raise InvalidInput.for_field("phone", "This is already your phone number.")
    _ensure_not_taken(user=user, phone=phone, country_code=country_code)
    issued = otp_issue(
        action=action,
        channel=channel,
        target=phone_target(country_code=country_code, phone=phone),
        user=user,
        payload={"phone": phone, "country_code": country_code},
    )
    if action == OtpAction.UPDATE_PHONE:
        _notify_change_requested(
            kind="phone", old=_phone_address(user.country_code, user.phone),
            new=phone_target(country_code=country_code, phone=phone),
        )
    return issued


def _notify_change_requested(*, kind: str, old: str | None, new: str) -> None:
    """Warn the current address that a change to `new` was asked for (it is not made yet)."""
    if not old:
        return
    what = "email address" if kind == "email" else "phone number"
    body = (
        f"Someone asked to change the {what} of your account to {new}. Nothing changes unless the "
        "code we sent there is entered. If you did not ask for this, change your password now."
    )
    channel = "email" if kind == "email" else "sms"
    transaction.on_commit(
        lambda: messaging.deliver(channel=channel, to=old, subject=f"Change of your {what} requested", body=body)
    )


def contact_code_confirm(*, user: User, action: str, otp_token: str, otp: str) -> User:
    """Confirm a code sent by `contact_code_send`: the address is set (if new) and verified."""
    action = OtpAction(action)
    record = otp_consume(otp_token=otp_token, otp=otp, action=action, user=user)
    data = record.payload
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if action in (OtpAction.UPDATE_EMAIL, OtpAction.VERIFY_EMAIL):
            old = user.email
            if action == OtpAction.VERIFY_EMAIL and data["email"] != user.email:
                raise DomainError("Your email address changed since the code was sent.", code="conflict")
            _ensure_not_taken(user=user, email=data["email"])
            user.email, user.is_email_verified = data["email"], True
            _save_contact_fields(user, ["email", "is_email_verified"])
            _notify_previous_address(user=user, kind="email", old=old, new=user.email)
        else:
            old = _phone_address(user.country_code, user.phone)
            if action == OtpAction.VERIFY_PHONE and (data["phone"], data["country_code"]) != (
                user.phone, user.country_code
            ):
                raise DomainError("Your phone number changed since the code was sent.", code="conflict")
            _ensure_not_taken(user=user, phone=data["phone"], country_code=data["country_code"])
            user.phone, user.country_code, user.is_phone_verified = data["phone"], data["country_code"], True
            _save_contact_fields(user, ["phone", "country_code", "is_phone_verified"])
            _notify_previous_address(
                user=user, kind="phone", old=old, new=_phone_address(user.country_code, user.phone)
            )
    return user


# --- passwords ----------------------------------------------------------------------------


def _notify_password_changed(user: User) -> None:
    to, channel = (user.email, "email") if user.email else (_phone_address(user.country_code, user.phone), "sms")
    body = "The password of your account was changed. If you did not do this, reset it right away."
    transaction.on_commit(
        lambda: messaging.deliver(channel=channel, to=to, subject="Your password was changed", body=body)
    )


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, session: AuthSession | None) -> User:
    """Change a signed-in user's password; every other session of the user ends."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise InvalidInput(
            "The current password is not correct.",
            code="invalid_password",
            errors={"old_password": ["The current password is not correct."]},
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
    user = user_find_for_sign_in(email=email, phone=phone, country_code=country_code)
    if email:
        channel, target = OtpChannel.EMAIL, normalize_email(email)
    elif phone:
        channel, target = OtpChannel.SMS, phone_target(country_code=country_code, phone=phone)
    else:
        raise InvalidInput.for_field("email", "Give an email address or a phone number.")
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
    if record.user is None or not record.user.is_active:
        raise InvalidInput.for_field("otp", "The code is not correct.", code="invalid_otp")
    return password_set(user=record.user, new_password=new_password, field="new_password")


# --- profile picture ----------------------------------------------------------------------


def profile_image_set(*, user: User, upload) -> User:
    """Store a clean copy of an uploaded picture and drop the previous one.

    The upload is checked before anything changes, so a bad file leaves the old picture in
    place; the old file is deleted only once the new one is committed.
    """
    image = image_normalise(upload, max_side=1024)
    field = User._meta.get_field("profile_image")
    storage = field.storage
    new_name = storage.save(field.generate_filename(user, image.content.name), image.content)
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            old_name = locked.profile_image.name if locked.profile_image else None
            locked.profile_image.name = new_name
            locked.save(update_fields=["profile_image", "modified_at"])
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        storage.delete(new_name)
        raise
    return locked


@transaction.atomic
def profile_image_remove(*, user: User) -> User:
    """Remove the picture and its file."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.profile_image:
        old_name, storage = locked.profile_image.name, locked.profile_image.storage
        locked.profile_image = None
        locked.save(update_fields=["profile_image", "modified_at"])
        transaction.on_commit(lambda: storage.delete(old_name))
    return locked


def password_set(
    *, user: User, new_password: str, reason: str = "password-reset", field: str = "new_password1"
) -> User:
    """Set a forgotten password anew (reset code or reset link); every session of the user ends."""
    password_check(password=new_password, user=user, field=field)
    with transaction.atomic():
        return _password_store(User.objects.select_for_update().get(pk=user.pk), new_password, reason=reason)


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Close an account: it can no longer sign in, and every session ends now."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    sessions_end_for_user(user=user, reason="deactivated")
    user.is_active = False
    return user
