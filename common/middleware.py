"""Request guards that apply before any view runs."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from .exceptions import error_body

# The website's pages need nothing but their own files: no inline scripts, no CDN (a few
# inline style attributes remain, which CSS injection cannot turn into script).
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "form-action 'self' https:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
CSP_PREFIXES = ("/account/", "/payments/test-gateway/")


class RequestGuardMiddleware:
    """Refuse bodies larger than MAX_REQUEST_BYTES before they are read (uploads included, so an
    oversized image never reaches Pillow), and put a Content-Security-Policy on the website."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = f"The request is larger than {settings.MAX_REQUEST_BYTES // (1024 * 1024)} MB."
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(message=message, code="request_too_large"), status=413)
            return HttpResponse(message, status=413, content_type="text/plain")
        response = self.get_response(request)
        if request.path.startswith(CSP_PREFIXES):
            response.setdefault("Content-Security-Policy", PAGE_CSP)
        return response
