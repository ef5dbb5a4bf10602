"""The API's most common `message`s, marked for translation (gettext_noop: they stay English
here; `common.exceptions.error_body` and the renderer translate them on the way out, in the
client's Accept-Language). A message not in the catalogue goes out in English; its `code` is the
contract's in every language."""

from django.utils.translation import gettext_noop

API_MESSAGES = [
    gettext_noop("OK"),
    gettext_noop("Signed in."),
    gettext_noop("Profile updated."),
    gettext_noop("Address added."),
    gettext_noop("Some fields are not valid."),
    gettext_noop("The request could not be understood."),
    gettext_noop("Authentication is required."),
    gettext_noop("You may not access this resource."),
    gettext_noop("Not found."),
    gettext_noop("Too many requests. Try again later."),
    gettext_noop("The request conflicts with the current state."),
    gettext_noop("The email/phone or password is not correct."),
    gettext_noop("This field is required."),
    gettext_noop("The access token is invalid or expired."),
    gettext_noop("This session has ended. Please sign in again."),
    gettext_noop("For your security, confirm it's you (your password, a code or a passkey), then try again."),
    gettext_noop("Give the first 3 to 12 characters of the code."),
]
