import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_schema_documents_the_bearer_scheme(schema):
    assert schema["components"]["securitySchemes"]["BearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schema["components"]["securitySchemes"]["BearerAuth"]["description"],
    }


def test_schema_paths_are_under_the_storefront_root_without_slash_duplicates(schema):
    paths = set(schema["paths"])
    assert "/api/v1/storefront/auth/login/password" in paths
    assert "/api/v1/storefront/auth/user/{id}" in paths
    assert not any(p.endswith("/") for p in paths)


def test_schema_shows_the_envelope_as_sent(schema):
    login = schema["paths"]["/api/v1/storefront/auth/login/password"]["post"]
    ok = login["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(ok["properties"]) == {"message", "success", "content"}
    content = ok["properties"]["content"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][content]["properties"]) == {
        "user",
        "access_token",
        "refresh_token",
    }
    error = login["responses"]["401"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["message", "success", "code"]


def test_swagger_ui_is_served(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_guest_endpoints_document_the_token_as_optional(schema):
    login = schema["paths"]["/api/v1/storefront/auth/login/password"]["post"]
    assert login["security"] == [{"BearerAuth": []}, {}]
    user = schema["paths"]["/api/v1/storefront/auth/user/{id}"]["get"]
    assert user["security"] == [{"BearerAuth": []}]


STATUS_CODES = {
    "401": {"unauthorized"},
    # account_deactivated: the right credentials of an account its shopper deactivated.
    "403": {"forbidden", "account_deactivated"},
    "404": {"not_found"},
    "413": {"request_too_large"},
    "415": {"unsupported_media_type"},
    "429": {"throttled"},
}


def _error_examples(operation, status) -> list[dict]:
    media = operation["responses"][status]["content"]["application/json"]
    return [example["value"] for example in media["examples"].values()]


def _operation(schema, operation_id):
    for operations in schema["paths"].values():
        for operation in operations.values():
            if operation["operationId"] == operation_id:
                return operation
    raise AssertionError(operation_id)


def test_every_error_status_shows_its_own_codes(schema):
    from common.errors import ErrorCode

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "409", "429"):
                examples = _error_examples(operation, status)
                assert examples, (path, method, status)
                for example in examples:
                    assert example["success"] is False and example["message"], (path, status)
                    assert example["code"] in ErrorCode.values, (path, status, example["code"])
                    assert set(example) <= {"message", "success", "code", "errors", "status"}
                    if status in STATUS_CODES:
                        assert example["code"] in STATUS_CODES[status], (path, status, example["code"])
                    if status != "400":
                        assert example["code"] != "validation_error", (path, status)
    # 400 shows the validation error with its fields, and a bad request.
    login = _operation(schema, "login-with-password")
    codes = {e["code"]: e for e in _error_examples(login, "400")}
    assert codes["validation_error"]["errors"] and "bad_request" in codes
    assert _error_examples(login, "401")[0]["message"] == "The email/phone or password is not correct."
    for operation_id in ("login-with-password", "refresh-token"):
        assert "account_deactivated" in {e["code"] for e in _error_examples(_operation(schema, operation_id), "403")}


@pytest.mark.parametrize(
    "operation_id, codes",
    [
        ("cancel-order", {"not_cancellable"}),
        ("create-order-return", {"not_returnable", "return_window_closed", "quantity_exceeded"}),
        ("cancel-order-return", {"not_cancellable"}),
        ("register-with-password", {"account_exists"}),
        ("delete-address", {"address_in_use"}),
        ("update-address-detail", {"default_address_required"}),
        ("get-user-detail", {"conflict"}),
        ("deactivate-user", {"conflict"}),
    ],
)
def test_409_shows_the_endpoints_domain_codes(schema, operation_id, codes):
    assert {e["code"] for e in _error_examples(_operation(schema, operation_id), "409")} == codes


def _matches(value, node, components, where="") -> None:
    """`value` has the shape of the OpenAPI `node`: an object its properties, every required one."""
    if value is None:
        assert node.get("nullable") or "oneOf" in node, f"{where} is null, and not nullable in the schema"
        return
    if "allOf" in node and len(node["allOf"]) == 1:
        node = node["allOf"][0]
    if "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[1]]
    if node.get("type") == "object" and "properties" in node:
        assert isinstance(value, dict), where
        assert set(value) <= set(node["properties"]), f"{where}: {set(value) - set(node['properties'])} not in schema"
        assert set(node.get("required", ())) <= set(value), f"{where}: missing {set(node['required']) - set(value)}"
        for key, item in value.items():
            _matches(item, node["properties"][key], components, f"{where}.{key}")
    elif node.get("type") == "array":
        assert isinstance(value, list), where
        for n, item in enumerate(value):
            _matches(item, node.get("items", {}), components, f"{where}[{n}]")


@pytest.mark.parametrize(
    "operation_id, has_request",
    [("login-with-password", True), ("list-orders", False), ("cancel-order", True), ("create-order-return", True)],
)
def test_main_operations_show_request_and_response_examples(schema, operation_id, has_request):
    components = schema["components"]["schemas"]
    operation = _operation(schema, operation_id)
    ok = operation["responses"]["200"]["content"]["application/json"]
    (answer,) = ok["examples"].values()
    assert answer["value"]["success"] is True
    _matches(answer["value"], ok["schema"], components, operation_id)
    if has_request:
        body = operation["requestBody"]["content"]["application/json"]
        (request,) = body["examples"].values()
        _matches(request["value"], body["schema"], components, f"{operation_id} request")
