"""Signing in with a password: the one rule the API, the "My Account" website and the Django
admin follow (and Django's `authenticate()`, through `accounts.backends`).

Check the locks, check the password, count the failure or clear the account's counters. Failed
sign-ins are counted in the shared cache per account, per client address (`common.clientip`),
and per account *and* address. The account is named by one key, however it was typed: an email
in any case or spacing, or a phone as 9876543210, "+91 98765-43210" or `phone` + `country_code`.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from common.exceptions import Throttled, Unauthorized
from common.phones import phone_parse

from . import services
from .models import DEFAULT_COUNTRY_CODE, User, normalize_email

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = "Too many failed sign-ins. Please wait a few minutes and try again, or reset your password."


def credentials_from_username(username: str) -> dict:
    """What a person typed in a sign-in form's one box, as `email` or `phone` + `country_code`."""
    username = (username or "").strip()
    if "@" in username:
        return {"email": username}
    try:
        phone = phone_parse(username)
    except ValueError:  # not a phone number: no account has it, and the failure still counts
        return {"phone": username.replace(" ", "").replace("-", ""), "country_code": DEFAULT_COUNTRY_CODE}
    return {"phone": phone.number, "country_code": phone.country_code}


def sign_in_identifier(
    *, email: str | None = None, phone: str | None = None, country_code: str | None = DEFAULT_COUNTRY_CODE
) -> str:
    """The account's key in the failure counters, the same from every door."""
    if email:
        return f"email:{normalize_email(email)}"
    if phone:
        return f"phone:{country_code or DEFAULT_COUNTRY_CODE}{phone}"
    return ""


def _throttle_keys(*, identifier: str, ip: str | None) -> list[tuple[str, int]]:
    """The counters a failed sign-in moves, with the failures each tolerates.

    The tight limit is per account *and* address: a stranger guessing from elsewhere cannot
    lock the shopper out. An address trying many accounts, and an account attacked from many
    addresses, are slowed by looser limits. Every lock expires after LOGIN_LOCKOUT_SECONDS.
    """
    digest = hashlib.sha256(identifier.encode()).hexdigest()
    limit = settings.LOGIN_FAILURE_LIMIT
    keys = [(f"signin-fail:id:{digest}", limit * 10)]
    if ip:
        keys += [(f"signin-fail:id-ip:{digest}:{ip}", limit), (f"signin-fail:ip:{ip}", limit * 4)]
    return keys


def sign_in_check(*, identifier: str, ip: str | None = None) -> None:
    """Refuse (429) while an account or an address has failed too often; the lock expires."""
    for key, limit in _throttle_keys(identifier=identifier, ip=ip):
        if (cache.get(key) or 0) >= limit:
            raise Throttled(LOCKED_MESSAGE, retry_after=settings.LOGIN_LOCKOUT_SECONDS)


def sign_in_failed(*, identifier: str, ip: str | None = None) -> None:
    for key, limit in _throttle_keys(identifier=identifier, ip=ip):
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
            cache.set(key, count, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        if count == limit:
            # Brute force shows in the logs: which counter, which account (hashed), from where.
            logger.warning(
                "sign-in locked: %s counter at %d failures, account %s, client %s",
                key.split(":")[1],
                count,
                hashlib.sha256(identifier.encode()).hexdigest()[:12],
                ip or "-",
            )


def sign_in_succeeded(*, identifier: str, ip: str | None = None) -> None:
    for key, _ in _throttle_keys(identifier=identifier, ip=ip):
        if not key.startswith("signin-fail:ip:"):
            cache.delete(key)


def sign_in(
    *,
    password: str,
    ip: str | None,
    email: str | None = None,
    phone: str | None = None,
    country_code: str | None = DEFAULT_COUNTRY_CODE,
) -> User:
    """The user these credentials open, unless the account or address `ip` is locked.

    429 `throttled` (`Throttled`) while locked, else 401 (`Unauthorized`) with one message
    whatever was wrong. `ip` is `common.clientip.client_ip(request)`.
    """
    country_code = country_code or DEFAULT_COUNTRY_CODE
    identifier = sign_in_identifier(email=email, phone=phone, country_code=country_code)
    sign_in_check(identifier=identifier, ip=ip)
    try:
        user = services.user_authenticate(password=password, email=email, phone=phone, country_code=country_code)
    except Unauthorized:
        sign_in_failed(identifier=identifier, ip=ip)
        raise
    sign_in_succeeded(identifier=identifier, ip=ip)
    return user
