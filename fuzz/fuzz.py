"""Schema fuzzing: `make fuzz` (CI runs a bounded version).

Starts the service (DEBUG on, limits set huge: the fuzzer tests the logic behind the limits, not
the limits) on a throwaway database with the demo data, and runs schemathesis over every
operation of /api/v1/schema/ with checks for server errors and for answers that break the
published schema (status codes, content types, bodies, headers).

- Database: a SQLite file in a temporary directory, or, when DATABASE_URL points to PostgreSQL
  (as in CI), a database of its own on that server, `<name>_fuzz`, created and dropped here.
- Signed in: fuzz/hooks.py gives every request a live session of a seeded shopper (fuzz/pool.py;
  one per operation, one for the stateful phase), signs in again (or takes the next shopper) when
  a token stops working, and puts the shopper's own ids into paths and bodies part of the time.
- Two schemathesis runs: everything except the session-ending operations, then those alone
  (logout, change-password, delete-user, reset-password, refresh-token), each with its own shoppers.
- Fails when schemathesis fails, or when an operation was answered only 401/403 (schemathesis's
  "Authentication failed" warning, `fail-on` in fuzz/schemathesis.toml, and the run's own tally).

Extra arguments go to both `schemathesis run`s (e.g. --max-examples 25, --seed N, --workers 2);
FUZZ_RUNS=main or FUZZ_RUNS=session-ending runs only one of them.
Reports (JSON per run, server log, answer tallies) land in test-artifacts/fuzz/.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("FUZZ_PORT", "8300"))
ARTIFACTS = ROOT / "test-artifacts" / "fuzz"
RUN_TIMEOUT = int(os.environ.get("FUZZ_RUN_TIMEOUT", "3600"))  # seconds for each schemathesis run
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
# Operations that end the session or the account they run under: run apart, after the rest.
SESSION_ENDING = ["logout", "change-password", "delete-user", "reset-password", "refresh-token"]
SESSION_ENDING_RE = "^(" + "|".join(re.escape(op) for op in SESSION_ENDING) + ")$"
RUNS = [
    # name, schemathesis filter, session per (fuzz/hooks.py), shoppers seeded up front, most shoppers
    ("main", ["--exclude-operation-id-regex", SESSION_ENDING_RE], "operation", 50, 150),
    ("session-ending", ["--include-operation-id-regex", SESSION_ENDING_RE], "operation", 24, 300),
]


@contextmanager
def fuzz_database(workdir: Path):
    """The DATABASE_URL the fuzz server uses: SQLite in workdir, or `<name>_fuzz` on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        yield f"sqlite:///{workdir / 'fuzz.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"{parts.path.lstrip('/') or 'postgres'}_fuzz"
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def admin_run(*statements):
        with psycopg.connect(admin, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    admin_run(drop, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin_run(drop)


def wait_until_up(server: subprocess.Popen) -> None:
    for _ in range(150):  # 30 s
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the server exited with {server.returncode} (see {ARTIFACTS / 'server.log'})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("fuzz: the server did not answer /healthz within 30 s")


def schemathesis_run(
    name: str, filters: list[str], scope: str, most: int, env: dict, workdir: Path, extra: list[str]
) -> dict:
    report = ARTIFACTS / f"{name}.json"
    stats = ARTIFACTS / f"{name}-answers.json"
    for path in (report, stats):
        path.unlink(missing_ok=True)
    run_env = {
        **env,
        "SCHEMATHESIS_HOOKS": str(ROOT / "fuzz" / "hooks.py"),
        "FUZZ_API": f"http://127.0.0.1:{PORT}/api/v1/storefront",
        "FUZZ_POOL": str(workdir / f"pool-{name}.jsonl"),
        "FUZZ_POOL_PREFIX": f"fuzz-{name}",
        "FUZZ_POOL_MAX": str(most),
        "FUZZ_SESSION_SCOPE": scope,
        "FUZZ_STATS": str(stats),
    }
    print(f"\n==== schemathesis: {name} operations ====", flush=True)
    started = time.monotonic()
    try:
        returncode = subprocess.run(
            [
                str(BIN / "schemathesis"),
                "--config-file",
                str(ROOT / "fuzz" / "schemathesis.toml"),
                "run",
                f"http://127.0.0.1:{PORT}/api/v1/schema/?format=json",
                "-u",
                f"http://127.0.0.1:{PORT}",
                "--checks",
                CHECKS,
                "--request-timeout",
                "20",
                *filters,
                "--report",
                "json",
                "--report-json-path",
                str(report),
                *extra,
            ],
            cwd=ROOT,
            env=run_env,
            timeout=RUN_TIMEOUT,
        ).returncode
    except subprocess.TimeoutExpired:
        print(f"fuzz: {name} still running after {RUN_TIMEOUT}s; stopped", flush=True)
        returncode = "timeout"
    result = {"name": name, "returncode": returncode, "seconds": time.monotonic() - started}
    result["report"] = json.loads(report.read_text()) if report.exists() else {}
    result["stats"] = json.loads(stats.read_text()) if stats.exists() else {}
    return result


def summarize(result: dict) -> list[str]:
    """Print what the run reached; return the reasons it fails."""
    answers = result["stats"].get("answers", {})
    reached = sorted(label for label, codes in answers.items() if any(200 <= int(c) < 300 for c in codes))
    auth_only = sorted(label for label, codes in answers.items() if codes and {int(c) for c in codes} <= {401, 403})
    missing_auth = result["report"].get("warnings", {}).get("missing_auth", [])
    stats = result["stats"]
    print(
        f"fuzz {result['name']}: {result['seconds']:.0f}s; {len(reached)} of {len(answers)} operations answered 2xx;"
        f" {stats.get('sign_ins', 0)} sign-ins ({stats.get('sign_in_failures', 0)} refused),"
        f" {stats.get('shoppers_used', 0)} shoppers of {stats.get('pool_size', 0)}"
    )
    for label in sorted(set(answers) - set(reached)):
        print(f"  no 2xx: {label} {dict(sorted(answers[label].items()))}")
    failures = []
    if result["returncode"] != 0:
        failures.append(f"{result['name']}: schemathesis exited with {result['returncode']}")
    if missing_auth or auth_only:
        failures.append(
            f"{result['name']}: operations answered only 401/403: {sorted(set(missing_auth) | set(auth_only))}"
        )
    if not result["stats"]:
        failures.append(f"{result['name']}: no answers were tallied (fuzz/hooks.py not loaded?)")
    return failures


def server_errors() -> list[str]:
    """The server's ERROR log lines (a 500's traceback starts with one), once each."""
    log = ARTIFACTS / "server.log"
    if not log.exists():
        return []
    lines = log.read_text(errors="replace").splitlines()
    return list(dict.fromkeys(line.split(" ERROR ", 1)[1] for line in lines if " ERROR " in line))


def main() -> int:
    extra = sys.argv[1:]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    server = None
    try:
        with fuzz_database(workdir) as database_url:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "DEBUG": "1",
                "MEDIA_ROOT": str(workdir / "media"),
                "AUTH_THROTTLE_RATE": "100000/min",  # test the logic behind the limits, not the limits
                "ANONYMOUS_THROTTLE_RATE": "100000/min",
                "LOGIN_FAILURE_LIMIT": "1000000",  # the fuzzer's own wrong passwords must not lock it out
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",  # built and dropped
                "LOG_LEVEL": "ERROR",
            }

            def manage(*args):
                command = [str(BIN / "python"), "manage.py", *args]
                return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)

            manage("migrate", "-v0")
            manage("seed_demo")
            only = os.environ.get("FUZZ_RUNS", "").split(",") if os.environ.get("FUZZ_RUNS") else None
            runs = [run for run in RUNS if only is None or run[0] in only]
            for name, _filters, _scope, count, _most in runs:
                subprocess.run(
                    [
                        str(BIN / "python"),
                        "fuzz/pool.py",
                        "--prefix",
                        f"fuzz-{name}",
                        "--count",
                        str(count),
                        "--out",
                        str(workdir / f"pool-{name}.jsonl"),
                    ],
                    cwd=ROOT,
                    env=env,
                    check=True,
                )
            with open(ARTIFACTS / "server.log", "w") as log:
                server = subprocess.Popen(
                    [str(BIN / "python"), "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            wait_until_up(server)
            results = [
                schemathesis_run(name, filters, scope, most, env, workdir, extra)
                for name, filters, scope, _count, most in runs
            ]
            print("\n==== fuzz summary ====")
            failures = [reason for result in results for reason in summarize(result)]
            errors = server_errors()
            for line in errors[:20]:
                print(f"  server error: {line[:300]}")
            if errors:
                failures.append(f"the server logged {len(errors)} distinct errors (test-artifacts/fuzz/server.log)")
            for reason in failures:
                print(f"FAIL {reason}")
            print(f"fuzz: reports in {ARTIFACTS.relative_to(ROOT)}/")
            return 1 if failures else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
