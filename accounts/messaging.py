"""Sending codes and notices to shoppers by email, SMS or WhatsApp.

Email goes through Django's email backend. Text messages go through the class named by the
`SMS_BACKEND` setting, so a shop plugs in its SMS/WhatsApp provider without touching the rules.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    channel: str  # "sms" or "whatsapp"
    to: str  # "+91 9876543210"
    body: str


class LoggingSmsBackend:
    """Default: writes text messages to the log instead of sending them.

    The body (which holds codes) is only logged when DEBUG is on.
    """

    def send(self, message: TextMessage) -> None:
        if settings.DEBUG:
            logger.info("%s to %s: %s", message.channel, message.to, message.body)
        else:
            logger.info("%s to %s (body hidden; configure SMS_BACKEND)", message.channel, message.to)


class LocmemSmsBackend:
    """For tests: keeps sent messages in `outbox`, like Django's locmem email backend."""

    outbox: list[TextMessage] = []

    def send(self, message: TextMessage) -> None:
        type(self).outbox.append(message)


def send_text(*, channel: str, to: str, body: str) -> None:
    import_string(settings.SMS_BACKEND)().send(TextMessage(channel=channel, to=to, body=body))


def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


def deliver(*, channel: str, to: str, subject: str, body: str) -> None:
    """Send `body` to one address over `channel` ("email", "sms" or "whatsapp").

    Runs after the change is committed: a provider that is down is logged, not turned into an
    error for a request whose work is already done (the shopper can ask for a new code).
    """
    try:
        if channel == "email":
            send_email(to=to, subject=subject, body=body)
        else:
            send_text(channel=channel, to=to, body=body)
    except Exception:
        logger.exception("Could not send a message by %s", channel)
