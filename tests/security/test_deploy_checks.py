"""Issue 16, item 8: production does not start silently without a shared cache.

Rate limits, sign-in lockouts, code windows and idempotency keys live in the default cache. With
DEBUG off and no REDIS_URL that cache is per process (locmem), so every limit is N times looser
with N workers: `manage.py check --deploy` fails with `common.E001`.
"""

import pytest

from common.checks import shared_cache_check
from common.tests.test_settings import PRODUCTION_ENV, run_manage

REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/0"}}


def test_check_deploy_fails_without_redis_url():
    result = run_manage("check", "--deploy", env={**PRODUCTION_ENV, "REDIS_URL": ""})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "common.E001" in output and "REDIS_URL" in output


def test_check_deploy_passes_with_redis_url():
    from django.core.management import call_command

    call_command("translations_compile", verbosity=0)  # as the release build does (common.E002)
    result = run_manage("check", "--deploy", env={**PRODUCTION_ENV, "REDIS_URL": "redis://cache.internal:6379/0"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "common.E001" not in output


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"]
)
def test_a_per_process_cache_is_an_error_when_debug_is_off(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend}}
    errors = shared_cache_check()
    assert [error.id for error in errors] == ["common.E001"]
    assert errors[0].is_serious()


def test_a_shared_cache_or_debug_is_fine(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS
    assert shared_cache_check() == []
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert shared_cache_check() == []


def test_uploads_served_by_nothing_are_a_deploy_warning(settings):
    """An outside attack in the production profile found every photo URL answering 404: with
    DEBUG off and no bucket, nothing serves MEDIA_ROOT."""
    from common.checks import media_served_check

    settings.DEBUG, settings.AWS_STORAGE_BUCKET_NAME, settings.MEDIA_SERVED_BY_WEB_SERVER = False, "", False
    [warning] = media_served_check()
    assert warning.id == "common.W001" and "MEDIA_SERVED_BY_WEB_SERVER" in warning.hint
    settings.MEDIA_SERVED_BY_WEB_SERVER = True
    assert media_served_check() == []
    settings.MEDIA_SERVED_BY_WEB_SERVER, settings.AWS_STORAGE_BUCKET_NAME = False, "shop-media"
    assert media_served_check() == []
    settings.AWS_STORAGE_BUCKET_NAME, settings.DEBUG = "", True
    assert media_served_check() == []
