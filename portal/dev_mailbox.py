"""The development mailbox: in development, emails, SMS and WhatsApp messages are not sent but
kept here, the latest first, and shown at /dev/mailbox/ (DEBUG only), with the one-time code of
each picked out. The console then gets one short line per message instead of whole emails.

The messages are kept in a small JSON-lines file (DEV_MAILBOX_PATH), so the web server, a
Celery worker and `manage.py` commands all write to the one mailbox the page reads.
"""

import json
import re
import sys
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

KEEP = 50
_lock = threading.Lock()


_quiet: ContextVar[bool] = ContextVar("dev_mailbox_quiet", default=False)


@contextmanager
def mailbox_quiet():
    """Keep messages without a console line each (seed_demo sends dozens)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _path() -> Path:
    return Path(settings.DEV_MAILBOX_PATH)


def one_time_code(body: str) -> str:
    """The first number of OTP_LENGTH digits standing alone in `body` (the code of a sign-in or
    reset message: "123456 is your code to ..."), "" when there is none."""
    pattern = rf"(?<![\w/.,-])(\d{{{settings.OTP_LENGTH}}})(?![\w/,]|\.\d)"
    match = re.search(pattern, body or "")
    return match.group(1) if match else ""


def mailbox_record(*, channel: str, to: str, subject: str, body: str) -> dict:
    """Keep one message (the file holds the latest KEEP) and say so on the console, in one line."""
    entry = {
        "at": timezone.now().isoformat(),
        "channel": channel,
        "to": to,
        "subject": subject,
        "body": body,
        "code": one_time_code(body),
    }
    with _lock:
        kept = mailbox_latest(limit=KEEP - 1)[::-1]
        lines = [json.dumps(item, ensure_ascii=False) for item in [*kept, entry]]
        path = _path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if _quiet.get():
        return entry
    code = f" · code {entry['code']}" if entry["code"] else ""
    print(f"[mailbox] {channel} to {to}{code} · /dev/mailbox/", file=sys.stderr, flush=True)
    return entry


def mailbox_latest(*, limit: int = KEEP) -> list[dict]:
    """The kept messages, newest first."""
    try:
        lines = _path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for line in reversed(lines):
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a crash: skip it
        if len(entries) >= limit:
            break
    return entries


class MailboxEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND for development: emails go to the mailbox, not to a server."""

    def send_messages(self, email_messages):
        for message in email_messages:
            body = message.body
            mailbox_record(channel="email", to=", ".join(message.to), subject=message.subject, body=body)
        return len(email_messages)


class MailboxSmsBackend:
    """SMS_BACKEND for development: text messages go to the mailbox."""

    def send(self, message) -> None:
        mailbox_record(channel=message.channel, to=message.to, subject="", body=message.body)


def dev_mailbox_view(request):
    """/dev/mailbox/: the kept messages, newest first. Not found unless DEBUG and DEV_MAILBOX are
    both on: it shows everyone's codes."""
    if not (settings.DEBUG and settings.DEV_MAILBOX):
        raise Http404("No mailbox here.")
    entries = [{**entry, "when": datetime.fromisoformat(entry["at"])} for entry in mailbox_latest()]
    response = render(request, "dev_mailbox.html", {"entries": entries})
    response["Cache-Control"] = "no-store"
    return response
