"""The bench's fixture: the website's session it writes signs the shopper in, in whatever session
store is configured, and the pages and API reads it lists answer 200 with it (as wrk sends them)."""

import contextlib
import io
import json

import pytest
from django.test import Client, override_settings

from bench.bench import FIXTURE_SCRIPT, endpoints, goal_rows, headers_for
from orders.tests.factories import delivered

pytestmark = pytest.mark.django_db

ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


def _fixture() -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(FIXTURE_SCRIPT, {})
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.parametrize("engine", ENGINES)
def test_the_fixture_signs_the_website_in_and_every_listed_request_answers(make_user, engine):
    shopper = make_user(email="bench-0@example.com", is_email_verified=True)
    for _ in range(8):
        order = delivered(shopper)
    with override_settings(SESSION_ENGINE=engine):
        f = _fixture()
        assert f["return"] and f["return"][0] == order.number  # a return asked for on the newest delivered order
        headers = headers_for(f)
        for name, kind, url in endpoints(f):
            client = Client(HTTP_HOST="127.0.0.1")
            value = headers[kind].split(": ", 1)[1]
            if kind == "web":
                client.cookies[f["cookie"]] = f["session"]
                response = client.get(url)
            else:
                response = client.get(url, HTTP_AUTHORIZATION=value)
            assert response.status_code == 200, (name, url, response.status_code)
    assert {"page: overview", "page: return", "page: business & documents", "GET /orders/{n}"} <= {
        name for name, _, _ in endpoints(f)
    }


def test_the_goals_say_met_or_by_how_far():
    def row(name, kind, ratio, p99):
        return {"name": name, "kind": kind, "ratio": ratio, "p99": p99}

    run = {
        "results": [
            row("GET /orders p1", "api", 4.5, 30.0),
            row("GET /orders p249", "api", 5.5, 45.0),
            row("GET /orders/{n}", "api", 4.2, 20.0),
            row("page: overview", "web", 9.0, 50.0),
        ],
        "memory": {0: 120.0, 20000: 151.5},
    }
    lines = goal_rows(run)
    assert "| /healthz ÷ GET /orders p1 ≤ 5× | 4.50 | met |" in lines
    assert "| /healthz ÷ GET /orders/{n} ≤ 4× | 4.20 | **not met** (+0.20) |" in lines
    assert "| p99 ≤ 40 ms, GET /orders deep page | 45.00 | **not met** (+5.00) |" in lines
    assert "| /healthz ÷ page: overview ≤ 8× | 9.00 | **not met** (+1.00) |" in lines
    assert "| worker RSS ≤ 150 MB after 20,000 requests | 151.5 | **not met** (+1.50) |" in lines
