"""Live collaborators for the outbox tests (notifications/tests/test_worker.py and the cluster
test, tests/cluster/): a real SMTP server (aiosmtpd, in the test process) that can be slow,
refuse or stall the way real mail servers do, and real `celery -A config` processes.

Kept apart from the tests so both suites drive the same server and the same worker command.
"""

import asyncio
import email
import os
import signal
import socket
import subprocess
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(ROOT / ".venv" / "bin" / "celery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An SMTP server's handler: keeps what it accepts.

    - `refuse`: answers 451 (try later) to that many next messages, as a struggling server does;
    - `delay`: seconds it takes to accept each message (a slow server: the sender waits);
    - `stall_after`: once it holds that many messages, the next sender is kept waiting before
      its message is handed over (`stalled` is set) until `release()`; that message is never
      accepted, as when the sender dies mid-conversation.
    """

    def __init__(self):
        self.messages, self.refuse, self.delay = [], 0, 0.0
        self.stall_after, self.stalled, self._released = None, threading.Event(), threading.Event()

    def release(self):
        self.stall_after = None
        self._released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall_after is not None and len(self.messages) >= self.stall_after:
            self.stalled.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.0 Closing: the conversation was interrupted"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Mail server busy, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server(inbox: Inbox):
    """Serve `inbox` on a free loopback port (yielded) for the duration of the block."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        inbox.release()  # a stalled conversation must not hold the server's shutdown
        controller.stop()


class Worker:
    """`celery -A config worker` in its own process group, started when a test asks for it.

    The solo pool takes one message at a time (prefetch 1, acks_late), so a worker killed
    mid-send holds exactly one message."""

    def __init__(self, env, log):
        self.env, self.log, self.proc = env, log, None

    def start(self):
        if self.proc is None:
            self.proc = subprocess.Popen(
                [
                    CELERY,
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=info",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-n",
                    f"test-{uuid.uuid4().hex[:6]}@%h",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self):
        """Warm shutdown: the task in hand finishes first."""
        self._signal(signal.SIGTERM)

    def kill(self):
        """Lost without warning, as with the OOM killer or a machine gone: nothing is acknowledged."""
        self._signal(signal.SIGKILL)

    def _signal(self, signum):
        if self.proc is not None:
            os.killpg(self.proc.pid, signum)
            self.proc.wait(timeout=20)
            self.proc = None


def beat(env, log, schedule: Path) -> subprocess.Popen:
    """`celery -A config beat`: the schedule of config.settings, its state file at `schedule`."""
    return subprocess.Popen(
        [CELERY, "-A", "config", "beat", "--loglevel=info", "-s", str(schedule)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
