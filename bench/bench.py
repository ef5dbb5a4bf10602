"""The benchmark: `make bench` (or `python bench/bench.py`).

For each data size (10k and 1M orders) it creates and seeds a PostgreSQL database once (kept for
later runs), starts gunicorn with production settings, and drives wrk over the busiest requests,
each run next to a run of the floor endpoint (an authenticated fixed JSON through the same
middleware, authentication and renderer), then the floor and the order reads again with one
connection per worker (latency without queueing). It counts the SQL queries of each request in-process,
and writes bench/RESULTS.md and bench/ratios.png.

Options: --sizes 10k,1m  --duration 8  --connections 16  --workers 3  --keep-db
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 8100
SIZES = {
    # name: (customers, orders per customer, orders of the deep customer)
    "10k": (100, 50, 5000),
    "1m": (19900, 50, 5000),
}
PG = "postgres://postgres@127.0.0.1:5432"


def env_for(db: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DB_CONN_MAX_AGE": "600",
        "BENCH_FLOOR": "1",
        # Production runs on Redis (`check --deploy` insists): limits and the session cache live there.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ACCESS_TOKEN_MINUTES": "600",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
    }


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def psql(sql: str) -> str:
    return subprocess.run(["psql", f"{PG}/postgres", "-tAc", sql], check=True, text=True, capture_output=True).stdout.strip()


def ensure_database(size: str, keep: bool) -> str:
    db = f"bench_{size}"
    customers, per_customer, deep = SIZES[size]
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    env = env_for(db)
    if exists and keep:
        seeded = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c",
             "from orders.models import Order; print(Order.objects.filter(number__startswith='ORD-U').count())"],
            cwd=ROOT, env=env, text=True, capture_output=True,
        ).stdout.strip().splitlines()[-1:] or [""]
        seeded = seeded[0]  # the last line: `shell` may print its auto-imports first
        if seeded.isdigit() and int(seeded) >= customers * per_customer * 0.9:
            print(f"[{size}] reusing database {db} ({int(seeded):,} bulk orders)")
            run([PYTHON, "manage.py", "migrate", "-v0"], env=env)
            return db
    psql(f"DROP DATABASE IF EXISTS {db}")
    psql(f"CREATE DATABASE {db}")
    run([PYTHON, "manage.py", "migrate", "-v0"], env=env)
    print(f"[{size}] seeding {customers:,} customers ...")
    started = time.monotonic()
    run([PYTHON, "manage.py", "seed_demo", "--force", "--customers", str(customers),
         "--orders-per-customer", str(per_customer), "--deep-orders", str(deep)], env=env)
    print(f"[{size}] seeded in {time.monotonic() - started:,.0f}s")
    return db


FIXTURE_SCRIPT = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
from accounts.tokens import session_start
from loyalty.models import PointsEntry
from loyalty.services import loyalty_account_ensure, points_adjust
from orders.models import Order

user = User.objects.get(email="bench-0@example.com")
account = loyalty_account_ensure(customer=user)
for n in range(60 - PointsEntry.objects.filter(account=account).count()):
    points_adjust(customer=user, points=10, remarks=f"Bench bonus {n}")
web = SessionStore()
web[SESSION_KEY], web[BACKEND_SESSION_KEY], web[HASH_SESSION_KEY] = (
    user.pk, "accounts.backends.EmailOrPhoneBackend", user.get_session_auth_hash())
web.create()
orders = Order.objects.filter(customer=user).count()
print(json.dumps({
    "user_id": user.pk,
    "token": session_start(user=user).access_token,
    "session": web.session_key,
    "order": Order.objects.filter(customer=user).order_by("-order_date").values_list("number", flat=True)[7],
    "deep_page": max(1, orders // 20 - 1),
    "orders": orders,
}))
"""


def fixtures(env) -> dict:
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", FIXTURE_SCRIPT], cwd=ROOT, env=env, text=True,
                         capture_output=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def endpoints(f: dict) -> list[tuple[str, str, str]]:
    api = "/api/v1/storefront"
    uid = f["user_id"]
    return [
        ("GET /orders p1", "api", f"{api}/orders?user_id={uid}&page=1&limit=20"),
        (f"GET /orders p{f['deep_page']}", "api", f"{api}/orders?user_id={uid}&page={f['deep_page']}&limit=20"),
        ("GET /orders/{n}", "api", f"{api}/orders/{f['order']}"),
        ("GET addresses", "api", f"{api}/customers/{uid}/addresses"),
        ("GET loyalty activity", "api", f"{api}/customers/{uid}/loyalty-points-activity?limit=20"),
        ("GET reviews", "api", f"{api}/customers/{uid}/reviews"),
        ("portal order history", "web", "/account/orders/"),
    ]


QUERY_SCRIPT = r"""
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
spec = json.loads(sys.stdin.read())
counts = {}
for name, kind, url in spec["endpoints"]:
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": "Bearer " + spec["token"]} if kind == "api" else {}
    if kind == "web":
        client.cookies["sessionid"] = spec["session"]
    client.get(url, **headers)  # warm
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url, **headers).status_code
    counts[name] = {"queries": len(ctx.captured_queries), "status": status}
print(json.dumps(counts))
"""


def query_counts(env, f, eps) -> dict:
    floor = ("floor", "api", "/api/v1/storefront/bench/floor")
    spec = json.dumps({"token": f["token"], "session": f["session"], "endpoints": [floor, *eps]})
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", QUERY_SCRIPT], cwd=ROOT, env=env, text=True,
                         input=spec, capture_output=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_server(env, workers: int):
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(workers), "--worker-class", "sync", "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])


def stop_server(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def wrk(url: str, header: str, duration: int, connections: int) -> dict:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(BENCH / "auth.lua"),
         f"http://127.0.0.1:{PORT}{url}"],
        env={**os.environ, "BENCH_HEADER": header}, text=True, capture_output=True, check=True,
    ).stdout

    def latency(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", result, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def bench_size(size: str, args) -> dict:
    db = ensure_database(size, keep=args.keep_db)
    env = env_for(db)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    f = fixtures(env)
    eps = endpoints(f)
    queries = query_counts(env, f, eps)
    server = start_server(env, args.workers)
    results = []
    try:
        api_header = f"Authorization: Bearer {f['token']}"
        web_header = f"Cookie: sessionid={f['session']}"
        wrk("/api/v1/storefront/bench/floor", api_header, 2, args.connections)  # warm up
        for name, kind, url in eps:
            floor = wrk("/api/v1/storefront/bench/floor", api_header, args.duration, args.connections)
            got = wrk(url, api_header if kind == "api" else web_header, args.duration, args.connections)
            results.append({"name": name, "url": url, **got, "floor_rps": floor["rps"],
                            "ratio": floor["rps"] / got["rps"] if got["rps"] else float("inf"),
                            "queries": queries[name]["queries"], "status": queries[name]["status"]})
            print(f"[{size}] {name:<24} {got['rps']:8.0f} req/s  p50 {got['p50']:6.1f} ms  p99 {got['p99']:6.1f} ms"
                  f"  floor {floor['rps']:6.0f}  ratio {results[-1]['ratio']:4.1f}x  queries {results[-1]['queries']}")
        # The same requests with one connection per worker: latency without waiting in the queue.
        unqueued = []
        for name, kind, url in [("floor", "api", "/api/v1/storefront/bench/floor"), *eps[:3]]:
            got = wrk(url, api_header if kind == "api" else web_header, args.duration, args.workers)
            unqueued.append({"name": name, **got})
            print(f"[{size}] {name:<24} {args.workers} connections: {got['rps']:6.0f} req/s  p50 {got['p50']:5.1f} ms"
                  f"  p99 {got['p99']:5.1f} ms")
    finally:
        stop_server(server)
    return {"size": size, "orders": f["orders"], "floor_queries": queries["floor"]["queries"], "results": results,
            "unqueued": unqueued, "seed": SIZES[size]}


def chart(runs: list[dict], path: Path):
    """Bars of each endpoint's floor/endpoint ratio, one colour per size (Pillow, no plotting lib)."""
    from PIL import Image, ImageDraw

    names = [r["name"] for r in runs[0]["results"]]
    width, row, left = 960, 34, 240
    height = 80 + row * len(names) * len(runs) + 40
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    colours = ["#0f6b5c", "#e5a100", "#6b7280"]
    top = max(max(r["ratio"] for r in run["results"]) for run in runs)
    scale = (width - left - 80) / max(top, 4.5)
    draw.text((20, 15), "Floor throughput / endpoint throughput (lower is better; target line at 4x)", fill="black")
    for i, run in enumerate(runs):
        draw.rectangle((20 + 160 * i, 40, 32 + 160 * i, 52), fill=colours[i])
        draw.text((38 + 160 * i, 40), f"{run['size']} ({run['orders']:,} orders deep)", fill="black")
    y = 70
    for name in names:
        for i, run in enumerate(runs):
            result = next(r for r in run["results"] if r["name"] == name)
            draw.text((20, y + 8), name if i == 0 else "", fill="black")
            draw.rectangle((left, y + 4, left + result["ratio"] * scale, y + row - 8), fill=colours[i])
            draw.text((left + result["ratio"] * scale + 6, y + 8), f"{result['ratio']:.1f}x", fill="black")
            y += row
    x4 = left + 4 * scale
    draw.line((x4, 60, x4, y), fill="#b42318", width=2)
    image.save(path)


def write_results(runs: list[dict], args):
    lines = [
        "# Benchmark results",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` ({' '.join(sys.argv[1:]) or 'defaults'}).",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; Python {platform.python_version()}",
        f"- Server: gunicorn {args.workers} sync workers, DEBUG off, PostgreSQL "
        f"{psql('SHOW server_version')}, persistent connections (CONN_MAX_AGE 600), same machine as wrk",
        f"- Load: wrk, 2 threads, {args.connections} connections, {args.duration}s per run; each endpoint run is "
        "preceded by a floor run and compared with it",
        "- Requests as the shopper with the long (5,000-order) history; `GET /orders` pages of 20 with items",
        "- Queries: counted in-process per request, the session/user lookup of the bearer token included",
        "",
        "![ratios](ratios.png)",
        "",
    ]
    for run in runs:
        customers, per, deep = run["seed"]
        lines += [
            f"## {run['size']}: {customers:,} customers, {(customers - 1) * per + deep:,} orders",
            "",
            "| request | req/s | p50 ms | p99 ms | floor req/s | floor / endpoint | queries | non-2xx |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run["results"]:
            lines.append(f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['floor_rps']:,.0f} | "
                         f"{r['ratio']:.2f}x | {r['queries']} | {r['non_2xx']} |")
        lines += ["", f"Floor: {run['floor_queries']} query per request.", "",
                  f"With {args.workers} connections (one per worker, so no request waits for a worker):", "",
                  "| request | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
        lines += [f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} |" for r in run["unqueued"]]
        lines.append("")
    if len(runs) == 2:
        small = {r["name"]: r for r in runs[0]["results"]}
        lines += ["## Growth with the data", "", "| request | 1M req/s / 10k req/s |", "|---|---:|"]
        for r in runs[1]["results"]:
            lines.append(f"| {r['name']} | {r['rps'] / small[r['name']]['rps']:.2f} |")
        lines.append("")
    (BENCH / "RESULTS.md").write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,1m")
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true", help="reuse a seeded database from an earlier run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk); `make bench` installs it.")
    runs = [bench_size(size, args) for size in args.sizes.split(",")]
    write_results(runs, args)
    chart(runs, BENCH / "ratios.png")
    print(f"Wrote {BENCH / 'RESULTS.md'} and {BENCH / 'ratios.png'}")


if __name__ == "__main__":
    main()
