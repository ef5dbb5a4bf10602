"""`Idempotency-Key` for unsafe API requests that must not happen twice (cancel, return, retry
payment, create address, submit review).

The same key with the same body within 24 hours answers the first answer again and does
nothing; the same key with another body is 409 `idempotency_key_reused`; a repeat while the
first is still running is 409 `request_in_progress`. Keys live in the shared cache (Redis in
production), scoped to the caller and the path. A request that failed stores nothing, so it can
be retried with the same key.
"""

import functools
import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from common.clientip import client_ip
from common.errors import ErrorCode
from common.exceptions import CACHE_UNAVAILABLE_ERRORS, DomainError, InvalidInput, log_cache_unavailable

TTL_SECONDS = 24 * 60 * 60
PENDING_SECONDS = 60


def _fingerprint(request) -> str:
    """The body's SHA-256. An upload's raw body may be larger than Django keeps in memory
    (DATA_UPLOAD_MAX_MEMORY_SIZE), so for multipart: of its parsed fields and files."""
    if request._request.content_type != "multipart/form-data":
        return hashlib.sha256(request._request.body).hexdigest()
    digest = hashlib.sha256()
    for name, values in sorted(request.data.lists(), key=lambda item: item[0]):
        for value in values:
            digest.update(name.encode() + b"\0")
            if hasattr(value, "chunks"):
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(str(value).encode())
            digest.update(b"\0")
    return digest.hexdigest()


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 255:
            raise InvalidInput.for_field("Idempotency-Key", _("Use a key of at most 255 characters."))
        caller = getattr(request.user, "pk", None) or client_ip(request) or ""
        digest = hashlib.sha256(key.encode()).hexdigest()
        cache_key = f"idempotency:{caller}:{request.method}:{request.path}:{digest}"
        fingerprint = _fingerprint(request)

        stored = cache.get(cache_key)
        if stored is None and not cache.add(
            cache_key, {"state": "pending", "fingerprint": fingerprint}, timeout=PENDING_SECONDS
        ):
            stored = cache.get(cache_key)
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                raise DomainError(
                    _("This Idempotency-Key was used with another request body."), code=ErrorCode.IDEMPOTENCY_KEY_REUSED
                )
            if stored["state"] == "pending":
                raise DomainError(
                    _("The first request with this key is still running."), code=ErrorCode.REQUEST_IN_PROGRESS
                )
            response = Response(stored["data"], status=stored["status"], headers={"Idempotent-Replayed": "true"})
            response.message = stored["message"]
            return response

        try:
            response = view_method(self, request, *args, **kwargs)
        except BaseException:
            cache.delete(cache_key)
            raise
        try:
            cache.set(
                cache_key,
                {
                    "state": "done",
                    "fingerprint": fingerprint,
                    "status": response.status_code,
                    "data": response.data,
                    "message": getattr(response, "message", None),
                },
                timeout=TTL_SECONDS,
            )
        except CACHE_UNAVAILABLE_ERRORS as exc:
            # The cache failed after the write was done: answer what happened, not a 503 that
            # would tell the client nothing was written.
            log_cache_unavailable(exc)
        return response

    return wrapper
