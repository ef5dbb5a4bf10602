"""Helpers for the test suites of every app."""

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
