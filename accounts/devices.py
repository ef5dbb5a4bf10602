"""The client behind a session, as a shopper recognises it in their list of sessions and in a
sign-in notice: "Chrome on Android", from an address, near a place.

The browser and system come from the User-Agent header (`ua-parser`, the Browserscope rules);
the place from the address, through a GeoIP2 City database when `GEOIP_DATABASE` names one
(`common.geo`). A header is the client's own say: it names, it never proves.
"""

import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

import ua_parser
from django.core import signing

from common.clientip import client_ip

USER_AGENT_MAX = 400  # AuthSession.user_agent


# A browser's own id, kept in a long-lived signed cookie the website sets at sign-in: how a sign-in
# from a browser seen before on the account is told from a new one (no notice for a repeat).
DEVICE_COOKIE = "device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_DEVICE_SALT = "accounts.devices.browser"


@dataclass(frozen=True)
class Client:
    """Who opened a session: the User-Agent header (cut to fit), the client's address, and which
    browser or device it is (`device_key`, "" when unknown)."""

    user_agent: str = ""
    ip: str | None = None
    device_key: str = ""


def browser_id(request) -> str | None:
    """The id in the request's device cookie, if it is one we signed."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 200:
        return None
    try:
        return signing.Signer(salt=_DEVICE_SALT).unsign(raw)
    except signing.BadSignature:
        return None


def browser_cookie_value(browser: str) -> str:
    return signing.Signer(salt=_DEVICE_SALT).sign(browser)


def new_browser_id() -> str:
    return secrets.token_urlsafe(18)


def client_of(request, *, browser: str | None = None) -> Client:
    """The client of a Django or DRF request (its address by `common.clientip`). A website
    browser is known by its cookie (`browser`, or the request's); an app by its User-Agent."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    agent = "".join(ch for ch in agent if ch.isprintable())[:USER_AGENT_MAX]
    browser = browser or browser_id(request)
    if browser:
        key = f"web:{browser}"
    elif agent:
        key = "ua:" + hashlib.sha256(agent.encode()).hexdigest()[:40]
    else:
        key = ""
    return Client(user_agent=agent, ip=client_ip(request), device_key=key)


@dataclass(frozen=True)
class Device:
    browser: str  # "Chrome", "Mobile Safari", "curl"; "" when the header names none we know
    system: str  # "Android", "iOS", "Windows"; ""
    hardware: str  # "iPhone", "Samsung SM-S911B"; "" for a computer or an unknown one

    @property
    def label(self) -> str:
        """ "Chrome on Android", "Safari", "An unknown device"."""
        if self.browser and self.system:
            return f"{self.browser} on {self.system}"
        return self.browser or self.system or "An unknown device"


@lru_cache(maxsize=2048)
def device_of(user_agent: str) -> Device:
    """What a User-Agent header says the device is (the same header comes back often)."""
    if not user_agent:
        return Device("", "", "")
    parsed = ua_parser.parse(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent and parsed.user_agent.family != "Other" else ""
    system = parsed.os.family if parsed.os and parsed.os.family != "Other" else ""
    hardware = ""
    if parsed.device and parsed.device.family not in ("Other", "Spider"):
        hardware = parsed.device.family
    return Device(browser, system, hardware)
