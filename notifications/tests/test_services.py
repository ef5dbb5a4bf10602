"""The outbox, in-process (no worker): what is written with an event, what each send does with
the shopper's preferences, the claim that keeps a message from going twice, failures and the
beat job. The same paths with a real worker and a real SMTP server: test_worker.py."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.utils import timezone

from accounts.models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS
from notifications import services
from notifications.models import Kind, Message, MessageStatus

pytestmark = pytest.mark.django_db


def queue(shopper, kind=Kind.TRANSACTIONAL):
    return services.notify(
        customer=shopper,
        event="order_delivered",
        kind=kind,
        context={
            "order_number": "ORD-1001",
            "order_path": "/account/orders/ORD-1001/",
            "total": "₹100.00",
            "headline": "Delivered 4 Dec",
        },
    )


def only(shopper, kind: str, channel: str) -> None:
    """Every preference off but one."""
    shopper.notification_preferences = {
        k: {c: (k, c) == (kind, channel) for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS
    }
    shopper.save()


def test_an_event_is_one_row_per_channel_sent_once_the_transaction_commits(
    shopper, mailoutbox, text_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        messages = queue(shopper)
        assert {m.status for m in messages} == {MessageStatus.QUEUED} and not mailoutbox
    assert sorted(m.channel for m in messages) == ["email", "sms", "whatsapp"]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    email = mailoutbox[0]
    assert email.subject == "Order ORD-1001: Delivered 4 Dec" and email.to == ["shopper@example.com"]
    assert "ORD-1001" in email.body and "http://127.0.0.1:8000/account/orders/ORD-1001/" in email.body
    html, mime = email.alternatives[0]
    assert mime == "text/html" and "<strong>Order ORD-1001: Delivered 4 Dec</strong>" in html
    assert [(t.channel, t.to, t.body) for t in text_outbox] == [
        ("sms", "+91 9123456780", "Order ORD-1001: Delivered 4 Dec."),
        ("whatsapp", "+91 9123456780", "Order ORD-1001: Delivered 4 Dec."),
    ]


def test_a_rolled_back_event_sends_nothing(shopper, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(shopper)
            raise RuntimeError("the event failed")
    assert not Message.objects.exists() and not mailoutbox


@pytest.mark.parametrize("kind", [Kind.TRANSACTIONAL, Kind.PROMOTIONAL, Kind.NEWSLETTER])
@pytest.mark.parametrize("channel", NOTIFICATION_CHANNELS)
def test_preferences_are_read_when_sending_per_kind_and_channel(shopper, kind, channel, mailoutbox, text_outbox):
    messages = queue(shopper, kind=kind)
    only(shopper, kind, channel)  # changed after the event: the send reads it now
    outcome = {m.channel: services.message_send(message_id=m.pk) for m in messages}
    assert outcome == {c: MessageStatus.SENT if c == channel else MessageStatus.SKIPPED for c in NOTIFICATION_CHANNELS}
    assert len(mailoutbox) == (channel == "email")
    assert [t.channel for t in text_outbox] == ([channel] if channel != "email" else [])
    skipped = Message.objects.filter(status=MessageStatus.SKIPPED).first()
    assert skipped.last_error == "Turned off in the shopper's preferences." and skipped.sent_at is None


def test_security_notices_go_with_every_preference_off(shopper, mailoutbox):
    shopper.notification_preferences = {k: {c: False for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    shopper.save()
    notice = services.notice_queue(channel="email", to="old@example.com", subject="Your email changed", body="If…")
    assert services.message_send(message_id=notice.pk) == MessageStatus.SENT
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [(["old@example.com"], "Your email changed", "If…")]


@pytest.mark.parametrize("kind", [Kind.TRANSACTIONAL, Kind.PROMOTIONAL, Kind.NEWSLETTER])
def test_a_deactivated_shopper_hears_only_about_their_orders(shopper, kind, mailoutbox):
    from accounts.services import account_deactivate, user_deactivate

    shopper.notification_preferences = {k: {c: True for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    shopper.save()
    account_deactivate(user=shopper)
    sent = [services.message_send(message_id=m.pk) for m in queue(shopper, kind=kind)]
    expected = MessageStatus.SENT if kind == Kind.TRANSACTIONAL else MessageStatus.SKIPPED
    assert set(sent) == {expected}
    # An account staff disabled hears nothing but security notices.
    user_deactivate(user=shopper)
    assert {services.message_send(message_id=m.pk) for m in queue(shopper, kind=kind)} == {MessageStatus.SKIPPED}


def test_a_message_claimed_once_is_sent_once(shopper, mailoutbox):
    email = next(m for m in queue(shopper) if m.channel == "email")
    assert services.message_send(message_id=email.pk) == MessageStatus.SENT
    assert services.message_send(message_id=email.pk) == ""  # a second delivery of the task
    email.refresh_from_db()
    assert len(mailoutbox) == 1 and email.attempts == 1 and email.sent_at is not None


def test_a_failure_is_queued_again_for_the_retry_and_fails_for_good_after_the_last_attempt(
    shopper, settings, monkeypatch, mailoutbox
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    email = next(m for m in queue(shopper) if m.channel == "email")

    def down(self, *args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    with pytest.raises(services.SendFailed):
        services.message_send(message_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (MessageStatus.QUEUED, 1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert services.message_send(message_id=email.pk) == MessageStatus.FAILED  # no further retry
    email.refresh_from_db()
    assert (email.status, email.attempts) == (MessageStatus.FAILED, 2)


def test_without_a_worker_a_failure_is_final_at_once(
    shopper, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def down(self, *args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit does not fail
        email = next(m for m in queue(shopper) if m.channel == "email")
    email.refresh_from_db()
    assert (email.status, email.attempts) == (MessageStatus.FAILED, 1)
    assert email.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"


def test_staff_send_again_writes_a_new_message(shopper, mailoutbox, django_capture_on_commit_callbacks):
    email = next(m for m in queue(shopper) if m.channel == "email")
    services.message_send(message_id=email.pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.message_resend(message=email)
    again.refresh_from_db()
    assert again.pk != email.pk and again.status == MessageStatus.SENT and len(mailoutbox) == 2
    assert Message.objects.get(pk=email.pk).status == MessageStatus.SENT  # the first stays as it was


def test_the_beat_job_hands_over_messages_stuck_in_flight_or_never_handed_over(
    shopper, settings, mailoutbox, django_capture_on_commit_callbacks
):
    email, sms, whatsapp = sorted(queue(shopper), key=lambda m: m.channel)
    long_ago = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_STUCK_SECONDS + 1)
    # A worker claimed the email and died; the SMS never reached a worker; WhatsApp is recent.
    Message.objects.filter(pk=email.pk).update(status=MessageStatus.SENDING, claimed_at=long_ago, attempts=1)
    Message.objects.filter(pk=sms.pk).update(modified_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_requeue_stuck() == 2
    statuses = dict(Message.objects.values_list("channel", "status"))
    assert statuses == {"email": MessageStatus.SENT, "sms": MessageStatus.SENT, "whatsapp": MessageStatus.QUEUED}
    assert Message.objects.get(pk=email.pk).attempts == 2 and len(mailoutbox) == 1


def test_with_a_worker_the_commit_only_queues_the_task(
    shopper, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications.tasks import message_send_task

    settings.NOTIFICATIONS_QUEUED = True
    handed = []
    monkeypatch.setattr(message_send_task, "delay", handed.append)
    with django_capture_on_commit_callbacks(execute=True):
        messages = queue(shopper)
    assert sorted(handed) == sorted(m.pk for m in messages)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.QUEUED}
