"""OpenAPI: show the envelope as it is actually sent, and the bearer scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from .errors import ErrorCode

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "success": {"type": "boolean", "enum": [False]},
        # Every code the API can answer (CONTRACT.md section 2), and when.
        "code": {
            "type": "string",
            "enum": ErrorCode.values,
            "description": "\n".join(f"- `{code.value}`: {code.label}" for code in ErrorCode),
            "example": ErrorCode.VALIDATION_ERROR.value,
        },
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["message", "success", "code"],
}

ERROR_DESCRIPTIONS = {
    "400": "Validation error (`validation_error`, `errors` names each field) or bad request",
    "401": "Missing, malformed, expired or revoked token; wrong credentials",
    "403": "The path's user is not the token's user, or a guest token on an account endpoint",
    "404": "Unknown id, or an object of another shopper",
    "409": "The request is valid but the current state forbids it",
    "415": "Unsupported content type",
    "429": "Rate limited; see the Retry-After header",
}


def _envelope(content_schema: dict | None) -> dict:
    properties = {"message": {"type": "string"}, "success": {"type": "boolean", "enum": [True]}}
    required = ["message", "success"]
    if content_schema is not None:
        properties["content"] = content_schema
        required.append("content")
    return {"type": "object", "properties": properties, "required": required}


class EnvelopeAutoSchema(AutoSchema):
    """Wraps every documented success in `{message, success, content}` and lists the errors."""

    def get_auth(self):
        authenticators = self.view.get_authenticators()
        if authenticators and all(getattr(a, "token_optional", False) for a in authenticators):
            return [{"BearerAuth": []}, {}]
        return super().get_auth()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        wrapped = {}
        for code, response in responses.items():
            if code == "204":
                # Deletes answer 200 with an envelope that has no `content`.
                code, response = "200", {"description": "Done", "content": {}}
            if code.startswith("2"):
                content = response.get("content") or {"application/json": {}}
                for media in content.values():
                    media["schema"] = _envelope(media.get("schema"))
                response["content"] = content
            wrapped[code] = response
        for code, description in ERROR_DESCRIPTIONS.items():
            if code == "415" and self.method not in ("POST", "PUT", "PATCH"):
                continue
            wrapped.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            )
        return wrapped


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Access token from /auth/anonymous, /auth/login/password, "
            "/auth/verify-otp or /auth/refresh-token.",
        }


def drop_trailing_slash_duplicates(endpoints, **kwargs):
    """Every route is also served with a trailing slash; document it once, without."""
    return [endpoint for endpoint in endpoints if not endpoint[0].endswith("/")]


def add_error_component(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    return result
