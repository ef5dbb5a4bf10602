"""DRF rate limits counted per client address as `common.clientip.client_ip` finds it, for the API's
views and (`rate_limited`) the website's."""

from functools import wraps

from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle

from common.clientip import client_ip


class ClientIpScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle (`throttle_scope` on the view), keyed by `client_ip`.

    DRF's own `get_ident` trusts the whole `X-Forwarded-For` header unless told how many
    proxies there are; this one follows the single rule every other limit follows.
    """

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class _Scope:
    def __init__(self, scope: str):
        self.throttle_scope = scope


def rate_limited(scope: str):
    """The website's side of the API's per-address limits: a view's POSTs count against the same
    scope and budget (`DEFAULT_THROTTLE_RATES`, the same cache keys) as the API's endpoints of
    that scope, so signing up, asking for codes or resetting a password through the pages is
    limited exactly as through the API. Over the limit: a 429 page with Retry-After."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                throttle = ClientIpScopedRateThrottle()
                if not throttle.allow_request(request, _Scope(scope)):
                    wait = max(1, int(throttle.wait() or 1))
                    response = render(request, "account/rate_limited.html", {"wait": wait}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
