"""Sign-in for the Django admin and the website: email or phone, and a password."""

from django.contrib.auth.backends import ModelBackend

from common.exceptions import Unauthorized

from .models import DEFAULT_COUNTRY_CODE
from .services import user_authenticate


class EmailOrPhoneBackend(ModelBackend):
    """`username` may be an email address or a phone number (optionally with +country code)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = (username or kwargs.get("email") or "").strip()
        if not username or password is None:
            return None
        if "@" in username:
            credentials = {"email": username}
        else:
            digits = username.replace(" ", "").replace("-", "")
            country_code = DEFAULT_COUNTRY_CODE
            if digits.startswith("+") and len(digits) > 10:
                country_code, digits = digits[:-10], digits[-10:]
            credentials = {"phone": digits, "country_code": country_code}
        try:
            user = user_authenticate(password=password, **credentials)
        except Unauthorized:
            return None
        return user if self.user_can_authenticate(user) else None
