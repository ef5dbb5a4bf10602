"""The one place where exceptions become API error answers.

Services raise `DomainError` subclasses with a stable machine-readable `code` from the one
catalogue, `common.errors.ErrorCode`; DRF, simplejwt and Django raise their own.
`api_exception_handler` turns every one of them into `{"message", "success": false, "code",
"errors"?}` with the right status.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions as drf
from rest_framework.response import Response

from .errors import ErrorCode

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
UNAVAILABLE_MESSAGE = gettext_lazy("The service is briefly unavailable. Please try again in a moment.")


class ServiceUnavailable(Exception):
    """Another shared part a request needs is down (the task broker that sends one-time codes):
    refused as a cache failure is, 503 with Retry-After, never a 500 nor an answer that
    pretends the work was done. Not a `DomainError`: nothing catches it on the way out."""


def is_cache_unavailable(exc: BaseException) -> bool:
    """The shared cache (rate limits, sign-in lockouts, code windows, idempotency keys) failed,
    or another shared part (`ServiceUnavailable`)."""
    return isinstance(exc, (*CACHE_UNAVAILABLE_ERRORS, ServiceUnavailable))


def log_cache_unavailable(exc: BaseException) -> None:
    logger.error("Shared cache or broker unavailable, request refused (503): %s: %s", type(exc).__name__, exc)


class DomainError(Exception):
    """A request that is well formed but that the rules or the state refuse.

    Its `code` must be in `ErrorCode` (a ValueError otherwise, when the class is defined or the
    error raised), so a free-text code cannot reach a client.
    """

    status_code = 409
    code = ErrorCode.CONFLICT
    message = "The request conflicts with the current state."

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.code = ErrorCode(cls.code)

    def __init__(self, message: str | None = None, *, code: str | None = None, errors=None, **extra):
        self.message = message or self.message
        self.code = ErrorCode(code or self.code)
        self.errors = errors
        self.extra = extra
        super().__init__(self.message)


class InvalidInput(DomainError):
    status_code = 400
    code = ErrorCode.VALIDATION_ERROR
    message = "Some fields are not valid."

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> "InvalidInput":
        return cls(message, code=code, errors={field: [message]})


class BadRequest(DomainError):
    status_code = 400
    code = ErrorCode.BAD_REQUEST
    message = "The request could not be understood."


class Unauthorized(DomainError):
    status_code = 401
    code = ErrorCode.UNAUTHORIZED
    message = "Authentication is required."


class Forbidden(DomainError):
    status_code = 403
    code = ErrorCode.FORBIDDEN
    message = "You may not access this resource."


class NotFound(DomainError):
    status_code = 404
    code = ErrorCode.NOT_FOUND
    message = "Not found."


class Throttled(DomainError):
    status_code = 429
    code = ErrorCode.THROTTLED
    message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, **kwargs)


def _translated(errors):
    if isinstance(errors, dict):
        return {key: _translated(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [_translated(value) for value in errors]
    return gettext(str(errors)) if isinstance(errors, str) else errors


def error_body(*, message: str, code: str, errors=None, **extra) -> dict:
    """The error envelope; `code` must be in the catalogue (ValueError otherwise)."""
    # The message and the fields' errors in the client's language (Accept-Language, Django's
    # LocaleMiddleware) where the catalogue has them (common.api_messages marks them); the `code`
    # is the contract's and never changes.
    body = {"message": gettext(str(message)), "success": False, "code": ErrorCode(code).value}
    if errors:
        body["errors"] = _translated(errors)
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


_DRF_CODES: list[tuple[type, ErrorCode]] = [
    (drf.ParseError, ErrorCode.BAD_REQUEST),
    (drf.NotAuthenticated, ErrorCode.UNAUTHORIZED),
    (drf.AuthenticationFailed, ErrorCode.UNAUTHORIZED),
    (drf.PermissionDenied, ErrorCode.FORBIDDEN),
    (drf.NotFound, ErrorCode.NOT_FOUND),
    (drf.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (drf.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (drf.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (drf.Throttled, ErrorCode.THROTTLED),
]


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error of the API leaves through here."""
    headers: dict[str, str] = {}

    if is_cache_unavailable(exc):
        # Limits fail closed: without the cache no throttle, lockout or idempotency key can be
        # checked, so nothing goes ahead.
        log_cache_unavailable(exc)
        return Response(
            error_body(message=UNAVAILABLE_MESSAGE, code=ErrorCode.SERVICE_UNAVAILABLE),
            status=503,
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
        )
    if isinstance(exc, RequestDataTooBig):
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE that reached a view (multipart form fields);
        # common.middleware refuses the rest before they are read.
        body = error_body(message="The request body is too large.", code=ErrorCode.REQUEST_TOO_LARGE)
        return Response(body, status=413)
    if isinstance(exc, SuspiciousOperation):
        # Too many fields or files, ...: what Django answers 400 outside DRF, logged as it would.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning(str(exc))
        body = error_body(message="The request could not be understood.", code=ErrorCode.BAD_REQUEST)
        return Response(body, status=400)

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
            code=ErrorCode.VALIDATION_ERROR,
            errors=errors,
        )
        return Response(body, status=400)

    if isinstance(exc, drf.APIException):
        status = exc.status_code
        # Another APIException (none of ours raises one) still answers a catalogued code.
        fallback = ErrorCode.SERVER_ERROR if status >= 500 else ErrorCode.BAD_REQUEST
        code = next((code for cls, code in _DRF_CODES if isinstance(exc, cls)), fallback)
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
        error_body(message="Something went wrong on our side. Please try again.", code=ErrorCode.SERVER_ERROR),
        status=500,
    )
