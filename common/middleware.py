"""Request guards that apply before any view runs, and the answer when the shared cache is down."""

from datetime import UTC

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from .errors import ErrorCode
from .exceptions import (
    UNAVAILABLE_MESSAGE,
    UNAVAILABLE_RETRY_AFTER,
    error_body,
    is_cache_unavailable,
    log_cache_unavailable,
)
from .parsers import NUL_MESSAGE, form_contains_nul

# The website's pages need nothing but their own files: no inline scripts, no CDN (a few
# inline style attributes remain, which CSS injection cannot turn into script).
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "form-action 'self' https:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
CSP_PREFIXES = ("/account/", "/payments/test-gateway/")
# Razorpay's Checkout page loads Razorpay's script, which opens its frames and calls its API;
# only that page allows them.
RAZORPAY_CHECKOUT_PREFIX = "/payments/razorpay/checkout/"
RAZORPAY_CHECKOUT_CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' https://checkout.razorpay.com; frame-src https://api.razorpay.com https://checkout.razorpay.com; "
    "connect-src 'self' https://api.razorpay.com https://lumberjack.razorpay.com; "
    "form-action 'self' https:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


REFUSAL_TITLES = {
    400: gettext_lazy("This request could not be read"),
    413: gettext_lazy("That was too large to send"),
    503: gettext_lazy("We are busy for a moment"),
}


def _refuse(request, status: int, code: str, message: str) -> HttpResponse:
    """The API's envelope on API paths; on the website and the admin, the site's error page
    (templates/refused.html), rendered without the request: no session, cache or database. Both in
    the reader's language as the request names it (the language cookie, else Accept-Language),
    which needs neither: a refusal may come before LocaleMiddleware has run."""
    with translation.override(translation.get_language_from_request(request)):
        if _is_api(request):
            return JsonResponse(error_body(message=str(message), code=code), status=status)
        context = {"status": status, "title": REFUSAL_TITLES[status], "message": message}
        return HttpResponse(render_to_string("refused.html", context), status=status)


class _Lazy:
    """A message with values, written in the language of the moment it is read (`_refuse` sets it)."""

    def __init__(self, text: str, **values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        return gettext(self.text) % self.values


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _url_has_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return (
        "\x00" in request.path
        or "\x00" in query
        or "%00" in query
        or any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items())
    )


class RequestGuardMiddleware:
    """Refuse, before any view runs:

    - bodies larger than MAX_REQUEST_BYTES, unread (uploads included, so an oversized image never
      reaches Pillow); other than multipart uploads, bodies larger than Django's
      DATA_UPLOAD_MAX_MEMORY_SIZE (which Django would refuse later, as a 400 or a 500): 413;
    - a NUL character in the path, the query string, a cookie or a website form field (PostgreSQL
      cannot store one in text; API bodies are checked by common.parsers): 400.

    Put a Content-Security-Policy on the website. When the shared cache is down, a view's limits
    cannot be checked: answer 503 with Retry-After (the API's views answer it through
    common.exceptions.api_exception_handler).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if request.path.startswith(RAZORPAY_CHECKOUT_PREFIX):
            response.setdefault("Content-Security-Policy", RAZORPAY_CHECKOUT_CSP)
        elif request.path.startswith(CSP_PREFIXES):
            response.setdefault("Content-Security-Policy", PAGE_CSP)
        return response

    def _refusal(self, request) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _Lazy(
                gettext_noop("The request is larger than %(size)s."), size=_megabytes(settings.MAX_REQUEST_BYTES)
            )
            return _refuse(request, 413, ErrorCode.REQUEST_TOO_LARGE, message)
        is_multipart = request.content_type == "multipart/form-data"
        form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if form_limit is not None and length > form_limit and not is_multipart:
            message = _Lazy(
                gettext_noop("The request body is larger than %(size)s (only uploads may be larger)."),
                size=_megabytes(form_limit),
            )
            return _refuse(request, 413, ErrorCode.REQUEST_TOO_LARGE, message)
        if _url_has_nul(request):
            return _refuse(request, 400, ErrorCode.BAD_REQUEST, NUL_MESSAGE)
        if not _is_api(request) and request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
            # The website's and the admin's forms (CsrfViewMiddleware reads them next anyway).
            try:
                has_nul = form_contains_nul(request.POST, request.FILES)
            except MultiPartParserError:
                return _refuse(request, 400, ErrorCode.BAD_REQUEST, gettext_lazy("The form data could not be read."))
            if has_nul:
                return _refuse(request, 400, ErrorCode.BAD_REQUEST, NUL_MESSAGE)
        return None

    def process_exception(self, request, exception):
        if not is_cache_unavailable(exception):
            return None
        log_cache_unavailable(exception)
        response = _refuse(request, 503, ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
        return response


class ApiUtcMiddleware:
    """The API writes its times in UTC (`...Z`, CONTRACT.md), whatever the shop's zone: pages,
    emails and the admin speak shop time (settings.SHOP_TIME_ZONE, which is TIME_ZONE), so the
    API's requests run with UTC active instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_api(request):
            return self.get_response(request)
        with timezone.override(UTC):
            return self.get_response(request)
