"""Account reads."""

from .models import DEFAULT_COUNTRY_CODE, User, normalize_email


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
    *, email: str | None = None, phone: str | None = None, country_code: str = DEFAULT_COUNTRY_CODE
) -> User | None:
    """The active account whose *verified* email (or else phone) this is.

    Sign-in and password reset look accounts up only here: an address that was never proven
    with a code opens nothing.
    """
    if email:
        return User.objects.filter(email=normalize_email(email), is_email_verified=True, is_active=True).first()
    if phone:
        return User.objects.filter(
            phone=phone, country_code=country_code or DEFAULT_COUNTRY_CODE, is_phone_verified=True, is_active=True
        ).first()
    return None
