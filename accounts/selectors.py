"""Account reads."""

from django.db.models import Q

from common.phones import phone_parse

from .models import DEFAULT_COUNTRY_CODE, Passkey, User, normalize_email


def user_find_by_email(*, email: str, active_only: bool = True) -> User | None:
    users = User.objects.filter(email=normalize_email(email))
    if active_only:
        users = users.filter(is_active=True)
    return users.first()


def user_find_by_phone(
    *, phone: str, country_code: str = DEFAULT_COUNTRY_CODE, active_only: bool = True
) -> User | None:
    users = User.objects.filter(phone=phone, country_code=country_code or DEFAULT_COUNTRY_CODE)
    if active_only:
        users = users.filter(is_active=True)
    return users.first()


def user_find_holder(
    *, email: str | None = None, phone: str | None = None, country_code: str = DEFAULT_COUNTRY_CODE
) -> User | None:
    """The account that holds this email (or else phone): the one that proved it with a code,
    open or closed.

    An address an account has without proof holds nothing: it does not make the address taken
    for a sign-up or a change, and whoever proves it takes it (`services.contact.address_claim`).
    """
    if email:
        return User.objects.filter(email=normalize_email(email), is_email_verified=True).first()
    if phone:
        return User.objects.filter(
            phone=phone, country_code=country_code or DEFAULT_COUNTRY_CODE, is_phone_verified=True
        ).first()
    return None


def user_find_for_sign_in(
    *,
    email: str | None = None,
    phone: str | None = None,
    country_code: str = DEFAULT_COUNTRY_CODE,
    include_deactivated: bool = False,
) -> User | None:
    """The active account whose *verified* email (or else phone) this is.

    Sign-in and password reset look accounts up only here: an address that was never proven
    with a code opens nothing. `include_deactivated` also finds an account its shopper
    deactivated (sign-in answers it `account_deactivated`, or reactivates it for a code); one
    staff disabled, or an erased one, is never found.
    """
    usable = Q(is_active=True)
    if include_deactivated:
        usable |= Q(deactivated_at__isnull=False)
    if email:
        return User.objects.filter(usable, email=normalize_email(email), is_email_verified=True).first()
    if phone:
        return User.objects.filter(
            usable, phone=phone, country_code=country_code or DEFAULT_COUNTRY_CODE, is_phone_verified=True
        ).first()
    return None


def verified_addresses_among(*, user, emails: list[str], phones: list[str]) -> tuple[list[str], list[str]]:
    """Which of `emails` and `phones` (as typed) are verified addresses of `user`'s own account.

    Nothing is said about any other account: an address verified on someone else's account is
    answered like one no account has (not listed), and a caller who is not signed in (`user`
    None, or a guest) always gets two empty lists. That is the registration's rule: no answer
    tells a stranger whether an address has an account.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return [], []
    verified_emails = [e for e in emails if user.email and user.is_email_verified and normalize_email(e) == user.email]
    verified_phones = []
    if user.phone and user.is_phone_verified:
        for typed in phones:
            try:
                phone = phone_parse(typed)
            except ValueError:
                continue  # not a phone number: not a verified one either
            if (phone.country_code, phone.number) == (user.country_code, user.phone):
                verified_phones.append(typed)
    return verified_emails, verified_phones


def passkeys_of(user: User):
    """The shopper's passkeys, the newest first."""
    return Passkey.objects.filter(user=user).order_by("-created_at", "-id")
