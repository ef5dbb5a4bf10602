"""One rule for the client's address (issue 16, item 4): `common.clientip.client_ip`.

`X-Forwarded-For` is whatever the client wrote unless our own proxies vouch for it, so it is
ignored by default, and with `NUM_PROXIES` = N only the N-th entry from the right is believed.
Every per-address limit (DRF throttles, the sign-in lockout) and idempotency use this rule.
"""

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from common.testing import API, PASSWORD, assert_error

pytestmark = pytest.mark.django_db

RATE = 10


@pytest.fixture
def auth_rate(monkeypatch):
    # DRF reads THROTTLE_RATES once at import; a known limit for these tests only.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": f"{RATE}/min", "anonymous": "120/min"})
    return RATE


def register(n, forwarded_for):
    body = {"email": f"newcomer{n}@example.com", "password": PASSWORD, "confirm_password": PASSWORD}
    return APIClient().post(f"{API}/auth/register/password", body, format="json", HTTP_X_FORWARDED_FOR=forwarded_for)


def meta_request(remote="10.0.0.1", forwarded_for=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_a_forged_forwarded_for_does_not_escape_the_registration_limit(auth_rate):
    answers = [register(n, f"198.51.100.{n}") for n in range(40)]
    statuses = [answer.status_code for answer in answers]
    assert 429 not in statuses[:auth_rate]
    assert statuses[auth_rate:] == [429] * (40 - auth_rate)
    assert_error(answers[auth_rate], 429, "throttled")
    assert int(answers[auth_rate]["Retry-After"]) > 0


def test_with_one_trusted_proxy_the_right_most_forwarded_address_is_the_client(auth_rate, settings):
    settings.NUM_PROXIES = 1
    # Whatever the client writes left of what our proxy appended changes nothing.
    statuses = [register(n, f"198.51.100.{n}, 203.0.113.7").status_code for n in range(auth_rate + 1)]
    assert 429 not in statuses[:auth_rate] and statuses[auth_rate] == 429
    # Another client behind the same proxy has its own allowance.
    assert register(99, "203.0.113.7, 203.0.113.8").status_code != 429


def test_the_sign_in_lockout_counts_per_client_ip(shopper, settings):
    settings.NUM_PROXIES = 1
    settings.LOGIN_FAILURE_LIMIT = 2

    def login(password, forwarded_for):
        return APIClient().post(
            f"{API}/auth/login/password",
            {"email": shopper.email, "password": password},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    assert_error(login("wrong-pass-1", "198.51.100.1, 203.0.113.7"), 401, "unauthorized")
    assert_error(login("wrong-pass-1", "198.51.100.2, 203.0.113.7"), 401, "unauthorized")
    assert_error(login(PASSWORD, "198.51.100.3, 203.0.113.7"), 429, "throttled")
    # All three came through one load balancer (one REMOTE_ADDR); another client is not locked.
    assert login(PASSWORD, "203.0.113.7, 203.0.113.8").status_code == 200


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, None, "10.0.0.1"),
        (0, "203.0.113.7", "10.0.0.1"),  # default: the header is ignored entirely
        (0, "203.0.113.7, 198.51.100.1", "10.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the right-most entry: our proxy wrote it
        (1, " 6.6.6.6 ,  203.0.113.7 ", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "6.6.6.6, 2001:DB8::0:1", "2001:db8::1"),  # IPv6, written one way
        (1, None, "10.0.0.1"),  # no header: the connection's address
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),  # garbage falls back to REMOTE_ADDR
        (1, "203.0.113.7, unknown", "10.0.0.1"),
        (1, "203.0.113.7, 1.2.3.4.5", "10.0.0.1"),
        (1, "203.0.113.7, 203.0.113.8:443", "10.0.0.1"),
        (1, "203.0.113.7,", "10.0.0.1"),
        (2, "203.0.113.7", "10.0.0.1"),  # shorter than the chain of proxies
        (3, "6.6.6.6, <script>, 203.0.113.7, 10.0.0.9", "10.0.0.1"),
    ],
)
def test_client_ip(settings, proxies, forwarded_for, expected):
    from common.clientip import client_ip

    settings.NUM_PROXIES = proxies
    assert client_ip(meta_request(forwarded_for=forwarded_for)) == expected


def test_client_ip_reads_drf_requests_too(settings):
    from common.clientip import client_ip

    settings.NUM_PROXIES = 1
    assert client_ip(Request(meta_request(forwarded_for="6.6.6.6, 203.0.113.7"))) == "203.0.113.7"


def _throttled_api_views():
    found = []

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", None)
                if view is not None and getattr(view, "throttle_classes", None):
                    found.append(view)

    walk(get_resolver().url_patterns)
    return found


def test_every_rate_limit_of_the_api_identifies_the_client_by_client_ip(settings):
    from common.clientip import client_ip

    settings.NUM_PROXIES = 1
    views = _throttled_api_views()
    assert len(views) >= 5
    request = Request(meta_request(forwarded_for="6.6.6.6, 203.0.113.7"))
    for view in views:
        for throttle_class in view.throttle_classes:
            assert throttle_class().get_ident(request) == client_ip(request) == "203.0.113.7", view


def test_idempotency_keys_of_callers_without_an_account_are_per_client_ip(settings):
    from common.idempotency import idempotent

    settings.NUM_PROXIES = 1
    calls = []

    @idempotent
    def view(self, request):
        calls.append(request)
        return Response({"call": len(calls)})

    def call(forwarded_for):
        request = RequestFactory().post(
            "/x",
            data=b"{}",
            content_type="application/json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_IDEMPOTENCY_KEY="same-key",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        drf_request = Request(request)
        drf_request.user = None
        return view(None, drf_request)

    first = call("203.0.113.7")
    other_client = call("203.0.113.8")  # same proxy, same key: a different caller
    replay = call("6.6.6.6, 203.0.113.7")
    assert first.data == {"call": 1} and other_client.data == {"call": 2}
    assert replay.data == {"call": 1} and replay["Idempotent-Replayed"] == "true"
    assert len(calls) == 2
