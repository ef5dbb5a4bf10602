"""The outbox against a real mail server (aiosmtpd, in this process; no worker): an email keeps
one Message-ID however often its row is sent, a send gives up after EMAIL_TIMEOUT, and a
system check warns when that timeout could outlast NOTIFICATIONS_STUCK_SECONDS."""

from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from notifications import services
from notifications.checks import email_timeout_check
from notifications.models import Message, MessageStatus
from notifications.tests.smtp import Inbox, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings):
    """A real SMTP server the outbox sends to."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield inbox


def an_email(shopper) -> Message:
    messages = services.notify(
        customer=shopper,
        event="order_delivered",
        context={"order_number": "ORD-2001", "order_path": "/account/orders/ORD-2001/"},
    )
    return next(m for m in messages if m.channel == "email")


def test_an_email_sent_again_after_its_worker_died_carries_the_same_message_id(settings, shopper, inbox):
    settings.DEFAULT_FROM_EMAIL = "Shop <orders@shop.example>"
    message = an_email(shopper)
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    # The worker died after the server accepted it, before writing `sent`: the beat job re-queues it.
    long_ago = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_STUCK_SECONDS + 1)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=long_ago)
    assert services.messages_requeue_stuck() == 1
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    assert [m["Message-ID"] for m in inbox.messages] == [f"<{message.pk}@shop.example>"] * 2

    copy = services.message_resend(message=Message.objects.get(pk=message.pk))  # staff: a new message
    services.message_send(message_id=copy.pk)
    assert inbox.messages[-1]["Message-ID"] == f"<{copy.pk}@shop.example>" != inbox.messages[0]["Message-ID"]


def test_without_a_domain_in_the_sender_the_message_id_names_the_website(settings, shopper, mailoutbox):
    settings.DEFAULT_FROM_EMAIL, settings.SITE_URL = "webmaster", "https://shop.example.in"
    message = an_email(shopper)
    services.message_send(message_id=message.pk)
    assert mailoutbox[0].message()["Message-ID"] == f"<{message.pk}@shop.example.in>"


def test_a_send_gives_up_on_a_stalling_mail_server_after_email_timeout(settings, shopper, inbox):
    assert settings.EMAIL_TIMEOUT == 30.0  # the default: no send waits forever
    settings.EMAIL_TIMEOUT = 0.3
    inbox.delay = 2.0  # the server takes longer than that to accept
    message = an_email(shopper)
    assert services.message_send(message_id=message.pk, raise_failure=False) == MessageStatus.FAILED
    assert Message.objects.get(pk=message.pk).last_error == (
        "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    )


@pytest.mark.parametrize(
    ("timeout", "warned"), [(30.0, False), (299.0, False), (300.0, True), (900.0, True), (None, True), (0.0, True)]
)
def test_an_email_timeout_not_well_below_the_stuck_time_is_warned_of(settings, timeout, warned):
    settings.EMAIL_TIMEOUT, settings.NOTIFICATIONS_STUCK_SECONDS = timeout, 300
    assert [w.id for w in email_timeout_check()] == (["notifications.W001"] if warned else [])


def test_the_check_runs_with_django_checks(settings):
    settings.EMAIL_TIMEOUT = 600.0
    assert "notifications.W001" in {message.id for message in run_checks()}
    settings.EMAIL_TIMEOUT = 30.0
    assert "notifications.W001" not in {message.id for message in run_checks()}
