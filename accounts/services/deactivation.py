"""Closing an account without erasing it, and opening it again.

Two ways to close one, kept apart by `User.deactivated_at`:

- the shopper deactivates their own account (`account_deactivate`): reversible by the shopper,
  by signing in with a code sent to a verified address of the account (`accounts.signin`), or
  by staff in the admin;
- staff disable an account (`user_deactivate`, the admin's "Deactivate" action): only staff
  open it again.

Either way `is_active` is False, so every existing check of Django's flag keeps the account out
(password and code sign-in, API tokens, website sessions, the admin, marketing messages), and
every session ends at once. Nothing is erased: orders, addresses, points stay as they were.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError

from ..language import in_language_of
from ..models import OtpChannel, User
from ..notices import notice_send
from ..tokens import sessions_end_for_user
from .contact import phone_target

NO_VERIFIED_ADDRESS = _("Verify your email or phone first: a code sent to it is how you would reactivate the account.")
DEACTIVATED_SUBJECT = _("Your account is deactivated")
DEACTIVATED_BODY = _(
    "Your account was deactivated and you were signed out everywhere. Your orders and details are "
    "kept. To use it again, sign in with a code sent to this address. If you did not do this, sign "
    "in with a code now and change your password."
)
REACTIVATED_SUBJECT = _("Your account is active again")
REACTIVATED_BODY = _(
    "Your account was reactivated: you can sign in and use it as before. If you did not do this, "
    "change your password and contact us."
)


def _verified_addresses(user: User) -> list[tuple[str, str]]:
    """(channel, address) of each verified address of the account: where notices go."""
    addresses = []
    if user.email and user.is_email_verified:
        addresses.append((OtpChannel.EMAIL, user.email))
    if user.phone and user.is_phone_verified:
        addresses.append((OtpChannel.SMS, phone_target(country_code=user.country_code, phone=user.phone)))
    return addresses


def _notify(user: User, subject, body) -> None:
    """Each verified address is told, in the shopper's language."""
    with in_language_of(user):
        subject, body = str(subject), str(body)
    for channel, to in _verified_addresses(user):
        notice_send(channel=channel, to=to, subject=subject, body=body)


def account_deactivate(*, user: User) -> User:
    """The shopper closes their own account: it can no longer sign in, every session ends
    (API tokens and website sessions), and each verified address is told. Reversible: see the
    module. Deactivating an account that is already is a no-op (nothing sent twice).

    409 `conflict` for an account with no verified address: it could never come back by a code.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            return user  # a second request that waited for the first one's lock
        if not _verified_addresses(user):
            raise DomainError(NO_VERIFIED_ADDRESS, code=ErrorCode.CONFLICT)
        user.is_active = False
        user.deactivated_at = timezone.now()
        # The save drops the cached session rows (accounts.signals); Django's session middleware
        # refuses an inactive user, so every browser is signed out at its next request.
        user.save(update_fields=["is_active", "deactivated_at", "modified_at"])
        sessions_end_for_user(user=user, reason="deactivated")
        _notify(user, DEACTIVATED_SUBJECT, DEACTIVATED_BODY)
    return user


def account_reactivate(*, user: User) -> User:
    """Open a closed account again: by the shopper's code sign-in (an account they deactivated)
    or by staff (either kind). Sessions from before stay ended, browsers' included (the session
    hash covers `reactivated_at`). An erased account is refused (409): nothing of it is left to
    use. Reactivating an active account is a no-op."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return user
        if user.is_erased:
            raise DomainError(_("An erased account cannot be reactivated."), code=ErrorCode.CONFLICT)
        user.is_active = True
        user.deactivated_at = None
        user.reactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at", "reactivated_at", "modified_at"])
        _notify(user, REACTIVATED_SUBJECT, REACTIVATED_BODY)
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Staff disable an account: it can no longer sign in, every session ends now, and only
    staff can open it again (even one the shopper had deactivated themselves)."""
    User.objects.filter(pk=user.pk).update(is_active=False, deactivated_at=None, modified_at=timezone.now())
    sessions_end_for_user(user=user, reason="disabled")
    user.is_active = False
    user.deactivated_at = None
    return user
