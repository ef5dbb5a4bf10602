"""DRF rate limits counted per client address as `common.clientip.client_ip` finds it."""

from rest_framework.throttling import ScopedRateThrottle

from common.clientip import client_ip


class ClientIpScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle (`throttle_scope` on the view), keyed by `client_ip`.

    DRF's own `get_ident` trusts the whole `X-Forwarded-For` header unless told how many
    proxies there are; this one follows the single rule every other limit follows.
    """

    def get_ident(self, request):
        return client_ip(request) or "unknown"
