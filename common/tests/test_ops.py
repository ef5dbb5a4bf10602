"""Health, readiness, request ids and log lines."""

import json
import logging

import pytest

from common.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "cache": "ok"}}


def test_readyz_says_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["cache"].startswith("error")


def test_every_answer_carries_a_request_id(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-123")["X-Request-ID"] == "lb-123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("orders", logging.INFO, __file__, 1, "cancelled %s", ("ORD-1",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "cancelled ORD-1" and line["request_id"] == "-" and line["level"] == "INFO"


def test_oversized_requests_are_refused_before_they_are_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post("/api/v1/storefront/auth/login/password", "x" * 2048, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    page = client.post("/account/sign-in/", {"username": "x" * 2048})
    assert page.status_code == 413 and "<h1>That was too large to send</h1>" in page.content.decode()


def test_website_pages_carry_a_content_security_policy(client):
    policy = client.get("/account/sign-in/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy" not in client.get("/api/v1/docs/")
