"""Passwords known to attackers are refused (ASVS 5.0 6.2.12): registration, change and reset ask
Have I Been Pwned's Pwned Passwords range API whether a password has appeared in a breach.

k-anonymity: only the first five hex digits of the password's SHA-1 leave the server
(`GET {PWNED_PASSWORDS_API_URL}/range/{prefix}`); the answer lists every known suffix with that
prefix (`SUFFIX:COUNT` lines; with `Add-Padding: true` it is padded with fake suffixes of count 0,
so its size tells an eavesdropper nothing). If the service does not answer within
`PWNED_PASSWORDS_TIMEOUT` seconds, the password is accepted and a warning logged: an outage of a
third party must not stop a shopper from registering. Django's common-password list still
applies, offline.

It is a Django password validator (AUTH_PASSWORD_VALIDATORS), so every door that validates a
password gets it: the services' `password_check`, and Django's own forms.
"""

import hashlib
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

BREACHED_MESSAGE = (
    "This password has appeared in a data breach, so attackers try it first. Choose another one: "
    "a few unrelated words make a strong password."
)
_MAX_ANSWER = 2_000_000  # a real range answer is about 40 KB padded


def breach_count(password: str) -> int | None:
    """How many times the password appears in known breaches; None when we could not ask."""
    base = (settings.PWNED_PASSWORDS_API_URL or "").rstrip("/")
    if not base:
        return None
    digest = hashlib.sha1(password.encode("utf-8", "surrogatepass")).hexdigest().upper()
    prefix, suffix = digest[:5], digest[5:]
    request = urllib.request.Request(
        f"{base}/range/{prefix}", headers={"Add-Padding": "true", "User-Agent": "customer-account-service"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PWNED_PASSWORDS_TIMEOUT) as answer:
            body = answer.read(_MAX_ANSWER).decode("ascii", "replace")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("Pwned Passwords did not answer (%s): the password was accepted unchecked", exc)
        return None
    for line in body.splitlines():
        found, _, count = line.strip().partition(":")
        if found.upper() == suffix:
            try:
                return int(count)
            except ValueError:
                return 0
    return 0


class BreachedPasswordValidator:
    """Refuse a password found in a breach (a padding line, count 0, is not a finding)."""

    def validate(self, password, user=None):
        if (breach_count(password) or 0) > 0:
            raise ValidationError(BREACHED_MESSAGE, code="password_breached")

    def get_help_text(self):
        return "Your password cannot be one that has appeared in a known data breach."


# --- the shop's own words (ASVS 5.0 6.1.2, 6.2.11) -------------------------------------------
# The documented list of context-specific words (SECURITY.md): the shop's name, split into words
# (`SHOP_NAME`), the product's and the site's own words, and any the operator adds
# (`PASSWORD_CONTEXT_WORDS`). A password that is little more than them ("ExampleShop2024") is
# refused: once they are taken out, fewer than 8 characters are left.
CONTEXT_WORDS_BUILT_IN = ("account", "myaccount", "customer", "password", "shop", "store", "storefront", "login")
CONTEXT_REMAINDER_MIN = 8


def context_words() -> list[str]:
    import re

    from_name = [w for w in re.findall(r"[a-z0-9]+", (settings.SHOP_NAME or "").lower()) if len(w) >= 4]
    extra = [w.strip().lower() for w in settings.PASSWORD_CONTEXT_WORDS if w.strip()]
    words = {*CONTEXT_WORDS_BUILT_IN, *from_name, *extra} - {"private", "limited"}
    return sorted(words, key=len, reverse=True)  # the longest first: "myaccount" before "account"


class ContextWordsValidator:
    message = "This password is mostly the shop's own words, which attackers try first. Add words of your own."

    def validate(self, password, user=None):
        rest = password.lower()
        found = False
        for word in context_words():
            if word in rest:
                found = True
                rest = rest.replace(word, "")
        if found and len(rest) < CONTEXT_REMAINDER_MIN:
            raise ValidationError(self.message, code="password_context_words")

    def get_help_text(self):
        return "Your password cannot be mostly the shop's name or this site's words."
