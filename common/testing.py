"""Helpers for the test suites of every app."""

import threading

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
