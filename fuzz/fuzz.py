"""Schema fuzzing: `make fuzz` (CI runs a bounded version).

Starts the service on a throwaway SQLite database with the demo data, signs in as the demo
shopper, and runs schemathesis over every operation of /api/v1/schema/ with checks for server
errors and for answers that break the published schema (status codes, content types, bodies,
headers). Extra arguments go to `schemathesis run` (e.g. --max-examples 5).
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PORT = 8300
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance",
])


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        "DEBUG": "1",
        "MEDIA_ROOT": str(workdir / "media"),
        "AUTH_THROTTLE_RATE": "100000/min",  # test the logic behind the limits, not the limits
        "ANONYMOUS_THROTTLE_RATE": "100000/min",
        "LOG_LEVEL": "ERROR",
    }
    run = lambda *args: subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True,
                                       capture_output=True, text=True)
    run("migrate", "-v0")
    run("seed_demo")
    token = run("shell", "-c", (
        "from accounts.models import User; from accounts.tokens import session_start;"
        "print(session_start(user=User.objects.get(email='demo@example.com')).access_token)"
    )).stdout.strip().splitlines()[-1]
    server = subprocess.Popen([str(BIN / "python"), "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        return subprocess.run([
            str(BIN / "schemathesis"), "run", f"http://127.0.0.1:{PORT}/api/v1/schema/?format=json",
            "-u", f"http://127.0.0.1:{PORT}", "-H", f"Authorization: Bearer {token}",
            "--checks", CHECKS, "--request-timeout", "20", *sys.argv[1:],
        ], cwd=ROOT).returncode
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
