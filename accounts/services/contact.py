"""An account's email and phone: one account per address, and changing or verifying one with
the code sent to it. The owner of the address replaced is always told.

An address is held only once proved with a code: an account that has one without proof (typed
at sign-up beside the address the code went to) keeps it only until someone proves it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput
from common.shoptime import date_time

from ..language import in_language_of
from ..models import DEFAULT_COUNTRY_CODE, AuthSession, OtpAction, OtpChannel, User, normalize_email
from ..notices import notice_send
from ..otp import IssuedOtp, otp_consume, otp_issue
from ..selectors import user_find_holder
from .recent_auth import reauth_require

CONTACT_ACTIONS = {
    OtpAction.UPDATE_EMAIL,
    OtpAction.VERIFY_EMAIL,
    OtpAction.UPDATE_PHONE,
    OtpAction.VERIFY_PHONE,
}


def phone_target(*, country_code: str, phone: str) -> str:
    """The address a text message goes to, in E.164 form (+919876543210)."""
    return f"{country_code}{phone}"


def phone_address(country_code: str, phone: str | None) -> str | None:
    """`phone_target`, or None for an account without a phone."""
    return phone_target(country_code=country_code, phone=phone) if phone else None


def _taken(*, user: User | None, kind: str) -> DomainError:
    """409 for an address another account holds: `account_exists` for a new account (`user`
    None), `conflict` for a change to `user`'s own details."""
    what = gettext("email") if kind == "email" else gettext("phone number")
    if user is None:
        return DomainError(
            gettext("An account with this %(what)s already exists. Sign in instead.") % {"what": what},
            code=ErrorCode.ACCOUNT_EXISTS,
        )
    return DomainError(gettext("Another account already uses this %(what)s.") % {"what": what}, code=ErrorCode.CONFLICT)


def ensure_not_taken(
    *,
    user: User | None = None,
    email: str | None = None,
    phone: str | None = None,
    country_code: str | None = None,
) -> None:
    """Refuse an email or phone another account holds, that is has proved (409, `_taken`).

    An address another account has without proof passes: the code sent to it decides, and
    `address_claim` takes it when the code comes back.
    """
    if email:
        other = user_find_holder(email=email)
        if other is not None and (user is None or other.pk != user.pk):
            raise _taken(user=user, kind="email")
    if phone:
        other = user_find_holder(phone=phone, country_code=country_code)
        if other is not None and (user is None or other.pk != user.pk):
            raise _taken(user=user, kind="phone")


def address_in_use(*, email: str | None = None, phone: str | None = None, country_code: str | None = None) -> bool:
    """Whether any account has this email (or else phone), proved or not: an address stored
    without proof may only go where nobody has it."""
    if email:
        return User.objects.filter(email=normalize_email(email)).exists()
    if phone:
        return User.objects.filter(phone=phone, country_code=country_code or DEFAULT_COUNTRY_CODE).exists()
    return False


def address_claim(
    *,
    user: User | None,
    email: str | None = None,
    phone: str | None = None,
    country_code: str | None = None,
) -> None:
    """Make a just-proved email (or else phone) free for `user` (None: the account about to be
    made): taken from any other account that has it without proof, in the caller's transaction.

    The rows are locked and cleared before the caller writes the address, so the unique
    constraints hold at every statement; of two proofs at once one wins and the other meets a
    verified holder here, or the unique constraint at its write, and the caller answers 409.
    The account it is taken from is told on its verified other address. An account left with
    no address at all cannot be (the database requires one): that proof is refused, 409.
    """
    if not email and not phone:
        raise ValueError("address_claim needs the email or the phone proved")
    kind = "email" if email else "phone"
    if email:
        others = User.objects.filter(email=normalize_email(email))
    else:
        others = User.objects.filter(phone=phone, country_code=country_code or DEFAULT_COUNTRY_CODE)
    if user is not None:
        others = others.exclude(pk=user.pk)
    for other in others.select_for_update().order_by("pk"):
        if other.is_email_verified if kind == "email" else other.is_phone_verified:
            raise _taken(user=user, kind=kind)
        if kind == "email" and other.phone:
            address = other.email
            other.email, other.is_email_verified = None, False
            other.save(update_fields=["email", "is_email_verified", "modified_at"])
            if other.is_phone_verified:
                _notify_unproved_taken(
                    owner=other,
                    kind=kind,
                    address=address,
                    channel="sms",
                    to=phone_target(country_code=other.country_code, phone=other.phone),
                )
        elif kind == "phone" and other.email:
            address = phone_target(country_code=other.country_code, phone=other.phone)
            other.phone, other.is_phone_verified = None, False
            other.save(update_fields=["phone", "is_phone_verified", "modified_at"])
            if other.is_email_verified:
                _notify_unproved_taken(owner=other, kind=kind, address=address, channel="email", to=other.email)
        else:
            what = gettext("email address") if kind == "email" else gettext("phone number")
            raise DomainError(
                gettext("This %(what)s is the only address of an account made for it. Please contact us to use it.")
                % {"what": what},
                code=ErrorCode.ACCOUNT_EXISTS if user is None else ErrorCode.CONFLICT,
            )


def _notify_unproved_taken(*, owner: User, kind: str, address: str, channel: str, to: str) -> None:
    """Tell an account that an address it never proved went to the person who proved it."""
    with in_language_of(owner):
        if kind == "email":
            subject = gettext("An email address was removed from your account")
            body = gettext(
                "The email address %(address)s was on your account but was never confirmed with a code. Its "
                "owner has now confirmed it, so it is no longer on your account. If it is yours, add it again "
                "from your profile: a code will be sent to it."
            )
        else:
            subject = gettext("A phone number was removed from your account")
            body = gettext(
                "The phone number %(address)s was on your account but was never confirmed with a code. Its "
                "owner has now confirmed it, so it is no longer on your account. If it is yours, add it again "
                "from your profile: a code will be sent to it."
            )
    notice_send(channel=channel, to=to, subject=subject, body=body % {"address": address})


def contact_fields_save(user: User, fields: list[str]) -> User:
    """Save changed contact fields (row held by the caller); a race for the address is a 409."""
    try:
        with transaction.atomic():
            user.full_clean(validate_unique=False, validate_constraints=False, exclude=["password", "profile_image"])
            user.save(update_fields=[*fields, "modified_at"])
    except IntegrityError:
        # Someone else took the address between our check and this write.
        raise DomainError(_("Another account already uses this email or phone."), code=ErrorCode.CONFLICT) from None
    return user


def _channel_of(kind: str) -> str:
    """How to reach an account's email (`kind` "email") or phone."""
    return "email" if kind == "email" else "sms"


def previous_address_notify(*, user: User, kind: str, old: str | None, new: str | None) -> None:
    """Tell the address that was replaced, so a hijacked account does not go unnoticed."""
    if not old or old == new:
        return
    channel = _channel_of(kind)
    with in_language_of(user):
        when = date_time(timezone.now())
        if kind == "email":
            subject = gettext("Your email address was changed")
            body = (
                gettext(
                    "The email address of your account was changed to %(new)s on %(when)s. If you did not do "
                    "this, contact us right away."
                )
                if new
                else gettext(
                    "The email address of your account was removed on %(when)s. If you did not do this, "
                    "contact us right away."
                )
            )
        else:
            subject = gettext("Your phone number was changed")
            body = (
                gettext(
                    "The phone number of your account was changed to %(new)s on %(when)s. If you did not do "
                    "this, contact us right away."
                )
                if new
                else gettext(
                    "The phone number of your account was removed on %(when)s. If you did not do this, "
                    "contact us right away."
                )
            )
    notice_send(channel=channel, to=old, subject=subject, body=body % {"new": new, "when": when})


def contact_code_send(
    *,
    user: User,
    action: str,
    channel: str,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
    session: AuthSession | None = None,
) -> IssuedOtp:
    """Send a code to the address being verified (for an update: the *new* address).

    An update is a serious step: `session` (the caller's) must have authenticated recently
    (`recent_auth`), or 403 `reauthentication_required`."""
    action = OtpAction(action)
    if action not in CONTACT_ACTIONS:
        raise InvalidInput.for_field("otp_action", _("This action is not available here."))
    if action in (OtpAction.UPDATE_EMAIL, OtpAction.UPDATE_PHONE):
        reauth_require(session=session)
    is_email = action in (OtpAction.UPDATE_EMAIL, OtpAction.VERIFY_EMAIL)
    if is_email != (channel == OtpChannel.EMAIL):
        raise InvalidInput.for_field("channel", _("Use the email channel for email, sms or whatsapp for phone."))
    country_code = country_code or DEFAULT_COUNTRY_CODE

    if is_email:
        email = normalize_email(email)
        if not email:
            raise InvalidInput.for_field("email", _("Give the email address to verify."))
        if action == OtpAction.VERIFY_EMAIL:
            if email != user.email:
                raise InvalidInput.for_field("email", _("This is not the email address of your account."))
            if user.is_email_verified:
                raise DomainError(_("This email address is already verified."), code=ErrorCode.ALREADY_VERIFIED)
        elif email == user.email:
            raise InvalidInput.for_field("email", _("This is already your email address."))
        ensure_not_taken(user=user, email=email)
        issued = otp_issue(action=action, channel=channel, target=email, user=user, payload={"email": email})
        if action == OtpAction.UPDATE_EMAIL:
            _notify_change_requested(user=user, kind="email", old=user.email, new=email)
        return issued

    if not phone:
        raise InvalidInput.for_field("phone", _("Give the phone number to verify."))
    same = (phone, country_code) == (user.phone, user.country_code)
    if action == OtpAction.VERIFY_PHONE:
        if not same:
            raise InvalidInput.for_field("phone", _("This is not the phone number of your account."))
        if user.is_phone_verified:
            raise DomainError(_("This phone number is already verified."), code=ErrorCode.ALREADY_VERIFIED)
    elif same:
        raise InvalidInput.for_field("phone", _("This is already your phone number."))
    ensure_not_taken(user=user, phone=phone, country_code=country_code)
    issued = otp_issue(
        action=action,
        channel=channel,
        target=phone_target(country_code=country_code, phone=phone),
        user=user,
        payload={"phone": phone, "country_code": country_code},
    )
    if action == OtpAction.UPDATE_PHONE:
        _notify_change_requested(
            user=user,
            kind="phone",
            old=phone_address(user.country_code, user.phone),
            new=phone_target(country_code=country_code, phone=phone),
        )
    return issued


def _notify_change_requested(*, user: User, kind: str, old: str | None, new: str) -> None:
    """Warn the current address that a change to `new` was asked for (it is not made yet)."""
    if not old:
        return
    channel = _channel_of(kind)
    with in_language_of(user):
        if kind == "email":
            subject = gettext("Change of your email address requested")
            body = gettext(
                "Someone asked to change the email address of your account to %(new)s on %(when)s. Nothing "
                "changes unless the code we sent there is entered. If you did not ask for this, change your "
                "password now."
            )
        else:
            subject = gettext("Change of your phone number requested")
            body = gettext(
                "Someone asked to change the phone number of your account to %(new)s on %(when)s. Nothing "
                "changes unless the code we sent there is entered. If you did not ask for this, change your "
                "password now."
            )
        body %= {"new": new, "when": date_time(timezone.now())}
    notice_send(channel=channel, to=old, subject=subject, body=body)


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
                raise DomainError(_("Your email address changed since the code was sent."), code=ErrorCode.CONFLICT)
            address_claim(user=user, email=data["email"])
            user.email, user.is_email_verified = data["email"], True
            contact_fields_save(user, ["email", "is_email_verified"])
            previous_address_notify(user=user, kind="email", old=old, new=user.email)
        else:
            old = phone_address(user.country_code, user.phone)
            if action == OtpAction.VERIFY_PHONE and (data["phone"], data["country_code"]) != (
                user.phone,
                user.country_code,
            ):
                raise DomainError(_("Your phone number changed since the code was sent."), code=ErrorCode.CONFLICT)
            address_claim(user=user, phone=data["phone"], country_code=data["country_code"])
            user.phone, user.country_code, user.is_phone_verified = data["phone"], data["country_code"], True
            contact_fields_save(user, ["phone", "country_code", "is_phone_verified"])
            previous_address_notify(user=user, kind="phone", old=old, new=phone_address(user.country_code, user.phone))
    return user
