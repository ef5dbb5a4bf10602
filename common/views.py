"""Django-level error pages: the API's paths answer in the envelope, others in HTML."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found, server_error

from .errors import ErrorCode
from .exceptions import error_body

API_PREFIX = f"/{settings.API_ROOT.split('/')[0]}/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


@csrf_exempt  # an unknown API path is a 404 in the envelope whatever the method, not a CSRF page
def api_not_found(request, *args, **kwargs):
    return JsonResponse(error_body(message="Not found.", code=ErrorCode.NOT_FOUND), status=404)


def not_found(request, exception=None):
    if _is_api(request):
        return api_not_found(request)
    return page_not_found(request, exception)


def server_failure(request):
    if _is_api(request):
        return JsonResponse(
            error_body(
                message=gettext_noop("Something went wrong on our side. Please try again."), code=ErrorCode.SERVER_ERROR
            ),
            status=500,
        )
    return server_error(request)


def healthz(request):
    """The process is up and serving."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready for traffic: the database and the cache answer, and no migration is pending."""
    from django.core.cache import cache
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["database"] = "ok"
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        cache.set("readyz", "1", timeout=5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
