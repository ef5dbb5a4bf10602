"""Issue 16.9: DEBUG is off unless asked for.

Before the fix a server started without DEBUG ran in DEBUG, where `x-debug-mode: true` returns
one-time codes to whoever asks. `make run` and `make test` now turn it on themselves.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from common.testing import API, PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def settings_debug(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def test_debug_is_off_when_not_set():
    assert settings_debug(SECRET_KEY="x" * 60) == "False"


def test_without_debug_a_secret_key_is_required():
    assert "SECRET_KEY must be set" in settings_debug()


def test_debug_is_on_only_when_asked_for():
    assert settings_debug(DEBUG="1") == "True"


@pytest.mark.django_db(transaction=True)
def test_debug_header_reveals_no_code_without_debug(api, settings):
    settings.DEBUG = False
    response = api.post(
        f"{API}/auth/register/password",
        {"email": "x@example.com", "password": PASSWORD, "confirm_password": PASSWORD},
        format="json",
        HTTP_X_DEBUG_MODE="true",
    )
    assert response.status_code == 200 and "otp" not in response.json()["content"]
    assert mail.outbox[0].body.split()[0] not in response.content.decode()


def manage(*args, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_runs_on_a_bare_laptop_in_development_mode():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True"


def test_manage_py_with_a_secret_key_keeps_debug_off():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", SECRET_KEY="k" * 60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"
