"""The envelope and error shape on every status, made by the one renderer and handler."""

import json

import pytest
from django.test import RequestFactory
from rest_framework import exceptions as drf

from common.exceptions import DomainError, api_exception_handler
from common.renderers import EnvelopeJSONRenderer

API = "/api/v1/storefront"
pytestmark = pytest.mark.django_db


def error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False and body["code"] == code and body["message"]
    assert "content" not in body
    return body


def test_success_envelope(client):
    response = client.post(f"{API}/auth/anonymous")
    body = response.json()
    assert set(body) == {"message", "success", "content"}
    assert body["success"] is True and isinstance(body["content"], dict)


def test_malformed_json_is_400_bad_request(client):
    response = client.post(f"{API}/auth/login/password", "{not json", content_type="application/json")
    error(response, 400, "bad_request")


def test_json_that_is_not_an_object_is_a_validation_error(client):
    response = client.post(f"{API}/auth/login/password", "[1, 2]", content_type="application/json")
    error(response, 400, "validation_error")


def test_wrong_content_type_is_415(client):
    response = client.post(f"{API}/auth/login/password", "a=b", content_type="text/plain")
    error(response, 415, "unsupported_media_type")
    response = client.post(f"{API}/auth/login/password", {"email": "a@b.c", "password": "x"})
    error(response, 415, "unsupported_media_type")  # multipart: uploads only


def test_wrong_method_is_405(client):
    error(client.get(f"{API}/auth/login/password"), 405, "method_not_allowed")
    error(client.delete(f"{API}/auth/anonymous"), 405, "method_not_allowed")


def test_unknown_api_path_is_404_in_the_envelope(client, settings):
    from django.test import Client

    error(client.get(f"{API}/no/such/thing"), 404, "not_found")
    error(client.get("/api/v2/whatever"), 404, "not_found")
    strict = Client(enforce_csrf_checks=True)  # no CSRF page for a bad id in an unsafe request
    error(strict.delete(f"{API}/auth/user/%C2%84"), 404, "not_found")
    error(strict.post(f"{API}/customers/bad/addresses", {}, content_type="application/json"), 404, "not_found")


def test_validation_error_names_each_field(client):
    body = error(
        client.post(f"{API}/auth/register/password", {"email": "bad"}, content_type="application/json"),
        400,
        "validation_error",
    )
    assert {"email", "password", "confirm_password"} <= set(body["errors"])
    assert all(isinstance(m, list) and m for m in body["errors"].values())


def test_routes_answer_with_and_without_a_trailing_slash(client):
    assert client.post(f"{API}/auth/anonymous").status_code == 200
    assert client.post(f"{API}/auth/anonymous/").status_code == 200


def _handled(exc):
    request = RequestFactory().get("/")
    response = api_exception_handler(exc, {"request": request, "view": None})
    response.accepted_renderer = EnvelopeJSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {"response": response}
    response.render()
    return response.status_code, json.loads(response.content), response


@pytest.mark.parametrize(
    "exc, status, code",
    [
        (drf.NotAuthenticated(), 401, "unauthorized"),
        (drf.PermissionDenied(), 403, "forbidden"),
        (drf.NotFound(), 404, "not_found"),
        (drf.NotAcceptable(), 406, "not_acceptable"),
        (drf.Throttled(wait=12), 429, "throttled"),
        (DomainError("Nope.", code="not_cancellable"), 409, "not_cancellable"),
        (RuntimeError("boom"), 500, "server_error"),
    ],
)
def test_handler_maps_every_exception_to_the_error_shape(exc, status, code):
    got_status, body, response = _handled(exc)
    assert got_status == status
    assert body["success"] is False and body["code"] == code and body["message"]
    if status == 429:
        assert response["Retry-After"] == "13"
    if status == 500:
        assert "boom" not in body["message"]


def test_domain_errors_can_carry_extra_keys():
    _, body, _ = _handled(DomainError("In use.", code="address_in_use", subscription_id="01ABC"))
    assert body["subscription_id"] == "01ABC"


# --- the encoder: orjson, writing what DRF's JSONRenderer wrote ------------------------------


def _drf_json(data) -> bytes:
    from rest_framework.renderers import JSONRenderer

    return JSONRenderer().render(data)


def _ours(data, accepted="application/json") -> bytes:
    from rest_framework.response import Response

    response = Response(status=400)  # an error body: rendered as given, no envelope
    return EnvelopeJSONRenderer().render(data, accepted, {"response": response})


def test_the_encoder_writes_what_drf_wrote_for_every_type_we_answer():
    import datetime
    import uuid
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    data = {
        "decimal": Decimal("1234.50"),
        "aware": datetime.datetime(2026, 11, 30, 2, 10, 0, 123456, tzinfo=datetime.UTC),
        "whole_second": datetime.datetime(2026, 11, 30, 2, 10, tzinfo=datetime.UTC),
        "ist": datetime.datetime(
            2026, 11, 30, 7, 40, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))
        ),
        "date": datetime.date(2026, 11, 30),
        "lazy": gettext_lazy("Order not found."),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "unicode": "₹ 1,234 — नमस्ते",
        "nested": [{"n": 1, "f": 0.1, "none": None, "t": True}],
        1: "an int key",
    }
    assert _ours(data) == _drf_json(data)


def test_what_orjson_cannot_write_goes_to_drf():
    huge = {"n": 2**70}
    assert _ours(huge) == _drf_json(huge)
    indented = _ours({"a": [1]}, "application/json; indent=2")
    assert indented == _drf_json({"a": [1]}).replace(b'{"a":[1]}', b'{\n  "a": [\n    1\n  ]\n}')


def test_json_written_by_the_database_goes_in_as_it_is():
    from common.renderers import RawJSON

    body = {"orders": RawJSON('[{"n":1.50}]'), "pagination": {"total": 1}}
    assert _ours(body) == b'{"orders":[{"n":1.50}],"pagination":{"total":1}}'
    # Indented (DRF's encoder) reads it back.
    assert b'"n": 1.5' in _ours(body, "application/json; indent=2")
