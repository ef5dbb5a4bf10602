"""Sign-in for the Django admin and the website: email or phone, and a password."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from common.clientip import client_ip
from common.exceptions import Throttled, Unauthorized

from . import signin
from .errors import AccountDeactivated


class EmailOrPhoneBackend(ModelBackend):
    """`username` may be an email address or a phone number (optionally with +country code).

    Goes through `accounts.signin`, so whoever calls Django's `authenticate()` meets the same
    lockout as the API, the website and the admin forms (those call `signin` themselves, to
    show the lock's own message).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = (username or kwargs.get("email") or "").strip()
        if not username or password is None:
            return None
        try:
            user = signin.sign_in(
                password=password,
                ip=client_ip(request) if request is not None else None,
                **signin.credentials_from_username(username),
            )
        except (Unauthorized, AccountDeactivated):
            return None
        except Throttled:
            raise PermissionDenied(_("Too many failed sign-ins.")) from None  # authenticate() stops, refusing
        return user if self.user_can_authenticate(user) else None
