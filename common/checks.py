"""System checks of the deployment (`manage.py check --deploy`)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error
from django.core.checks import Warning as CheckWarning

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


def media_served_check(app_configs=None, **kwargs) -> list[CheckWarning]:
    """With DEBUG off and no bucket, uploads (profile pictures, review and return photos) are
    written to MEDIA_ROOT, which nothing in this service serves: their URLs answer 404 unless
    the web server in front maps MEDIA_URL to that folder."""
    if settings.DEBUG or settings.AWS_STORAGE_BUCKET_NAME or settings.MEDIA_SERVED_BY_WEB_SERVER:
        return []
    return [
        CheckWarning(
            f"Uploaded images are stored in {settings.MEDIA_ROOT} and served by nothing here: "
            f"their URLs ({settings.MEDIA_URL}...) answer 404 unless the web server in front serves that folder.",
            hint="Set AWS_STORAGE_BUCKET_NAME (S3 or an S3-compatible store), or map MEDIA_URL to MEDIA_ROOT "
            "in the web server and set MEDIA_SERVED_BY_WEB_SERVER=1 (deploy/README.md).",
            id="common.W001",
        )
    ]


def translations_compiled_check(app_configs=None, **kwargs) -> list[Error]:
    """Every language the site offers other than the shop's own has its compiled catalogue: the
    .mo files are built (`manage.py translations_compile`), never committed, and without them a
    Hindi-speaking shopper silently reads English."""
    missing = [
        code
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
        and not any((Path(base) / code / "LC_MESSAGES" / "django.mo").is_file() for base in settings.LOCALE_PATHS)
    ]
    if not missing:
        return []
    return [
        Error(
            f"No compiled translations for: {', '.join(missing)}; those shoppers would read English.",
            hint="Run `python manage.py translations_compile` in the release build (deploy/README.md).",
            id="common.E002",
        )
    ]
