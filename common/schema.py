"""OpenAPI: show the envelope as it is actually sent, and the bearer scheme. Each error status
carries examples of its own codes and messages (the 409 of an endpoint: its domain codes), and
the main operations carry request and response examples (Swagger UI shows them)."""

import json
from pathlib import Path

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
    "413": "The body is over the size limit",
    "415": "Unsupported content type",
    "429": "Rate limited; see the Retry-After header",
}


def _error(code: ErrorCode, message: str, **extra) -> dict:
    return {"summary": code.value, "value": {"message": message, "success": False, "code": code.value, **extra}}


# Examples per status: each code the status answers, with the message the API sends.
ERROR_EXAMPLES: dict[str, list[dict]] = {
    "400": [
        _error(
            ErrorCode.VALIDATION_ERROR,
            "email: Enter a valid email address.",
            errors={"email": ["Enter a valid email address."]},
        ),
        _error(ErrorCode.BAD_REQUEST, "JSON parse error - Expecting value: line 1 column 1 (char 0)"),
    ],
    "401": [_error(ErrorCode.UNAUTHORIZED, "The access token is invalid or expired.")],
    "403": [_error(ErrorCode.FORBIDDEN, "You do not have permission to perform this action.")],
    "404": [_error(ErrorCode.NOT_FOUND, "Not found.")],
    "409": [_error(ErrorCode.CONFLICT, "The request is valid but the current state forbids it.")],
    "413": [_error(ErrorCode.REQUEST_TOO_LARGE, "The request body is too large.")],
    "415": [_error(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported media type "text/plain" in request.')],
    "429": [_error(ErrorCode.THROTTLED, "Request was throttled. Expected available in 42 seconds.")],
}

PASSKEY_REFUSED = "This passkey could not be verified. Try again."
DEACTIVATED = "This account is deactivated. Reactivate it with a code sent to your email or phone."

# The wishlist's body (add and delete): a product id, and no variant (the catalog has none).
WISHLIST_INPUT_ERRORS = [
    _error(
        ErrorCode.VALIDATION_ERROR,
        "product_id must be a product id (26 characters).",
        errors={"product_id": ["product_id must be a product id (26 characters)."]},
    ),
    _error(
        ErrorCode.VALIDATION_ERROR,
        "This product has no variants: send variant_id null.",
        errors={"variant_id": ["This product has no variants: send variant_id null."]},
    ),
]

# An operation's own errors, where they differ from the status's generic ones: the domain codes
# its services raise (409 unless said), and the sign-in's wrong credentials.
OPERATION_ERRORS: dict[str, dict[str, list[dict]]] = {
    "login-with-password": {
        "401": [_error(ErrorCode.UNAUTHORIZED, "The email/phone or password is not correct.")],
        "403": [_error(ErrorCode.ACCOUNT_DEACTIVATED, DEACTIVATED)],
    },
    "refresh-token": {
        "401": [_error(ErrorCode.UNAUTHORIZED, "This session has ended. Please sign in again.")],
        "403": [_error(ErrorCode.ACCOUNT_DEACTIVATED, DEACTIVATED)],
    },
    "deactivate-user": {
        "403": [_error(ErrorCode.FORBIDDEN, "You can only access your own account.")],
        "409": [
            _error(
                ErrorCode.CONFLICT,
                "Verify your email or phone first: a code sent to it is how you would reactivate the account.",
            )
        ],
    },
    "register-with-password": {
        "409": [_error(ErrorCode.ACCOUNT_EXISTS, "An account with this email already exists. Sign in instead.")],
    },
    "verify-otp": {
        "400": [
            _error(ErrorCode.INVALID_OTP, "otp: The code is not correct.", errors={"otp": ["The code is not correct."]})
        ],
    },
    "passkey-register-options": {
        "409": [_error(ErrorCode.LIMIT_EXCEEDED, "An account has at most 20 passkeys: remove one first.")],
    },
    "passkey-register": {
        "400": [_error(ErrorCode.INVALID_PASSKEY, PASSKEY_REFUSED, errors={"credential": [PASSKEY_REFUSED]})],
        "409": [_error(ErrorCode.CONFLICT, "This passkey is registered already.")],
    },
    "passkey-login": {
        "400": [_error(ErrorCode.INVALID_PASSKEY, PASSKEY_REFUSED, errors={"credential": [PASSKEY_REFUSED]})],
        "403": [_error(ErrorCode.ACCOUNT_DEACTIVATED, DEACTIVATED)],
    },
    "passkey-reauthenticate-options": {
        "409": [_error(ErrorCode.CONFLICT, "This account has no passkey.")],
    },
    "cancel-order": {
        "409": [
            _error(ErrorCode.NOT_CANCELLABLE, "This order can no longer be cancelled.", status="shipped"),
        ],
    },
    "retry-order-payment": {
        "409": [
            _error(ErrorCode.RETRY_NOT_AVAILABLE, "This order's payment cannot be retried."),
            _error(ErrorCode.ALREADY_PAID, "The order is already paid."),
        ],
    },
    "cancel-payment-request": {
        "409": [
            _error(ErrorCode.NO_OPEN_PAYMENT, "This order has no payment in progress to cancel."),
            _error(ErrorCode.ALREADY_PAID, "The order is paid already."),
        ],
    },
    **{
        operation: {
            "409": [
                _error(ErrorCode.NOT_RETURNABLE, "Only delivered items can be returned.", status="shipped"),
                _error(ErrorCode.RETURN_WINDOW_CLOSED, "The return window for this order has closed."),
                _error(ErrorCode.QUANTITY_EXCEEDED, "You can return at most 1 of Cotton kurta."),
            ],
        }
        for operation in ("create-order-return", "create-order-return-singular")
    },
    "cancel-order-return": {
        "409": [_error(ErrorCode.NOT_CANCELLABLE, "Only a return that is not yet approved can be cancelled.")],
    },
    "upload-order-return-attachments": {
        "400": [
            _error(
                ErrorCode.INVALID_IMAGE,
                "Upload a JPEG, PNG or WebP image.",
                errors={"image": ["Upload a JPEG, PNG or WebP image."]},
            )
        ],
        "409": [
            _error(
                ErrorCode.TOO_MANY_ATTACHMENTS,
                "A return takes at most 3 photos.",
                errors={"images": ["Choose at most 3 photos."]},
            ),
            _error(ErrorCode.RETURN_CLOSED, "This return is closed: it no longer takes photos."),
        ],
    },
    "create-product-review": {
        "409": [
            _error(ErrorCode.ALREADY_REVIEWED, "You have already reviewed this product."),
            _error(ErrorCode.NOT_PURCHASED, "You can review products you have received and kept."),
        ],
    },
    "delete-address": {
        "409": [
            _error(
                ErrorCode.ADDRESS_IN_USE,
                "This address is used by a subscription. Change the subscription's address first.",
            )
        ],
    },
    "update-address-detail": {
        "409": [
            _error(
                ErrorCode.DEFAULT_ADDRESS_REQUIRED,
                "This is your only address, so it stays your default billing address. Add another address first.",
                errors={
                    "is_default_billing": [
                        "This is your only address, so it stays your default billing address. Add another address first."
                    ]
                },
            )
        ],
    },
    "delete-bank-account": {
        "409": [_error(ErrorCode.ACCOUNT_IN_USE, "A refund is on its way to this account; delete it once it arrives.")],
    },
    "create-address": {
        "409": [
            _error(
                ErrorCode.LIMIT_EXCEEDED,
                "An address book holds at most 50 addresses. Delete one you no longer use first.",
            )
        ]
    },
    "create-bank-account": {"409": [_error(ErrorCode.LIMIT_EXCEEDED, "At most 10 bank accounts.")]},
    **{
        operation: {
            "400": [
                _error(
                    ErrorCode.VALIDATION_ERROR,
                    "This GSTIN's last character does not match the rest: check it for a typing mistake.",
                    errors={
                        "document_number": [
                            "This GSTIN's last character does not match the rest: check it for a typing mistake."
                        ]
                    },
                ),
                _error(
                    ErrorCode.GSTIN_PAN_MISMATCH,
                    "The PAN inside GSTIN 27AAPFU0939F1ZV is AAPFU0939F, but your PAN is ABCPE1234F. "
                    "Correct one of them: a GSTIN always contains its holder's PAN.",
                    errors={"document_number": ["The PAN inside GSTIN 27AAPFU0939F1ZV is AAPFU0939F, ..."]},
                ),
                *(
                    [
                        _error(
                            ErrorCode.INVALID_IMAGE,
                            "Upload a JPEG, PNG or WebP image.",
                            errors={"file": ["Upload a JPEG, PNG or WebP image."]},
                        )
                    ]
                    if operation != "verify-document"
                    else []
                ),
            ],
            **(
                {"409": [_error(ErrorCode.DOCUMENT_EXISTS, "You have added your GSTIN already. Edit it instead.")]}
                if operation == "create-document"
                else {}
            ),
        }
        for operation in ("create-document", "update-document", "verify-document")
    },
    "add-to-wishlist": {
        "400": WISHLIST_INPUT_ERRORS,
        "404": [
            _error(
                ErrorCode.NOT_FOUND, "No product with this id.", errors={"product_id": ["No product with this id."]}
            ),
            _error(
                ErrorCode.NOT_FOUND,
                "This product is no longer sold.",
                errors={"product_id": ["This product is no longer sold."]},
            ),
        ],
        "409": [
            _error(
                ErrorCode.LIMIT_EXCEEDED,
                "A wishlist holds at most 100 products. Remove one you no longer want first.",
            )
        ],
    },
    "delete-from-wishlist": {"400": WISHLIST_INPUT_ERRORS},
}


# Request and response examples of the main operations, as the API answered them (ids, dates
# and numbers of a test run; tokens shortened). common/tests/test_schema.py checks they still
# have the shape of the schema, so they cannot drift from the serializers unnoticed.
OPERATION_EXAMPLES: dict[str, dict] = json.loads((Path(__file__).parent / "schema_examples.json").read_text())


def _examples(items: list[dict]) -> dict:
    """OpenAPI `examples` keyed by code (a second example of one code gets a suffix)."""
    named: dict = {}
    for item in items:
        key = item["summary"]
        while key in named:
            key += "_"
        named[key] = item
    return named


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
        own = OPERATION_ERRORS.get(self.get_operation_id(), {})
        for code, description in ERROR_DESCRIPTIONS.items():
            if code in ("413", "415") and self.method not in ("POST", "PUT", "PATCH"):
                continue
            examples = own.get(code, []) + ERROR_EXAMPLES[code]
            if code == "409" and own.get(code):
                examples = own[code]  # its domain codes say more than the generic `conflict`
            wrapped.setdefault(
                code,
                {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                            "examples": _examples(examples),
                        }
                    },
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


def add_operation_examples(result, generator, request, public):
    """Put OPERATION_EXAMPLES on their operations' request body and 200 answer."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            examples = OPERATION_EXAMPLES.get(operation.get("operationId"))
            if not examples:
                continue
            if "request" in examples and "requestBody" in operation:
                media = operation["requestBody"]["content"].get("application/json")
                if media is not None:
                    media["examples"] = {"example": {"summary": "Example", "value": examples["request"]}}
            media = operation["responses"]["200"]["content"]["application/json"]
            media["examples"] = {"example": {"summary": "Example", "value": examples["response"]}}
    return result
