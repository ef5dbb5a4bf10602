"""A sign-in from a browser or device the account has not been used from before tells the
shopper (ASVS 5.0 6.3.5): by email, and by SMS (or WhatsApp, where that is the shopper's way) to
a verified number, naming the device, the place and the time, with a link that signs out every
session and starts a password reset (`not_me_*`). A repeat sign-in from the same browser (its
device cookie) or the same app (its User-Agent) sends nothing; nor does an account's first ever
sign-in, which has nothing to compare with (a registration).

It depends on no service (the sign-in code in `accounts.tokens` and `accounts.websessions`
calls it), so the link's redemption, which does, is in `accounts.services.sessions`.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from common.geo import place_of
from common.shoptime import date_time

from .devices import device_of
from .language import in_language_of
from .models import AuthSession
from .notices import notice_send

NOT_ME_SALT = "accounts.signin_notices.not-me"
NOT_ME_MAX_AGE = 14 * 24 * 3600  # a notice read a week late still works
SUBJECT = gettext_noop("New sign-in to your account")


def not_me_token(session: AuthSession) -> str:
    return signing.dumps({"u": session.user_id, "s": session.pk}, salt=NOT_ME_SALT, compress=True)


def not_me_url(session: AuthSession) -> str:
    return settings.SITE_URL + reverse("portal:not-me", args=[not_me_token(session)])


def is_new_device(session: AuthSession) -> bool:
    """The account has signed in before, never from this browser or device."""
    if session.user_id is None or not session.device_key:
        return False
    earlier = AuthSession.objects.filter(user_id=session.user_id).exclude(pk=session.pk)
    if not earlier.exists():
        return False
    return not earlier.filter(device_key=session.device_key).exists()


def notice_text(session: AuthSession) -> str:
    """What the notice says, in the language of the moment (`new_device_notice` sets the shopper's)."""
    device = device_of(session.user_agent)
    place = place_of(session.ip)
    values = {"device": device.label, "place": place, "ip": session.ip, "when": date_time(session.created_at)}
    if place:
        opening = gettext("Someone signed in to your account on %(device)s, near %(place)s (%(ip)s), on %(when)s.")
    elif session.ip:
        opening = gettext("Someone signed in to your account on %(device)s, from %(ip)s, on %(when)s.")
    else:
        opening = gettext("Someone signed in to your account on %(device)s, from an unknown place, on %(when)s.")
    advice = gettext(
        "If it was you, there is nothing to do. If not, sign out everywhere and choose a new password: %(link)s"
    )
    return f"{opening % values} {advice % {'link': not_me_url(session)}}"


def new_device_notice(*, session: AuthSession) -> bool:
    """Tell the shopper about this new session if it is from a new device; whether it did."""
    if not is_new_device(session):
        return False
    user = session.user
    with in_language_of(user):
        subject, body = gettext(SUBJECT), notice_text(session)
    if user.email and user.is_email_verified:
        notice_send(channel="email", to=user.email, subject=subject, body=body)
    if user.phone and user.is_phone_verified:
        prefs = (user.notification_preferences or {}).get("transactional", {})
        channel = "whatsapp" if prefs.get("whatsapp") and not prefs.get("sms") else "sms"
        notice_send(channel=channel, to=f"{user.country_code}{user.phone}", subject=subject, body=body)
    return True


def not_me_session(token: str) -> tuple[str, str] | None:
    """(user id, session id) of a valid link, None for a forged or expired one."""
    if not token or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=NOT_ME_SALT, max_age=NOT_ME_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("s"), str):
        return None
    return data["u"], data["s"]
