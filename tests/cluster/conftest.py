"""The multi-server test (`make test-cluster`): two gunicorn servers on loopback ports, one
PostgreSQL database, one Redis, S3 from moto's standalone server, and Celery: one beat for the
session, workers started by the tests that send mail (`celery_worker`), each pointed at an SMTP
server of the test's own; their logs go to test-artifacts/cluster/. `make test` leaves this
folder out (pytest.ini, norecursedirs): it starts real servers, and runs with `make test-cluster`.
Without PostgreSQL, Redis or moto it skips, saying so (common.testing.require_service).

CLUSTER_PGBOUNCER=1 (`make test-cluster-pgbouncer`) puts a PgBouncer in transaction mode
(tests/cluster/pgbouncer.py) between PostgreSQL and everything the cluster starts: both servers,
beat, the workers and `manage_shell`, with the settings a pooler needs (pgbouncer.APP_ENV).
Migrations run straight against PostgreSQL, as in production (deploy/README.md), and so do the
tests' own reads (`cluster_sql`). CLUSTER_PORT_BASE moves the loopback ports (8200 + 1, 2, 3, 10)."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from common.testing import require_service
from notifications.tests.smtp import Worker, beat

from .pgbouncer import APP_ENV, PgBouncer

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "8200"))
PORTS = (PORT_BASE + 1, PORT_BASE + 2)
IN_PROCESS_PORT = PORT_BASE + 3
S3_PORT = PORT_BASE + 10
LOGS = ROOT / "test-artifacts" / "cluster"
PG = os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("CLUSTER_REDIS", "redis://127.0.0.1:6379/15")
DB_PREFIX = os.environ.get("CLUSTER_DB_PREFIX", "cluster")
THROUGH_PGBOUNCER = os.environ.get("CLUSTER_PGBOUNCER", "") not in ("", "0")


def _wait(url: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class Server:
    def __init__(self, port, env):
        self.port, self.env = port, env
        self.base = f"http://127.0.0.1:{port}"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=ROOT,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait(self.base + "/healthz")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def request(self, method, path, body=None, token=None, headers=None, raw=None, content_type=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + "/api/v1/storefront" + path, data=data, method=method)
        request.add_header("Content-Type", content_type or "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.loads(response.read() or b"{}"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}"), dict(exc.headers)


@pytest.fixture(scope="session")
def cluster():
    require_service("postgresql-server", "redis", "moto")
    db = f"{DB_PREFIX}_{uuid.uuid4().hex[:8]}"
    LOGS.mkdir(parents=True, exist_ok=True)
    pooler = PgBouncer(PG, log=LOGS / "pgbouncer.log") if THROUGH_PGBOUNCER else None
    app_pg = pooler.start() if pooler else PG
    env = {
        **os.environ,
        "DATABASE_URL": f"{app_pg}/{db}",
        "REDIS_URL": REDIS,
        "DEBUG": "0",
        "SECRET_KEY": "cluster-secret-key-for-the-multi-server-test-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DB_CONN_MAX_AGE": "60",
        "AWS_STORAGE_BUCKET_NAME": "shop-media",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_ACL": "public-read",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "LOG_LEVEL": "WARNING",
        **(APP_ENV if pooler else {}),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {db}"], check=True)
    s3 = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    servers = [Server(port, env) for port in PORTS]
    scheduler = None
    try:
        _wait(f"http://127.0.0.1:{S3_PORT}/")
        import boto3

        boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        ).create_bucket(Bucket="shop-media")
        # Straight to PostgreSQL, as in production (deploy/README.md, "Behind PgBouncer").
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"{PG}/{db}"},
            check=True,
        )
        subprocess.run(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        # Empties the Redis database: what an earlier run left in the broker's queues goes too.
        subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        for server in servers:
            server.start()
        with open(LOGS / "beat.log", "w") as log:
            scheduler = beat(env, log, LOGS / f"celerybeat-schedule-{db}")
        yield {"servers": servers, "env": env, "db": db, "pgbouncer": pooler}
    finally:
        for server in servers:
            server.kill()
        if scheduler is not None:
            os.killpg(scheduler.pid, signal.SIGKILL)
            scheduler.wait()
            for state in LOGS.glob(f"celerybeat-schedule-{db}*"):
                state.unlink()
        os.killpg(s3.pid, signal.SIGKILL)
        s3.wait()
        if pooler:
            pooler.stop()
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])


def manage_shell(cluster, code: str) -> str:
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=cluster["env"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


@pytest.fixture
def celery_worker(cluster, request):
    """Start workers on the cluster's database and Redis, sending mail to the SMTP server on
    `smtp_port`; extra environment (NOTIFICATIONS_STUCK_SECONDS, ...) as keywords. All are
    killed when the test ends."""
    started = []

    def start(smtp_port: int, **extra) -> Worker:
        env = {
            **cluster["env"],
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
        }
        env.update({name: str(value) for name, value in extra.items()})
        log = open(LOGS / f"{request.node.name}-worker{len(started) + 1}.log", "w")
        worker = Worker(env, log)
        worker.start()
        started.append((worker, log))
        return worker

    yield start
    for worker, log in started:
        worker.kill()
        log.close()


def cluster_sql(cluster, query: str, params=()) -> list[tuple]:
    """Read the cluster's database straight from the test (a `manage_shell` costs a second)."""
    with psycopg.connect(f"{PG}/{cluster['db']}", autocommit=True) as connection:
        return connection.execute(query, params).fetchall()
