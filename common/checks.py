"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error

# Each process (each gunicorn worker) has its own: every limit kept there (sign-in lockouts,
# code resend windows, DRF throttles, idempotency keys) would be counted per process, N times
# looser with N workers, or, with the dummy cache, not at all.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def shared_cache_check(app_configs=None, **kwargs) -> list[Error]:
    """With DEBUG off, the default cache must be shared by every process (Redis)."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes, so rate "
            "limits, sign-in lockouts and idempotency keys are counted per worker.",
            hint="Set REDIS_URL (e.g. redis://cache.internal:6379/0).",
            id="common.E001",
        )
    ]
