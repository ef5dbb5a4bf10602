"""The worker tests need Redis (CI starts it, `.ci/run`); where none answers, test_worker.py is
not collected and the run says so, as the browser journeys do without chromium."""

import os

import redis

try:
    redis.Redis.from_url(os.environ.get("WORKER_TEST_REDIS", "redis://127.0.0.1:6379/11"), socket_timeout=1).ping()
except redis.RedisError:  # pragma: no cover - depends on the machine
    collect_ignore = ["test_worker.py"]
    print("\nWorker tests not collected: no Redis at 127.0.0.1:6379 (CI starts one).")
