"""Who the client is, as one network address: the rule every per-address limit, lockout,
idempotency scope and log line uses.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as our
own proxies vouch for it. With `NUM_PROXIES` = 0 (the default) the header is ignored and the
address is the one the connection came from (`REMOTE_ADDR`). With N trusted proxies in front of
the app, each appends the address it received the request from, so the N-th entry from the
right was written by our outermost proxy: that is the client. Anything left of it is the
client's own say and is never used. An entry that is not an IP address, or a header shorter
than the chain of proxies, means the request did not come through them as expected; then the
connection's address is used.
"""

import ipaddress

from django.conf import settings


def _ip(value: str | None) -> str | None:
    """`value` as a canonical IP address, or None if it is not one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for `request` (a Django or DRF request); None if unknown."""
    meta = request.META
    remote = _ip(meta.get("REMOTE_ADDR")) or meta.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "NUM_PROXIES", 0) or 0
    if proxies <= 0:
        return remote
    hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < proxies:
        return remote
    return _ip(hops[-proxies]) or remote
