"""The one place where exceptions become API error answers.

Services raise `DomainError` subclasses with a stable machine-readable `code`; DRF, simplejwt
and Django raise their own. `api_exception_handler` turns every one of them into
`{"message", "success": false, "code", "errors"?}` with the right status.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response

logger = logging.getLogger(__name__)

try:
    from redis import exceptions as _redis
except ImportError:  # pragma: no cover - redis is a runtime dependency
    CACHE_UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = ()
else:
    # What Django's RedisCache raises when Redis is down, unreachable, too slow, or a replica
    # mid-failover; a bug of ours (a wrong command) stays a 500.
    CACHE_UNAVAILABLE_ERRORS = (_redis.ConnectionError, _redis.TimeoutError, _redis.ReadOnlyError)

# Seconds a client should wait before trying again when a shared part is down.
UNAVAILABLE_RETRY_AFTER = 30
UNAVAILABLE_MESSAGE = "The service is briefly unavailable. Please try again in a moment."


def is_cache_unavailable(exc: BaseException) -> bool:
    """The shared cache (rate limits, sign-in lockouts, code windows, idempotency keys) failed."""
    return isinstance(exc, CACHE_UNAVAILABLE_ERRORS)


def log_cache_unavailable(exc: BaseException) -> None:
    logger.error("Shared cache unavailable, request refused (503): %s: %s", type(exc).__name__, exc)


class DomainError(Exception):
    """A request that is well formed but that the rules or the state refuse."""

    status_code = 409
    code = "conflict"
    message = "The request conflicts with the current state."

    def __init__(self, message: str | None = None, *, code: str | None = None, errors=None, **extra):
        self.message = message or self.message
        self.code = code or self.code
        self.errors = errors
        self.extra = extra
        super().__init__(self.message)


class InvalidInput(DomainError):
    status_code = 400
    code = "validation_error"
    message = "Some fields are not valid."

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> "InvalidInput":
        return cls(message, code=code, errors={field: [message]})


class BadRequest(DomainError):
    status_code = 400
    code = "bad_request"
    message = "The request could not be understood."


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"
    message = "Authentication is required."


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"
    message = "You may not access this resource."


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    message = "Not found."


class Throttled(DomainError):
    status_code = 429
    code = "throttled"
    message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, **kwargs)


def error_body(*, message: str, code: str, errors=None, **extra) -> dict:
    body = {"message": message, "success": False, "code": code}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def _flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF error details (nested dicts/lists) -> {"field" or "field.sub": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in _flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                name = f"{prefix}.{index}" if prefix else str(index)
                for field, messages in _flatten_errors(value, name).items():
                    flat.setdefault(field, []).extend(messages)
            else:
                flat.setdefault(prefix or "non_field_errors", []).append(str(value))
    else:
        flat.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return flat


def _first_message(errors: dict[str, list[str]], fallback: str) -> str:
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
    return fallback


_DRF_CODES: list[tuple[type, str]] = [
    (drf.ParseError, "bad_request"),
    (drf.NotAuthenticated, "unauthorized"),
    (drf.AuthenticationFailed, "unauthorized"),
    (drf.PermissionDenied, "forbidden"),
    (drf.NotFound, "not_found"),
    (drf.MethodNotAllowed, "method_not_allowed"),
    (drf.NotAcceptable, "not_acceptable"),
    (drf.UnsupportedMediaType, "unsupported_media_type"),
    (drf.Throttled, "throttled"),
]


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error of the API leaves through here."""
    headers: dict[str, str] = {}

    if is_cache_unavailable(exc):
        # Limits fail closed: without the cache no throttle, lockout or idempotency key can be
        # checked, so nothing goes ahead.
        log_cache_unavailable(exc)
        return Response(
            error_body(message=UNAVAILABLE_MESSAGE, code="service_unavailable"),
            status=503,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
        )
    if isinstance(exc, RequestDataTooBig):
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE that reached a view (multipart form fields);
        # common.middleware refuses the rest before they are read.
        return Response(error_body(message="The request body is too large.", code="request_too_large"), status=413)
    if isinstance(exc, SuspiciousOperation):
        # Too many fields or files, ...: what Django answers 400 outside DRF, logged as it would.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning(str(exc))
        return Response(error_body(message="The request could not be understood.", code="bad_request"), status=400)

    if isinstance(exc, DomainError):
        if isinstance(exc, Throttled):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, Unauthorized):
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        body = error_body(message=exc.message, code=exc.code, errors=exc.errors, **exc.extra)
        return Response(body, status=exc.status_code, headers=headers)

    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = drf.ValidationError(detail)

    if isinstance(exc, drf.ValidationError):
        errors = _flatten_errors(exc.detail)
        body = error_body(
            message=_first_message(errors, "Some fields are not valid."),
            code="validation_error",
            errors=errors,
        )
        return Response(body, status=400)

    if isinstance(exc, drf.APIException):
        code = next((code for cls, code in _DRF_CODES if isinstance(exc, cls)), "error")
        status = exc.status_code
        if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
            # DRF answers 403 when no authenticator offers a challenge; we always do.
            status = 401
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait) + 1)
        message = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
        if isinstance(exc, drf.AuthenticationFailed) and not isinstance(exc.detail, str):
            # simplejwt puts a dict of token diagnostics here; keep the message plain.
            message = "The access token is invalid or expired."
        return Response(error_body(message=str(message), code=code), status=status, headers=headers)

    logger.exception("Unhandled error in API view", exc_info=exc)
    return Response(
        error_body(message="Something went wrong on our side. Please try again.", code="server_error"),
        status=500,
    )
