"""The one policy for tests that need a service (common.testing.require_service): skipped with
the reason where it is missing, a failure with REQUIRE_SERVICES=1 (as `.ci/run` sets)."""

import os
import subprocess
import sys

import pytest

from common import testing


@pytest.fixture
def missing(monkeypatch):
    monkeypatch.setitem(testing.SERVICES, "gone", lambda: "nothing answers at example:1")
    monkeypatch.setitem(testing.SERVICES, "here", lambda: None)


def test_a_missing_service_skips_with_the_reason(missing, monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    testing.require_service("here")  # nothing happens
    with pytest.raises(pytest.skip.Exception, match="needs gone: nothing answers at example:1"):
        testing.require_service("here", "gone")


def test_with_the_switch_a_missing_service_fails(missing, monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    testing.require_service("here")
    with pytest.raises(pytest.fail.Exception, match="needs gone: .*REQUIRE_SERVICES=1"):
        testing.require_service("gone")


@pytest.mark.parametrize("switch, outcome", [("", "1 skipped"), ("1", "1 error")])
def test_the_marker_skips_or_fails_a_whole_test(switch, outcome):
    """A real run of a test marked `requires_service("redis")`, with Redis pointed at a closed
    port: skipped with the reason, or with the switch on, failed (at setup: an error)."""
    env = {**os.environ, "DEBUG": "1", "TEST_REDIS_URL": "redis://127.0.0.1:1/0", "REQUIRE_SERVICES": switch}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rsf",
            "common/tests/test_cache.py",
            "-k",
            "forked",
        ],
        cwd=testing.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in result.stdout, result.stdout + result.stderr
    assert (result.returncode != 0) == bool(switch), result.stdout
    assert "needs redis: no Redis answers at redis://127.0.0.1:1/0" in result.stdout, result.stdout
