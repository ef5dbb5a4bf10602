"""One-click unsubscribe (RFC 8058) for promotional and newsletter emails.

Each such email carries a signed link naming the shopper, the kind and the channel. A POST to
it turns exactly that preference off, without signing in: mail providers send that POST when
the shopper presses "Unsubscribe" next to the sender. The signature (salted, so no other signed
value of the site fits here) is what proves the link came from us; it does not expire, as an
old email's unsubscribe must keep working.
"""

from django.core import signing
from django.urls import reverse

from accounts.models import NOTIFICATION_CHANNELS, User

from .models import Kind

SALT = "notifications.unsubscribe"
# Transactional messages and security notices are not something a shopper unsubscribes from.
UNSUBSCRIBABLE_KINDS = (Kind.PROMOTIONAL, Kind.NEWSLETTER)


class BadToken(Exception):
    """The link was altered, is not ours, or names something that cannot be turned off."""


def unsubscribe_token(*, user_id: str, kind: str, channel: str) -> str:
    return signing.dumps({"u": user_id, "k": kind, "c": channel}, salt=SALT, compress=True)


def unsubscribe_url(*, site_url: str, user_id: str, kind: str, channel: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind, channel=channel)
    return f"{site_url}{reverse('portal:unsubscribe', args=[token])}"


def unsubscribe_headers(*, url: str) -> dict[str, str]:
    """The two headers RFC 8058 asks for: the link, and that a POST to it is enough."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_read(token: str) -> tuple[User, str, str]:
    """The shopper, kind and channel a link names; BadToken for anything else."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise BadToken("This unsubscribe link is not valid.") from exc
    kind, channel = data.get("k"), data.get("c")
    if kind not in UNSUBSCRIBABLE_KINDS or channel not in NOTIFICATION_CHANNELS:
        raise BadToken("This unsubscribe link is not valid.")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise BadToken("This unsubscribe link is no longer valid.")
    return user, kind, channel


def unsubscribe_apply(token: str) -> tuple[User, str, str]:
    """Turn off the one preference the link names (through the profile's own service)."""
    # Imported here: accounts.services sends its notices through this app.
    from accounts.services import notification_preferences_update

    user, kind, channel = unsubscribe_read(token)
    notification_preferences_update(user=user, changes={kind: {channel: False}})
    return user, kind, channel
