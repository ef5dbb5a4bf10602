"""Which language a shopper reads (issue 30): the one rule for pages, messages and the API.

The website: the language the shopper saved (the switch on every page), else the one their
browser asks for (`Accept-Language`), else the shop's (`LANGUAGE_CODE`). Before sign-in the
switch keeps the choice in Django's language cookie; signed in, it is saved on the account, so it
follows the shopper to every device, and to the messages sent to them.

Messages (emails, SMS, WhatsApp) are written in the shopper's language, not the language of the
request that caused them (a staff member's, a worker's): `language_of(user)`.

The API: `Accept-Language` (Django's LocaleMiddleware), for `message`; `code` never changes.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from common.exceptions import InvalidInput

from .models import User


def supported(language: str | None) -> str | None:
    """`language` if the site speaks it ("hi", "hi-IN" -> "hi"), else None."""
    if not language:
        return None
    code = str(language).strip().lower().replace("_", "-")
    codes = dict(settings.LANGUAGES)
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else None


def language_of(user) -> str:
    """The language messages to `user` are written in: their choice, else the shop's."""
    return supported(getattr(user, "language", None)) or settings.LANGUAGE_CODE


def in_language_of(user):
    """`with in_language_of(user):` what is written inside (a notice, a message) is in the
    shopper's language, whoever's request or worker writes it."""
    return translation.override(language_of(user))


def language_save(*, user: User, language: str) -> User:
    """Save the shopper's choice (400 for a language the site does not speak)."""
    code = supported(language)
    if code is None:
        names = ", ".join(settings.LANGUAGES_NAMES)
        raise InvalidInput.for_field("language", gettext("Choose one of: %(names)s.") % {"names": names})
    if user.language != code:
        User.objects.filter(pk=user.pk).update(language=code)
        user.language = code
        from .tokens import user_changed

        user_changed(user=user)
    return user


class UserLanguageMiddleware:
    """After Django's LocaleMiddleware and the authentication middleware: a signed-in shopper's
    saved language wins over the cookie and Accept-Language on the website."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            saved = supported(getattr(user, "language", None)) if user is not None and user.is_authenticated else None
            if saved and saved != translation.get_language():
                translation.activate(saved)
                request.LANGUAGE_CODE = saved
        return self.get_response(request)
