"""Production settings come from the environment; `check --deploy` stays quiet."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-production-secret-key-with-plenty-of-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "shop.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
    # Several workers share their limits through Redis; without it check --deploy fails (common.E001).
    "REDIS_URL": "redis://cache.internal:6379/0",
    # Uploads go to a bucket; without one check --deploy warns that nothing serves them (common.W001).
    "AWS_STORAGE_BUCKET_NAME": "shop-media",
}

# Justified in README.md ("Deployment checks"): HSTS preload is a decision for the shop's domain.
JUSTIFIED = {"security.W021"}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_only_justified_warnings():
    from django.core.management import call_command

    call_command("translations_compile", verbosity=0)  # as the release build does (common.E002)
    result = run_manage("check", "--deploy", env=PRODUCTION_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    reported = set(re.findall(r"\((\w+\.[WE]\d+)\)", output))
    assert reported <= JUSTIFIED, output


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env={**env, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_session_rows_are_cached_only_in_a_shared_cache():
    """Without REDIS_URL the cache is each process's own memory: API session rows are not kept
    (accounts.tokens), or another worker would answer a row this one changed."""
    show = "from django.conf import settings; print(settings.AUTH_SESSION_CACHE_SECONDS)"
    local = {**PRODUCTION_ENV, "REDIS_URL": "", "AUTH_SESSION_CACHE_SECONDS": "300"}
    assert run_manage("shell", "-v0", "-c", show, env=local).stdout.split() == ["0"]
    assert run_manage("shell", "-v0", "-c", show, env=PRODUCTION_ENV).stdout.split() == ["300"]


def test_check_deploy_fails_when_a_languages_catalogue_is_not_compiled(settings, tmp_path):
    """The .mo files are built, not committed: a release that skipped `translations_compile`
    would show Hindi-speaking shoppers English without a word (common.E002)."""
    from common.checks import translations_compiled_check

    settings.LOCALE_PATHS = [tmp_path]
    (errors,) = translations_compiled_check()
    assert errors.id == "common.E002" and "hi" in errors.msg
    (tmp_path / "hi" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "hi" / "LC_MESSAGES" / "django.mo").write_bytes(b"")
    assert translations_compiled_check() == []


def test_a_web_worker_does_not_load_the_pdf_library_until_a_pdf_is_written():
    """fpdf2 costs a worker about 17 MB (orders.invoice); every URL's view module loads without
    it, so a worker that never writes an invoice PDF never holds it (issue 28: 150 MB a worker)."""
    show = "import sys, config.urls; print(sorted(m for m in ('fpdf', 'uharfbuzz', 'pypdf') if m in sys.modules))"
    assert run_manage("shell", "-v0", "-c", show, env=PRODUCTION_ENV).stdout.split() == ["[]"]
