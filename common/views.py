"""Django-level error pages: the API's paths answer in the envelope, others in HTML."""

from django.conf import settings
from django.http import JsonResponse
from django.views.defaults import page_not_found, server_error

from .exceptions import error_body

API_PREFIX = f"/{settings.API_ROOT.split('/')[0]}/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_not_found(request, *args, **kwargs):
    return JsonResponse(error_body(message="Not found.", code="not_found"), status=404)


def not_found(request, exception=None):
    if _is_api(request):
        return api_not_found(request)
    return page_not_found(request, exception)


def server_failure(request):
    if _is_api(request):
        return JsonResponse(
            error_body(message="Something went wrong on our side. Please try again.", code="server_error"),
            status=500,
        )
    return server_error(request)


def healthz(request):
    """The process is up and serving."""
    return JsonResponse({"status": "ok"})
