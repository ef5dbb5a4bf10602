"""The outbox on the cluster: app servers that only queue, Celery workers that send, one beat.

- A worker killed with SIGKILL in the middle of 50 queued messages loses none and sends none
  twice: another worker sends the rest, and beat hands over the one the dead worker held once it
  has been in flight NOTIFICATIONS_STUCK_SECONDS (3 s here; beat asks every minute).
- A request never waits on the mail server: cancelling an order takes as long with an SMTP
  server that needs 2 s per message as with a fast one. A third app server that sends in the
  request (no broker: `make run`'s way) shows what the measurement sees when a request does
  wait. The figures are printed and written to test-artifacts/cluster/cancel-latency.txt.
"""

import json
import math
import statistics
import time
from collections import Counter

import pytest

from notifications.tests.smtp import Inbox, smtp_server

from .conftest import IN_PROCESS_PORT, LOGS, REDIS, Server, cluster_sql, manage_shell

PASSWORD = "cluster-pass-2468"
STUCK_SECONDS = 3
OPEN = ("queued", "sending")


@pytest.fixture
def servers(cluster):
    """Both app servers up: the crash test of test_cluster.py leaves one killed."""
    for server in cluster["servers"]:
        if server.proc.poll() is not None:
            server.start()
    return cluster["servers"]


def wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.2)


def outbox(cluster, ids=None) -> dict[str, tuple[str, int]]:
    """status and attempts of each message (of `ids`, or all of them) by id."""
    where, params = ("WHERE id = ANY(%s)", (list(ids),)) if ids is not None else ("", ())
    rows = cluster_sql(cluster, f"SELECT id, status, attempts FROM notifications_message {where}", params)
    return {pk: (status, attempts) for pk, status, attempts in rows}


def outbox_idle(cluster) -> bool:
    """Nothing queued or in flight, whoever wrote it."""
    query = "SELECT EXISTS (SELECT 1 FROM notifications_message WHERE status = ANY(%s))"
    return not cluster_sql(cluster, query, (list(OPEN),))[0][0]


def broker_idle() -> bool:
    """No task waiting in the broker's queue: sign-in codes travel as tasks of their own
    (accounts.tasks), not outbox rows. (Not its unacked hash: a task a killed worker held stays
    there until the visibility timeout, and its outbox row is what says it was lost.) A worker
    stops warm, finishing the task it holds."""
    import redis

    return redis.Redis.from_url(REDIS).llen("celery") == 0


def drain(cluster, celery_worker):
    """Send what earlier tests left queued (outbox rows and code tasks), to a throwaway inbox, so
    a test's inbox holds its own."""
    with smtp_server(Inbox()) as port:
        worker = celery_worker(port, NOTIFICATIONS_STUCK_SECONDS=STUCK_SECONDS)
        wait_until(lambda: outbox_idle(cluster) and broker_idle(), 120, "earlier messages and codes sent")
        worker.stop()


def queue_deliveries(cluster, count: int) -> list[str]:
    """`count` shoppers (email only), each told through notifications.services.notify that an
    order was delivered, in one transaction: the broker gets all `count` tasks at commit."""
    return json.loads(
        manage_shell(
            cluster,
            (
                "import json\n"
                "from django.db import transaction\n"
                "from accounts.services import user_create\n"
                "from notifications.services import notify\n"
                "with transaction.atomic():\n"
                "    ids = [m.pk for n in range(%d) for m in notify(\n"
                "        customer=user_create(email=f'outbox-{n:02d}@example.com', password=None, is_email_verified=True),\n"
                "        event='order_delivered', context={'order_number': f'ORD-K{n:02d}', 'order_path': '/account/'})]\n"
                "print(json.dumps(ids))"
            )
            % count,
        )
    )


def test_a_worker_killed_mid_send_loses_no_message_and_sends_none_twice(cluster, celery_worker):
    drain(cluster, celery_worker)
    inbox = Inbox()
    inbox.stall_after = 20  # the 21st conversation hangs until worker A is dead
    with smtp_server(inbox) as port:
        ids = queue_deliveries(cluster, 50)
        assert len(ids) == 50 and {s for s, _ in outbox(cluster, ids).values()} == {"queued"}

        worker_a = celery_worker(port, NOTIFICATIONS_STUCK_SECONDS=STUCK_SECONDS)
        assert inbox.stalled.wait(90), "worker A never reached the 21st message"
        worker_a.kill()
        rows = outbox(cluster, ids)
        assert Counter(status for status, _ in rows.values()) == {"sent": 20, "sending": 1, "queued": 29}
        [lost] = [pk for pk, (status, _) in rows.items() if status == "sending"]

        inbox.release()
        celery_worker(port, NOTIFICATIONS_STUCK_SECONDS=STUCK_SECONDS)  # worker B
        wait_until(
            lambda: {s for s, _ in outbox(cluster, ids).values()} == {"sent"},
            150,
            "all 50 sent (beat re-queues the lost one within a minute)",
        )

    recipients = Counter(message["To"] for message in inbox.messages)
    assert recipients == {f"outbox-{n:02d}@example.com": 1 for n in range(50)}
    assert len({message["Message-ID"] for message in inbox.messages}) == 50
    # One claim each; the message in the dead worker's hands was claimed a second time by B.
    assert {pk: attempts for pk, (_, attempts) in outbox(cluster, ids).items()} == {
        pk: 2 if pk == lost else 1 for pk in ids
    }


def seed_cancellable_orders(cluster, count: int) -> list[str]:
    """A shopper with email and phone (three messages per order event) and `count` paid,
    unshipped orders, placed through the order services (orders/tests/factories.py)."""
    return json.loads(
        manage_shell(
            cluster,
            (
                "import json\n"
                "from accounts.services import user_create\n"
                "from orders.tests.factories import place\n"
                "user = user_create(email='latency@example.com', phone='9123456780', password='%s', is_email_verified=True)\n"
                "print(json.dumps([place(user).number for _ in range(%d)]))"
            )
            % (PASSWORD, count),
        )
    )


def cancel_timings(servers, token: str, numbers: list[str], settle=None) -> list[float]:
    """Seconds each cancel took, alternating between the two app servers; `settle` (untimed)
    runs after each one."""
    taken = []
    for n, number in enumerate(numbers):
        started = time.perf_counter()
        status, body, _ = servers[n % 2].request(
            "POST",
            f"/orders/{number}/cancel",
            {"cancellation_reason": "Ordered twice", "refund_mode": "original-payment-mode"},
            token=token,
        )
        taken.append(time.perf_counter() - started)
        assert status == 200 and body["content"]["order"]["status"] == "cancelled", body
        if settle:
            settle()
    return taken


def summary(taken: list[float]) -> dict[str, float]:
    ranked = sorted(taken)
    p95 = ranked[math.ceil(0.95 * len(ranked)) - 1]  # nearest rank
    return {"median": statistics.median(ranked), "p95": p95, "max": ranked[-1]}


def in_process_server(cluster, smtp_port: int) -> Server:
    """An app server with no broker (CELERY_BROKER_URL=memory://): it sends in the request."""
    return Server(
        IN_PROCESS_PORT,
        {
            **cluster["env"],
            "CELERY_BROKER_URL": "memory://",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
        },
    )


def report(fast: list[float], slow: list[float], in_request: list[float]) -> str:
    lines = ["POST /orders/{n}/cancel on two gunicorn servers, mail queued on Redis for one Celery worker:"]
    for label, taken in (
        (f"fast SMTP (no delay), {len(fast)} cancels", fast),
        (f"slow SMTP (2 s per message), {len(slow)} cancels", slow),
        (f"control: no broker, mail sent in the request, slow SMTP, {len(in_request)} cancels", in_request),
    ):
        figures = summary(taken)
        lines.append(f"  {label}: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in figures.items()))
    text = "\n".join(lines)
    (LOGS / "cancel-latency.txt").write_text(text + "\n")
    return text


def test_a_request_never_waits_on_the_mail_server(cluster, servers, celery_worker):
    count, control = 20, 4
    drain(cluster, celery_worker)
    numbers = seed_cancellable_orders(cluster, 2 + 2 * count + control)
    status, body, _ = servers[0].request(
        "POST", "/auth/login/password", {"email": "latency@example.com", "password": PASSWORD}
    )
    assert status == 200, body
    token = body["content"]["access_token"]
    inbox = Inbox()
    with smtp_server(inbox) as port:
        worker = celery_worker(port)
        wait_until(lambda: outbox_idle(cluster), 60, "order confirmations sent")
        cancel_timings(servers, token, numbers[:2])  # warm both servers up
        # Each mailed before the next starts: the worker's own work stays out of the baseline.
        fast = cancel_timings(
            servers,
            token,
            numbers[2 : 2 + count],
            settle=lambda: wait_until(lambda: outbox_idle(cluster), 30, "a cancellation mailed"),
        )

        inbox.delay = 2.0
        sent_before = len(inbox.messages)
        slow = cancel_timings(servers, token, numbers[2 + count : 2 + 2 * count])
        mailed_meanwhile = len(inbox.messages) - sent_before
        # The mail server really was in use: the worker sends one cancellation mail every 2 s.
        wait_until(lambda: len(inbox.messages) > sent_before, 10, "a cancellation mailed through the slow server")
        worker.kill()

        sender = in_process_server(cluster, port)
        sender.start()
        try:
            in_request = cancel_timings([sender, sender], token, numbers[2 + 2 * count :])
        finally:
            sender.kill()

    print("\n" + report(fast, slow, in_request))
    assert min(in_request) >= 2.0, "the control, which sends in the request, should wait on the slow server"
    assert mailed_meanwhile < count // 2, "the worker kept up with the slow server: the measurement proves nothing"
    fast, slow = summary(fast), summary(slow)
    assert slow["median"] < fast["median"] + 0.2
    assert slow["p95"] < 1.0
