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
