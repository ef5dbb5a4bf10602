"""A throwaway PgBouncer in transaction mode in front of a PostgreSQL server, for the cluster
test (`make test-cluster-pgbouncer`) and the bench (`bench/bench.py --pgbouncer`).

    with PgBouncer("postgres://postgres@127.0.0.1:5432") as url:
        ...  # url: "postgres://postgres@127.0.0.1:<port>", append "/<database>"

Debian's /usr/sbin/pgbouncer, its configuration, user list, log and pid file in a temporary
folder of its own, listening on loopback only (no Unix socket), every database of the server
behind it (`* =`), authentication `trust` for the server's user (the user list still has to name
it). Debian's 1.18 keeps no prepared statement across transactions (`max_prepared_statements`
came in 1.21), so the app behind it runs with DB_PREPARE_THRESHOLD=0 (see `APP_ENV`). PgBouncer
refuses to run as root: as root it runs as the `postgres` user.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

BINARY = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"

# What the app needs behind a pooler in transaction mode (deploy/README.md, "Behind PgBouncer"):
# no named prepared statement and no WITH HOLD cursor outlives a transaction there.
APP_ENV = {
    "DB_PREPARE_THRESHOLD": "0",
    "DB_SERVER_SIDE_BINDING": "0",
    "DB_DISABLE_SERVER_SIDE_CURSORS": "1",
}


def free_port(start: int = 6432) -> int:
    """The first port from `start` nothing listens on (another run may be using 6432)."""
    for port in range(start, start + 200):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}..{start + 199}")


class PgBouncer:
    def __init__(self, server: str, port: int | None = None, pool_size: int = 20, log: Path | None = None):
        self.server = urlsplit(server)
        self.port = port
        self.pool_size = pool_size
        self.log = log
        self.folder = None
        self.proc = None

    @property
    def url(self) -> str:
        user = self.server.username or "postgres"
        return f"postgres://{user}@127.0.0.1:{self.port}"

    def start(self) -> str:
        """Starts it and returns its URL, without a database name; waits until it answers."""
        if not os.path.exists(BINARY):
            raise RuntimeError("pgbouncer is not installed (apt-get install pgbouncer)")
        self.port = self.port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        user = self.server.username or "postgres"
        log = self.log or self.folder / "pgbouncer.log"
        (self.folder / "userlist.txt").write_text(f'"{user}" ""\n')
        (self.folder / "pgbouncer.ini").write_text(
            "\n".join(
                [
                    "[databases]",
                    f"* = host={self.server.hostname or '127.0.0.1'} port={self.server.port or 5432}",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {self.folder / 'userlist.txt'}",
                    "pool_mode = transaction",
                    f"default_pool_size = {self.pool_size}",
                    "max_client_conn = 1000",
                    # psql and some drivers send it at start-up; PgBouncer would refuse them.
                    "ignore_startup_parameters = extra_float_digits",
                    f"logfile = {log}",
                    f"pidfile = {self.folder / 'pgbouncer.pid'}",
                    "log_connections = 0",
                    "log_disconnections = 0",
                    f"admin_users = {user}",
                    "",
                ]
            )
        )
        command = [BINARY, str(self.folder / "pgbouncer.ini")]
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            for path in [self.folder, *self.folder.iterdir(), log]:
                Path(path).touch(exist_ok=True)
                os.chown(path, owner.pw_uid, owner.pw_gid)
            command += ["-u", "postgres"]
        self.proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pgbouncer exited ({self.proc.returncode}); see {log}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self.url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"pgbouncer did not listen on {self.port}; see {log}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # SIGINT: shut down now, not after the clients
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc):
        self.stop()
