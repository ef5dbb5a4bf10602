"""Helpers for the test suites of every app."""

import functools
import os
import shutil
import threading
from pathlib import Path

import pytest
from django.db import connection

API = "/api/v1/storefront"
PASSWORD = "correct-horse-42"


def assert_error(response, status: int, code: str) -> dict:
    """The contract's error shape with this status and code."""
    body = response.json()
    assert response.status_code == status, body
    assert body["success"] is False
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def run_together(*calls):
    """Run each call in its own thread and database connection, released at the same moment."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def admin_action(client, url: str, action: str, objs, **form):
    """Run a Django admin action on `objs` from the change list at `url`, as staff would. With
    `form` fields, the action's own form page is submitted too (`apply`)."""
    data = {"action": action, "_selected_action": [o.pk for o in objs], **form}
    if form:
        data["apply"] = "1"
    return client.post(url, data, follow=True)


def statements(*, postgresql: int, other: int) -> int:
    """A query-count pin for a read that PostgreSQL answers with fewer statements (the order
    history's JSON page: common.jsonshape)."""
    return postgresql if connection.vendor == "postgresql" else other


# --- Tests that need a service the machine may not have -----------------------------------------
# One policy: a test that needs Redis, chromium, Node, moto or PostgreSQL says so, with
# `@pytest.mark.requires_service("redis")` (the root conftest applies it) or, inside a fixture,
# `require_service("redis")`. Where the service is missing the test is skipped, with the reason,
# so a laptop runs the rest; with REQUIRE_SERVICES=1 (`.ci/run` sets it) it fails instead, so CI
# can never go green on tests it did not run.

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = "REQUIRE_SERVICES"


def _redis() -> str | None:
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        return f"no Redis answers at {url} ({exc})"
    return None


def _chromium() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return None if Path(path).exists() else f"no chromium at {path} (CHROMIUM_PATH; Debian's package `chromium`)"


def _node() -> str | None:
    if not shutil.which("node"):
        return "no `node` on PATH (Node 20 with npm)"
    if not (ROOT / "tests/sdk/node_modules/@commercengine/storefront-sdk").is_dir():
        return "the storefront SDK is not installed (`make sdk` runs `npm ci` in tests/sdk)"
    return None


def _moto() -> str | None:
    path = ROOT / ".venv/bin/moto_server"
    return None if path.exists() else f"no moto server at {path} (requirements-dev.txt)"


def _postgresql() -> str | None:
    if connection.vendor == "postgresql":
        return None
    return f"runs on PostgreSQL only; this run is on {connection.vendor} (`make test-pg`)"


def _postgresql_server() -> str | None:
    import psycopg

    url = os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432") + "/postgres"
    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at {url} ({str(exc).strip()})"
    return None


# Each answers None when the service is there, else why not. Probed once per run (but the
# database's vendor, which is asked each time: it is not a machine's service).
SERVICES = {
    "redis": functools.cache(_redis),
    "chromium": functools.cache(_chromium),
    "node": functools.cache(_node),
    "moto": functools.cache(_moto),
    "postgresql": _postgresql,
    "postgresql-server": functools.cache(_postgresql_server),
}


def require_service(*names: str) -> None:
    """Skip the running test, with the reason, unless every service named is there; with
    REQUIRE_SERVICES=1 fail it instead."""
    for name in names:
        missing = SERVICES[name]()
        if missing is None:
            continue
        reason = f"needs {name}: {missing}"
        if os.environ.get(REQUIRE_SERVICES) == "1":
            pytest.fail(f"{reason} ({REQUIRE_SERVICES}=1: a missing service fails the run)", pytrace=False)
        # Reported at the test, not here (as pytest's own skipif marks are), so `-ra` lists them.
        raise pytest.skip.Exception(reason, _use_item_location=True)


def form_fields(html: str, form_index: int = -1) -> dict:
    """The values a browser would submit for a page's form (`form_index` among its <form>s):
    inputs (checked boxes only), textareas and selected options, as a Django test client
    `data` dict. For admin change pages, whose inline formsets need their management forms."""
    from html.parser import HTMLParser

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.forms: list[list[tuple[str, str]]] = []
            self.inside = False
            self.textarea = self.select = None
            self.text = ""

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.forms.append([])
                self.inside = True
            elif not self.inside or not self.forms:
                return
            elif tag == "input" and a.get("name"):
                kind = (a.get("type") or "text").lower()
                if kind in ("submit", "button", "image", "file", "reset"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in a:
                    return
                self.forms[-1].append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
            elif tag == "textarea" and a.get("name"):
                self.textarea, self.text = a["name"], ""
            elif tag == "select" and a.get("name"):
                self.select = a["name"]
            elif tag == "option" and self.select and "selected" in a:
                self.forms[-1].append((self.select, a.get("value", "")))

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea" and self.textarea:
                self.forms[-1].append((self.textarea, self.text.lstrip("\n")))
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data):
            if self.textarea:
                self.text += data

    parser = Forms()
    parser.feed(html)
    data: dict = {}
    for name, value in parser.forms[form_index]:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
