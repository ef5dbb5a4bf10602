"""The profile: names and notification preferences saved at once; a new email or phone only
through the code sent to it (`contact`)."""

import copy
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.exceptions import InvalidInput
from common.text import one_line

from ..models import (
    NOTIFICATION_CHANNELS,
    NOTIFICATION_KINDS,
    AuthSession,
    OtpAction,
    OtpChannel,
    User,
    normalize_email,
)
from ..otp import IssuedOtp
from .contact import contact_code_send, contact_fields_save, phone_address, previous_address_notify
from .recent_auth import reauth_require


def notification_preferences_merge(current: dict, changes: dict) -> dict:
    """`current` with the kinds/channels named in `changes` replaced; nothing else touched."""
    merged = copy.deepcopy(current)
    for kind in NOTIFICATION_KINDS:
        for channel in NOTIFICATION_CHANNELS:
            value = changes.get(kind, {}).get(channel)
            if value is not None:
                merged.setdefault(kind, {})[channel] = bool(value)
    return merged


@dataclass(frozen=True)
class ProfileUpdate:
    user: User
    # A new email or phone is not applied here: a code went to it, and this is that code.
    pending: IssuedOtp | None = None


PERSON_NAME_MAX = 150  # User.first_name, User.last_name


def person_names_clean(first_name, last_name) -> tuple[str, str]:
    """A shopper's names as kept, at every door (registration, the profile, staff): each one
    printable line (`common.text.one_line`), or 400 naming the field. A line break in a name
    must never reach an email header or an invoice."""
    return (
        one_line(first_name, field="first_name", max_length=PERSON_NAME_MAX),
        one_line(last_name, field="last_name", max_length=PERSON_NAME_MAX),
    )


@transaction.atomic
def user_update(*, user: User, data: dict, session: AuthSession | None = None) -> ProfileUpdate:
    """Write the profile fields present in `data`; others are left as they are.

    Names and preferences are saved at once. A *new* email or phone is never saved here: the
    verified sign-in and recovery addresses change only when the shopper proves the new one with
    the code sent to it (`contact_code_confirm`). Removing one address is allowed while a
    verified one stays; the address removed is told. Changing or removing either needs a recent
    authentication in `session` (`recent_auth`).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email, old_phone = user.email, phone_address(user.country_code, user.phone)
    changed: list[str] = []

    for name in ("first_name", "last_name"):
        if name in data and data[name] is not None:
            value = one_line(data[name], field=name, max_length=PERSON_NAME_MAX)
            if value != getattr(user, name):
                setattr(user, name, value)
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
            "phone", _("Change your email address and your phone number one at a time: each needs its own code.")
        )
    if not new_email and not new_phone:
        raise InvalidInput.for_field("email", _("Keep an email address or a phone number on the account."))

    if email_changes or phone_changes:
        reauth_require(session=session)
    pending = None
    if email_changes and new_email:
        pending = contact_code_send(
            user=user, action=OtpAction.UPDATE_EMAIL, channel=OtpChannel.EMAIL, email=new_email, session=session
        )
    elif email_changes:
        user.email, user.is_email_verified = None, False
        changed += ["email", "is_email_verified"]
    if phone_changes and new_phone:
        pending = contact_code_send(
            user=user,
            action=OtpAction.UPDATE_PHONE,
            channel=OtpChannel.SMS,
            phone=new_phone,
            country_code=country_code,
            session=session,
        )
    elif phone_changes:
        user.phone, user.is_phone_verified = None, False
        changed += ["phone", "is_phone_verified"]
    removed = [kind for kind in ("email", "phone") if kind in changed]
    if removed and not ((user.email and user.is_email_verified) or (user.phone and user.is_phone_verified)):
        raise InvalidInput.for_field(
            removed[0],
            _("Keep a verified email address or phone number on the account: you sign in and recover it with that."),
        )

    if data.get("notification_preferences"):
        merged = notification_preferences_merge(user.notification_preferences, data["notification_preferences"])
        if merged != user.notification_preferences:
            user.notification_preferences = merged
            changed.append("notification_preferences")

    if changed:
        contact_fields_save(user, changed)
        previous_address_notify(user=user, kind="email", old=old_email, new=user.email)
        previous_address_notify(
            user=user, kind="phone", old=old_phone, new=phone_address(user.country_code, user.phone)
        )
    return ProfileUpdate(user=user, pending=pending)


def notification_preferences_update(*, user: User, changes: dict) -> User:
    """Change only the kinds and channels named in `changes`."""
    return user_update(user=user, data={"notification_preferences": changes}).user
