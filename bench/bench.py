"""The benchmark: `make bench` (or `python bench/bench.py`).

For each data size (10k and 1M orders) it creates and seeds a PostgreSQL database once (kept for
later runs), starts gunicorn with production settings (PostgreSQL, Redis), and drives wrk over
the busiest requests, each run next to runs of both floors: /healthz (no authentication, no
database) and the authenticated floor (a fixed JSON through the same middleware, authentication
and renderer); then the floors and the order reads again with one connection per worker (latency
without queueing). It counts the SQL queries of each request in-process, measures one worker's
memory over 20,000 requests (by default at 1m only), and writes bench/RESULTS.md and bench/ratios.png.

Options: --sizes 10k,1m  --duration 5  --repeats 1  --connections 16  --workers 2  --keep-db  --no-memory
  --memory-sizes 1m  --memory-requests 20000  --pgbouncer
(--pgbouncer: each size again with gunicorn going through PgBouncer in transaction mode,
tests/cluster/pgbouncer.py, beside the direct figures)
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
    return subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", sql], check=True, text=True, capture_output=True
    ).stdout.strip()


def ensure_database(size: str, keep: bool) -> str:
    db = f"bench_{size}"
    customers, per_customer, deep = SIZES[size]
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    env = env_for(db)
    if exists and keep:
        seeded = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "from orders.models import Order; print(Order.objects.filter(number__startswith='ORD-U').count())",
            ],
            cwd=ROOT,
            env=env,
            text=True,
            capture_output=True,
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
    run(
        [
            PYTHON,
            "manage.py",
            "seed_demo",
            "--force",
            "--customers",
            str(customers),
            "--orders-per-customer",
            str(per_customer),
            "--deep-orders",
            str(deep),
        ],
        env=env,
    )
    print(f"[{size}] seeded in {time.monotonic() - started:,.0f}s")
    return db


FIXTURE_SCRIPT = r"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from accounts.models import User
from accounts.tokens import session_start, sessions_end_for_user
from common.exceptions import DomainError
from loyalty.models import PointsEntry
from loyalty.services import loyalty_account_ensure, points_adjust
from orders.models import Order, OrderReturn, OrderStatus, Resolution
from orders.services.returns import ReturnRequestLine, return_create

user = User.objects.get(email="bench-0@example.com")
# Each run starts with only its own sessions (its token and its cookie): the sessions page then
# lists the same two whatever ran before.
sessions_end_for_user(user=user, reason="bench")
account = loyalty_account_ensure(customer=user)
for n in range(60 - PointsEntry.objects.filter(account=account).count()):
    points_adjust(customer=user, points=10, remarks=f"Bench bonus {n}")
# The website's session, in whatever store the site is configured with (the database, or the
# cache in front of it), as a sign-in would write it.
web = import_module(settings.SESSION_ENGINE).SessionStore()
web[SESSION_KEY], web[BACKEND_SESSION_KEY], web[HASH_SESSION_KEY] = (
    user.pk, "accounts.backends.EmailOrPhoneBackend", user.get_session_auth_hash())
web.create()
# A return to show: the shopper's own, or one asked for now on a delivered order (the service's
# rules: inside the window, what is still returnable).
found = OrderReturn.objects.filter(order__customer=user).select_related("order").order_by("-created_at").first()
if found is None:
    delivered = Order.objects.filter(customer=user, status__in=[OrderStatus.DELIVERED, OrderStatus.COMPLETE])
    for order in delivered.order_by("-order_date")[:40]:
        item = order.items.order_by("id").first()
        if item is None:
            continue
        try:
            found = return_create(order=order, lines=[ReturnRequestLine(
                order_item=item, quantity=1, reason="Bench: too small", resolution=Resolution.REFUND)])
            break
        except DomainError:
            continue
orders = Order.objects.filter(customer=user).count()
print(json.dumps({
    "user_id": user.pk,
    "token": session_start(user=user).access_token,
    "session": web.session_key,
    "cookie": settings.SESSION_COOKIE_NAME,
    "order": Order.objects.filter(customer=user).order_by("-order_date").values_list("number", flat=True)[7],
    "deep_page": max(1, orders // 20 - 1),
    "web_deep_page": min(200, max(1, orders // 10)),
    "return": [found.order.number, found.request_number] if found else None,
    "orders": orders,
}))
"""


def fixtures(env) -> dict:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", FIXTURE_SCRIPT],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def endpoints(f: dict) -> list[tuple[str, str, str]]:
    """(name, kind, URL): the API's reads with the bearer token ("api"), and the website's pages
    with the session cookie ("web")."""
    api = "/api/v1/storefront"
    uid = f["user_id"]
    rows = [
        ("GET /orders p1", "api", f"{api}/orders?user_id={uid}&page=1&limit=20"),
        (f"GET /orders p{f['deep_page']}", "api", f"{api}/orders?user_id={uid}&page={f['deep_page']}&limit=20"),
        ("GET /orders/{n}", "api", f"{api}/orders/{f['order']}"),
        ("GET addresses", "api", f"{api}/customers/{uid}/addresses"),
        ("GET loyalty activity", "api", f"{api}/customers/{uid}/loyalty-points-activity?limit=20"),
        ("GET reviews", "api", f"{api}/customers/{uid}/reviews"),
        ("GET buy-it-again", "api", f"{api}/orders/buy-it-again"),
        ("GET documents", "api", f"{api}/customers/{uid}/documents"),
        ("GET /auth/sessions", "api", f"{api}/auth/sessions"),
        ("GET countries", "api", f"{api}/common/countries"),
        ("GET IN states", "api", f"{api}/common/countries/IN/states"),
        ("GET IN pincodes", "api", f"{api}/common/countries/IN/pincodes?pincode=5600"),
        ("page: overview", "web", "/account/"),
        ("page: orders p1", "web", "/account/orders/"),
        (f"page: orders p{f['web_deep_page']}", "web", f"/account/orders/?page={f['web_deep_page']}"),
        ("page: order", "web", f"/account/orders/{f['order']}/"),
        ("page: addresses", "web", "/account/addresses/"),
        ("page: rewards", "web", "/account/rewards/"),
        ("page: reviews", "web", "/account/reviews/"),
        ("page: messages", "web", "/account/messages/"),
        ("page: wishlist", "web", "/account/wishlist/"),
    ]
    if f.get("return"):
        number, reference = f["return"]
        rows.append(("page: return", "web", f"/account/orders/{number}/returns/{reference}/"))
    rows.append(("page: business & documents", "web", "/account/business/"))
    rows.append(("page: profile", "web", "/account/profile/"))
    rows.append(("page: sessions", "web", "/account/profile/sessions/"))
    rows.append(("page: confirm it's you", "web", "/account/profile/confirm/"))
    rows.append(("page: accessibility", "web", "/accessibility"))
    return rows


def headers_for(f: dict) -> dict:
    """The header each kind of request is sent with, as wrk's `Name: value`."""
    return {
        "api": f"Authorization: Bearer {f['token']}",
        "web": f"Cookie: {f.get('cookie', 'sessionid')}={f['session']}",
        "none": "X-Bench: 1",
    }


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
        client.cookies[spec["cookie"]] = spec["session"]
    client.get(url, **headers)  # warm
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url, **headers).status_code
    counts[name] = {"queries": len(ctx.captured_queries), "status": status}
print(json.dumps(counts))
"""


def query_counts(env, f, eps) -> dict:
    floor = ("floor", "api", "/api/v1/storefront/bench/floor")
    spec = json.dumps({"token": f["token"], "session": f["session"], "cookie": f["cookie"], "endpoints": [floor, *eps]})
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", QUERY_SCRIPT],
        cwd=ROOT,
        env=env,
        text=True,
        input=spec,
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_server(env, workers: int):
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
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
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(BENCH / "auth.lua"),
            f"http://127.0.0.1:{PORT}{url}",
        ],
        env={**os.environ, "BENCH_HEADER": header},
        text=True,
        capture_output=True,
        check=True,
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


HEALTHZ = "/healthz"
FLOOR = "/api/v1/storefront/bench/floor"


def worker_pids(server) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024


def memory(env, f, eps, total: int = 20000) -> dict:
    """One worker, fed `total` requests (the endpoints in turn, keep-alive, as wrk would), its
    resident memory before, half-way and at the end."""
    import http.client

    server = start_server(env, 1)
    try:
        pid = worker_pids(server)[0]
        conn = http.client.HTTPConnection("127.0.0.1", PORT)
        headers = {kind: dict([line.split(": ", 1)]) for kind, line in headers_for(f).items()}
        urls = [(url, headers[kind]) for _, kind, url in eps]
        marks = {}

        def send(count):
            for n in range(count):
                url, header = urls[n % len(urls)]
                conn.request("GET", url, headers=header)
                response = conn.getresponse()
                response.read()
                assert response.status == 200, (url, response.status)

        send(len(urls) * 20)  # warm: every code path imported and every statement prepared once
        marks[0] = rss_mb(pid)
        send(total // 2)
        marks[total // 2] = rss_mb(pid)
        send(total - total // 2)
        marks[total] = rss_mb(pid)
    finally:
        stop_server(server)
    return marks


def measure(url: str, header: str, api_header: str, args) -> dict:
    """One request's runs next to its floors, `args.repeats` times; the repeat with the median
    /healthz ÷ request ratio (a short run on a shared machine has outliers both ways)."""
    runs = []
    for _ in range(args.repeats):
        healthz = wrk(HEALTHZ, "X-Bench: 1", args.duration, args.connections)
        # The authenticated floor is the API's (bearer token, envelope): run beside API requests only.
        floor = (
            wrk(FLOOR, api_header, args.duration, args.connections) if header == api_header and url != FLOOR else None
        )
        got = wrk(url, header, args.duration, args.connections)
        floor = floor or (got if url == FLOOR else None)
        runs.append(
            {
                **got,
                "healthz_rps": healthz["rps"],
                "floor_rps": floor["rps"] if floor else None,
                "ratio": healthz["rps"] / got["rps"] if got["rps"] else float("inf"),
                "floor_ratio": floor["rps"] / got["rps"] if floor and got["rps"] else None,
            }
        )
    return sorted(runs, key=lambda run: run["ratio"])[len(runs) // 2]


def bench_size(size: str, args, pooler: str | None = None) -> dict:
    db = ensure_database(size, keep=args.keep_db)
    env = env_for(db)
    if pooler:  # migrations (ensure_database) went straight to PostgreSQL; the app goes through it
        env = {**env, **_pgbouncer().APP_ENV, "DATABASE_URL": f"{pooler}/{db}"}
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    f = fixtures(env)
    eps = endpoints(f)
    queries = query_counts(env, f, eps)
    for name, _, url in eps:
        if queries[name]["status"] != 200:
            raise RuntimeError(f"{name} ({url}) answered {queries[name]['status']} in-process")
    server = start_server(env, args.workers)
    results = []
    headers = headers_for(f)
    api_header = headers["api"]
    try:
        wrk(FLOOR, api_header, 2, args.connections)  # warm up
        wrk(HEALTHZ, headers["none"], 2, args.connections)
        # Each request next to the floors, run seconds apart: /healthz (no authentication, no
        # database: the honest floor, the headline) and, for the API, the authenticated floor.
        for name, kind, url in [("authenticated floor", "api", FLOOR), *eps]:
            got = measure(url, headers[kind], api_header, args)
            key = "floor" if url == FLOOR else name
            results.append({"name": name, "kind": kind, "url": url, **got, **queries[key]})
            floor = f"  floor {got['floor_rps']:6.0f} ({got['floor_ratio']:4.2f}x)" if got["floor_rps"] else ""
            print(
                f"[{size}] {name:<28} {got['rps']:8.0f} req/s  p50 {got['p50']:6.1f} ms  p99 {got['p99']:6.1f} ms"
                f"  healthz {got['healthz_rps']:6.0f} ({got['ratio']:4.2f}x){floor}  queries {queries[key]['queries']}",
                flush=True,
            )
        # The same requests with one connection per worker: latency without waiting in the queue.
        unqueued = []
        for name, kind, url in [("/healthz", "none", HEALTHZ), ("authenticated floor", "api", FLOOR), *eps[:3]]:
            got = wrk(url, headers[kind], args.duration, args.workers)
            unqueued.append({"name": name, **got})
            print(
                f"[{size}] {name:<28} {args.workers} connections: {got['rps']:6.0f} req/s  p50 {got['p50']:5.1f} ms"
                f"  p99 {got['p99']:5.1f} ms",
                flush=True,
            )
    finally:
        stop_server(server)
    marks = memory(env, f, eps, args.memory_requests) if size in args.memory_sizes else {}
    if marks:
        print(f"[{size}] worker RSS: " + ", ".join(f"{n:,} requests {mb:.1f} MB" for n, mb in marks.items()))
    return {
        "size": size,
        "orders": f["orders"],
        "floor_queries": queries["floor"]["queries"],
        "results": results,
        "unqueued": unqueued,
        "seed": SIZES[size],
        "memory": marks,
    }


def chart(runs: list[dict], path: Path):
    """Bars of each request's floor ÷ request ratio, against both floors and for each size
    (Pillow, no plotting library)."""
    from PIL import Image, ImageDraw

    names = [r["name"] for r in runs[0]["results"]]
    series = [(run, key) for run in runs for key in ("ratio", "floor_ratio")]
    width, row, left = 1000, 22, 240
    height = 100 + (row * len(series) + 12) * len(names) + 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    colours = {
        ("ratio", 0): "#0f6b5c",
        ("floor_ratio", 0): "#7fc4b8",
        ("ratio", 1): "#b86e00",
        ("floor_ratio", 1): "#f2c46d",
    }
    top = max(r[key] for run, key in series for r in run["results"] if r.get(key) is not None)
    scale = (width - left - 80) / max(top, 6)
    draw.text(
        (20, 12),
        "Floor throughput / request throughput (lower is better). Lines: the goals against /healthz: "
        "4x (order), 5x (orders list, pages' stretch), 8x (pages)",
        fill="black",
    )
    for i, (run, key) in enumerate(series):
        x = 20 + 240 * i
        draw.rectangle((x, 40, x + 12, 52), fill=colours[(key, runs.index(run))])
        label = "/healthz" if key == "ratio" else "authenticated floor"
        draw.text((x + 18, 40), f"{run['size']}: {label} / request", fill="black")
    y = 70
    for name in names:
        draw.text((20, y + 4), name, fill="black")
        for run, key in series:
            result = next((r for r in run["results"] if r["name"] == name), None)
            if result is None or result.get(key) is None:
                continue
            colour = colours[(key, runs.index(run))]
            draw.rectangle((left, y + 3, left + result[key] * scale, y + row - 4), fill=colour)
            draw.text((left + result[key] * scale + 6, y + 5), f"{result[key]:.2f}x", fill="black")
            y += row
        y += 12
    for goal in (4, 5, 8):
        x = left + goal * scale
        draw.line((x, 60, x, y), fill="#b42318", width=1)
        draw.text((x - 8, y + 4), f"{goal}x", fill="#b42318")
    image.save(path)


# Issue 28's goals, at each size: (what, which rows, key, compare, target).
PAGE_RATIO, PAGE_STRETCH, PAGE_P99 = 8.0, 5.0, 60.0
MEMORY_MB = 150.0
GOALS = [
    ("/healthz ÷ GET /orders p1 ≤ 5×", "GET /orders p1", "ratio", "<=", 5.0),
    ("/healthz ÷ GET /orders/{n} ≤ 4×", "GET /orders/{n}", "ratio", "<=", 4.0),
    ("p99 ≤ 40 ms, GET /orders p1", "GET /orders p1", "p99", "<=", 40.0),
    ("p99 ≤ 40 ms, GET /orders deep page", "deep", "p99", "<=", 40.0),
    ("p99 ≤ 40 ms, GET /orders/{n}", "GET /orders/{n}", "p99", "<=", 40.0),
]


def _verdict(value: float, compare: str, target: float) -> str:
    met = value <= target if compare == "<=" else value >= target
    return "met" if met else f"**not met** ({value - target:+.2f})"


def goal_rows(run: dict) -> list[str]:
    """Each goal: the value measured, and met or by how far."""
    by_name = {r["name"]: r for r in run["results"]}
    by_name["deep"] = next(
        r for r in run["results"] if r["name"].startswith("GET /orders p") and r["name"] != "GET /orders p1"
    )
    lines = []
    for what, name, key, compare, target in GOALS:
        value = by_name[name][key]
        lines.append(f"| {what} | {value:.2f} | {_verdict(value, compare, target)} |")
    for r in run["results"]:
        if r["kind"] != "web":
            continue
        stretch = " (stretch 5× met)" if r["ratio"] <= PAGE_STRETCH else ""
        lines.append(
            f"| /healthz ÷ {r['name']} ≤ 8× | {r['ratio']:.2f} | {_verdict(r['ratio'], '<=', PAGE_RATIO)}{stretch} |"
        )
        lines.append(f"| p99 ≤ 60 ms, {r['name']} | {r['p99']:.2f} | {_verdict(r['p99'], '<=', PAGE_P99)} |")
    if run["memory"]:
        last = max(run["memory"])
        value = run["memory"][last]
        lines.append(
            f"| worker RSS ≤ 150 MB after {last:,} requests | {value:.1f} | {_verdict(value, '<=', MEMORY_MB)} |"
        )
    return lines


def write_results(runs: list[dict], args, pooled: list[dict] = ()):
    lines = [
        "# Benchmark results",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` ({' '.join(sys.argv[1:]) or 'defaults'}).",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; Python {platform.python_version()}",
        f"- Server: gunicorn {args.workers} sync workers, DEBUG off, PostgreSQL "
        f"{psql('SHOW server_version')}, Redis (sessions, limits), persistent connections (CONN_MAX_AGE 600), "
        "same machine as wrk",
        f"- Load: wrk, 2 threads, {args.connections} connections, {args.duration}s per run, {args.repeats} run(s) "
        "of each request (the median ratio kept); each request's run comes right after a run of `/healthz` (no "
        "authentication, no database; the headline) and, for the API, of the authenticated floor (`/bench/floor`: "
        f"bearer token, session, permission, envelope). Both sizes took {getattr(args, 'elapsed', 0) / 60:.1f} min",
        "- Requests as the shopper with the long (5,000-order) history: the API with a bearer token (`GET /orders` "
        "pages of 20 with items), the website's pages (`page: ...`) with the session cookie a sign-in writes, in "
        "the configured SESSION_ENGINE",
        "- Queries: statements counted in-process per request once the session is in the cache (the order "
        "detail's four go to PostgreSQL in one round trip, common.sqlrows.fetch_sets)",
        "",
        "- Why 1M orders once cost more than 10k, measured with EXPLAIN (ANALYZE, BUFFERS) and pg_stat_statements, "
        "and the PostgreSQL settings production needs: deploy/README.md, PostgreSQL settings",
        "",
        "![ratios](ratios.png)",
        "",
    ]
    for run in runs:
        customers, per, deep = run["seed"]
        lines += [
            f"## {run['size']}: {customers:,} customers, {(customers - 1) * per + deep:,} orders",
            "",
            "| request | req/s | p50 ms | p99 ms | /healthz req/s | **/healthz ÷ request** | auth floor req/s | "
            "auth floor ÷ request | queries | non-2xx |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run["results"]:
            floor = f"{r['floor_rps']:,.0f} | {r['floor_ratio']:.2f}x" if r["floor_rps"] else "| "
            lines.append(
                f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['healthz_rps']:,.0f} | "
                f"**{r['ratio']:.2f}x** | {floor} | {r['queries']} | {r['non_2xx']} |"
            )
        lines += ["", "Goals (issue 28):", "", "| goal | measured | |", "|---|---:|---|", *goal_rows(run), ""]
        lines += [
            f"With {args.workers} connections (one per worker, so no request waits for a worker):",
            "",
            "| request | req/s | p50 ms | p99 ms |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} |" for r in run["unqueued"]]
        lines.append("")
        if run["memory"]:
            marks = run["memory"]
            counts = sorted(marks)
            lines += [
                "Memory: one gunicorn worker's resident set (VmRSS), fed the requests above in turn, "
                "with no worker recycling (`max_requests` off):",
                "",
                "| after requests | RSS MB |",
                "|---:|---:|",
            ]
            lines += [f"| {n:,} | {marks[n]:.1f} |" for n in counts]
            lines += [
                "",
                f"Growth from {counts[1]:,} to {counts[2]:,} requests: {marks[counts[2]] - marks[counts[1]]:+.1f} MB.",
                "",
            ]
    if len(runs) == 2:
        small = {r["name"]: r for r in runs[0]["results"]}
        lines += ["## Growth with the data", "", "| request | 1M req/s ÷ 10k req/s |", "|---|---:|"]
        for r in runs[1]["results"]:
            if r["name"] in small:
                lines.append(f"| {r['name']} | {r['rps'] / small[r['name']]['rps']:.2f} |")
        lines.append("")
    lines += pgbouncer_lines(runs, pooled)
    (BENCH / "RESULTS.md").write_text("\n".join(lines))


def _pgbouncer():
    """tests/cluster/pgbouncer.py, the PgBouncer the cluster test starts too."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.cluster import pgbouncer

    return pgbouncer


def pgbouncer_runs(sizes: list[str], args) -> list[dict]:
    """Each size again, gunicorn (and the fixtures' shell) through a PgBouncer of its own, on the
    database the direct run just used (kept, not seeded again)."""
    kept = argparse.Namespace(**{**vars(args), "keep_db": True, "memory_sizes": []})
    with _pgbouncer().PgBouncer(PG) as url:
        return [bench_size(size, kept, pooler=url) for size in sizes]


def pgbouncer_lines(runs: list[dict], pooled: list[dict]) -> list[str]:
    if not pooled:
        return []
    lines = [
        "## Through PgBouncer (transaction mode)",
        "",
        "The same runs with gunicorn's DATABASE_URL on a PgBouncer on loopback (`--pgbouncer`, "
        "tests/cluster/pgbouncer.py: Debian's PgBouncer, pool_mode=transaction, default_pool_size=20) and "
        + ", ".join(f"{k}={v}" for k, v in _pgbouncer().APP_ENV.items())
        + ": one more hop per statement, and no statement prepared on the server (the direct runs prepare "
        "the hottest reads after 5 runs). Direct figures from the tables above.",
        "",
    ]
    for direct, run in zip(runs, pooled, strict=True):
        by_name = {r["name"]: r for r in direct["results"]}
        lines += [
            f"### {direct['size']}",
            "",
            "| request | direct req/s | PgBouncer req/s | PgBouncer ÷ direct | direct p99 ms | PgBouncer p99 ms | "
            "PgBouncer /healthz ÷ request |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run["results"]:
            d = by_name.get(r["name"])
            if d is None:
                continue
            lines.append(
                f"| {r['name']} | {d['rps']:,.0f} | {r['rps']:,.0f} | {r['rps'] / d['rps']:.2f} | {d['p99']:.1f} | "
                f"{r['p99']:.1f} | {r['ratio']:.2f}x |"
            )
        lines.append("")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,1m")
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each request; the median ratio is kept")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="skip the memory run")
    parser.add_argument("--memory-sizes", default="1m", help="sizes whose worker memory is measured")
    parser.add_argument("--memory-requests", type=int, default=20000)
    parser.add_argument("--keep-db", action="store_true", help="reuse a seeded database from an earlier run")
    parser.add_argument("--pgbouncer", action="store_true", help="each size again through PgBouncer (transaction mode)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk); `make bench` installs it.")
    args.memory_sizes = args.memory_sizes.split(",") if args.memory else []
    started = time.monotonic()
    runs = [bench_size(size, args) for size in args.sizes.split(",")]
    pooled = pgbouncer_runs(args.sizes.split(","), args) if args.pgbouncer else []
    args.elapsed = time.monotonic() - started
    write_results(runs, args, pooled)
    chart(runs, BENCH / "ratios.png")
    print(f"Wrote {BENCH / 'RESULTS.md'} and {BENCH / 'ratios.png'}")


if __name__ == "__main__":
    main()
