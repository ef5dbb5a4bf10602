"""The failed sign-in counters: per account, per client address (`common.clientip`), and per
account *and* address, in the shared cache. Every door that checks a secret of the account (a
password at sign-in, a code, the password that confirms a serious step while signed in) counts
its failures here, so guessing through one door is slowed at all of them.

It depends on nothing else of accounts, so services and `accounts.signin` both build on it.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from common.exceptions import Throttled

from .models import DEFAULT_COUNTRY_CODE, normalize_email

logger = logging.getLogger("accounts.signin")

LOCKED_MESSAGE = "Too many failed sign-ins. Please wait a few minutes and try again, or reset your password."


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


def account_identifier(user) -> str:
    """The key a signed-in user's failures count under: the one their sign-in with the same
    secret counts under (the email when the account has one, else the phone)."""
    return sign_in_identifier(email=user.email or None, phone=user.phone or None, country_code=user.country_code)
