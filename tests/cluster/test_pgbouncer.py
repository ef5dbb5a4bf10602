"""Behind PgBouncer in transaction mode (tests/cluster/pgbouncer.py): what the app must switch
off there (server-side cursors, prepared statements), shown against a PgBouncer of the test's
own in both cluster runs, and, in the CLUSTER_PGBOUNCER=1 run, proof that the cluster's traffic
really went through the pooler."""

import json
import subprocess
from urllib.parse import urlsplit

import psycopg

from .conftest import BIN, LOGS, PG, ROOT, THROUGH_PGBOUNCER
from .pgbouncer import APP_ENV, PgBouncer
from .test_cluster import make_user, sign_in

# `.iterator()` takes a row, then another client opens a transaction: PgBouncer hands it the
# idle server connection that was just used (the most recent first), so the iterator's next
# FETCH runs on another server connection, where a cursor declared WITH HOLD does not exist.
ITERATE_WHILE_ANOTHER_CLIENT_HOLDS_THE_CONNECTION = """
import json, os, psycopg
from django.contrib.contenttypes.models import ContentType
rows = ContentType.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=1)
first = next(rows)
other = psycopg.connect(os.environ["DATABASE_URL"])
other.execute("SELECT 1")
try:
    print(json.dumps({"rows": 1 + len(list(rows))}))
except Exception as exc:
    print(json.dumps({"error": str(exc)}))
finally:
    other.rollback()
    other.close()
"""

# The same with a statement of the hot reads' cursor (common.sqlrows.prepared_cursor): run often
# enough, psycopg prepares it on the server connection, then believes it prepared on the next one.
PREPARED_WHILE_ANOTHER_CLIENT_HOLDS_THE_CONNECTION = """
import json, os, psycopg
from django.db import connection
from common.sqlrows import prepared_cursor
def count():
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT count(*) FROM django_content_type WHERE id > %s", [0])
        return cursor.fetchone()[0]
for _ in range(8):
    count()
other = psycopg.connect(os.environ["DATABASE_URL"])
other.execute("SELECT 1")
try:
    print(json.dumps({"rows": count()}))
except Exception as exc:
    print(json.dumps({"error": str(exc)}))
finally:
    other.rollback()
    other.close()
"""


def _shell(cluster, script: str, url: str, **settings) -> dict:
    env = {**cluster["env"], **APP_ENV, "DATABASE_URL": f"{url}/{cluster['db']}", **settings}
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_iterators_read_every_row_behind_pgbouncer_only_without_server_side_cursors(cluster):
    with psycopg.connect(f"{PG}/{cluster['db']}", autocommit=True) as connection:
        (count,) = connection.execute("SELECT count(*) FROM django_content_type").fetchone()
    assert count > 2
    with PgBouncer(PG, log=LOGS / "pgbouncer-iterator.log") as url:
        assert _shell(cluster, ITERATE_WHILE_ANOTHER_CLIENT_HOLDS_THE_CONNECTION, url) == {"rows": count}
        # The same with Django's server-side cursors on: the setting is what makes it work.
        broken = _shell(
            cluster, ITERATE_WHILE_ANOTHER_CLIENT_HOLDS_THE_CONNECTION, url, DB_DISABLE_SERVER_SIDE_CURSORS="0"
        )
    assert "does not exist" in broken.get("error", ""), broken


def test_hot_reads_keep_working_behind_pgbouncer_only_without_prepared_statements(cluster):
    with psycopg.connect(f"{PG}/{cluster['db']}", autocommit=True) as connection:
        (count,) = connection.execute("SELECT count(*) FROM django_content_type").fetchone()
    with PgBouncer(PG, log=LOGS / "pgbouncer-prepared.log") as url:
        assert _shell(cluster, PREPARED_WHILE_ANOTHER_CLIENT_HOLDS_THE_CONNECTION, url) == {"rows": count}
        # With psycopg preparing after 5 runs (the default, right for a direct connection):
        broken = _shell(cluster, PREPARED_WHILE_ANOTHER_CLIENT_HOLDS_THE_CONNECTION, url, DB_PREPARE_THRESHOLD="5")
    assert "does not exist" in broken.get("error", ""), broken


def _transactions(pooler, db: str) -> int:
    with psycopg.connect(f"{pooler.url}/pgbouncer", autocommit=True, prepare_threshold=None) as admin:
        cursor = admin.execute("SHOW STATS")
        columns = [column.name for column in cursor.description]
        stats = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
    return stats.get(db, {}).get("total_xact_count", 0)


def test_the_servers_and_shells_reach_postgresql_the_way_the_run_says(cluster):
    """CLUSTER_PGBOUNCER=1: every app process has the pooler's URL and settings, and a sign-in
    on either server shows up in the pooler's count of this database's transactions; otherwise
    they go straight to PostgreSQL. (The workers and beat get the same environment.)"""
    app_port = urlsplit(cluster["env"]["DATABASE_URL"]).port
    pooler = cluster["pgbouncer"]
    if not THROUGH_PGBOUNCER:
        assert pooler is None and app_port == urlsplit(PG).port
        return
    assert app_port == pooler.port
    assert {name: cluster["env"][name] for name in APP_ENV} == APP_ENV
    before = _transactions(pooler, cluster["db"])
    make_user(cluster, "pooled@example.com")
    after_shell = _transactions(pooler, cluster["db"])
    assert after_shell > before
    for server in cluster["servers"]:
        if server.proc.poll() is not None:  # the crash test leaves one killed
            server.start()
        counted = _transactions(pooler, cluster["db"])
        assert sign_in(server, "pooled@example.com")["access_token"]
        assert _transactions(pooler, cluster["db"]) > counted
