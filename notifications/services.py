"""Writing messages to the outbox and sending them.

`notify` writes one row per channel the shopper can be reached on, inside the caller's
transaction, and hands it to a task once that commits (or, without a worker, sends it right
then). `message_send` is what the task runs: it claims the row with a conditional UPDATE
(queued -> sending), so a task delivered twice, or run by two workers, sends once. The
shopper's preferences are read here, at send time: turning a kind off stops what is queued.

A worker that dies between the provider accepting a message and our UPDATE to `sent` leaves the
row in `sending`; the beat job re-queues it after NOTIFICATIONS_STUCK_SECONDS, so that narrow
window may send twice. Everything else sends once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import messaging

from .models import Channel, Kind, Message, MessageStatus

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The provider refused or was unreachable; the row is queued again for the task's retry."""


def _render(event: str, part: str, context: dict) -> str:
    return render_to_string(f"notifications/{event}/{part}", context).strip()


def _addresses(user) -> list[tuple[str, str]]:
    """The channels a shopper can be reached on, with the address: verified or not, an order's
    messages go where the shopper placed it from."""
    found = []
    if user.email:
        found.append((Channel.EMAIL, user.email))
    if user.phone:
        phone = f"{user.country_code} {user.phone}"
        found += [(Channel.SMS, phone), (Channel.WHATSAPP, phone)]
    return found


def _queue(message: Message) -> None:
    """Hand the row to a worker once the transaction commits (or send it here, with no worker).

    `robust`: a broker that is down must not fail a request whose work is done; the row stays
    queued and the beat job hands it over again.
    """
    from .tasks import message_send_task

    if settings.NOTIFICATIONS_QUEUED:
        transaction.on_commit(lambda: message_send_task.delay(message.pk), robust=True)
    else:
        transaction.on_commit(lambda: message_send(message_id=message.pk, raise_failure=False), robust=True)


def notify(*, customer, event: str, context: dict, kind: str = Kind.TRANSACTIONAL) -> list[Message]:
    """Queue `event` to `customer` on every channel they can be reached on (preferences are
    read when each message is sent)."""
    context = {**context, "first_name": customer.first_name, "site_url": settings.SITE_URL}
    subject = _render(event, "subject.txt", context)
    messages = Message.objects.bulk_create(
        Message(user=customer, to=to, kind=kind, event=event, channel=channel, subject=subject, context=context)
        for channel, to in _addresses(customer)
    )
    for message in messages:
        _queue(message)
    return messages


def notice_queue(*, channel: str, to: str, subject: str, body: str, user=None) -> Message:
    """A security notice (address, password or account changed) to one address; it goes
    whatever the preferences say."""
    message = Message.objects.create(
        user=user, to=to, kind=Kind.SECURITY, event="account_notice", channel=channel,
        subject=subject, context={"subject": subject, "body": body},
    )
    _queue(message)
    return message


def message_allowed(message: Message) -> bool:
    """Security notices always go; anything else only where the shopper's preference is on."""
    if message.kind == Kind.SECURITY:
        return True
    user = message.user
    if user is None or not user.is_active:
        return False
    return bool((user.notification_preferences or {}).get(message.kind, {}).get(message.channel, False))


def _deliver(message: Message) -> None:
    context = message.context
    if message.channel == Channel.EMAIL:
        email = EmailMultiAlternatives(message.subject, _render(message.event, "body.txt", context), None, [message.to])
        try:
            email.attach_alternative(_render(message.event, "body.html", context), "text/html")
        except TemplateDoesNotExist:
            pass  # notices are plain text only
        email.send()
    else:
        messaging.send_text(channel=message.channel, to=message.to, body=_render(message.event, "text.txt", context))


def message_send(*, message_id: str, raise_failure: bool = True) -> str:
    """Send one queued message once; answers the status it ends in (or "" when someone else
    holds it, or it is done already).

    A failure puts the row back in the queue (raising SendFailed for the task to retry later)
    until NOTIFICATIONS_MAX_ATTEMPTS, then marks it failed. Without a worker (`raise_failure`
    off: sent in the web process) nothing would retry, so the first failure is final; staff
    see it in the admin and can send it again.
    """
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, modified_at=now
    )
    if not claimed:
        return ""
    message = Message.objects.select_related("user").get(pk=message_id)
    if not message_allowed(message):
        _finish(message, MessageStatus.SKIPPED, error="Turned off in the shopper's preferences.")
        return MessageStatus.SKIPPED
    from .events import message_stale  # events builds on notify: imported late

    if message_stale(message):
        _finish(message, MessageStatus.SKIPPED, error="No longer true when it was due.")
        return MessageStatus.SKIPPED
    try:
        _deliver(message)
    except Exception as exc:
        logger.warning("Message %s by %s not sent (attempt %s): %s", message.pk, message.channel, message.attempts, exc)
        final = not raise_failure or message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        _finish(message, MessageStatus.FAILED if final else MessageStatus.QUEUED, error=f"{type(exc).__name__}: {exc}")
        if final:
            return MessageStatus.FAILED
        raise SendFailed(str(exc)) from exc
    _finish(message, MessageStatus.SENT, sent_at=timezone.now())
    return MessageStatus.SENT


def _finish(message: Message, status: str, *, error: str | None = None, sent_at=None) -> None:
    # Only from `sending`: a row re-queued meanwhile by the beat job belongs to its new claim.
    # A message sent after failures keeps its last error, for staff to see why it was late.
    changes = {"last_error": error[:500]} if error is not None else {}
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status, sent_at=sent_at, modified_at=timezone.now(), **changes
    )


def message_resend(*, message: Message) -> Message:
    """Staff send a message again (failed, skipped or sent): a fresh row, so the first stays as
    the record of what happened; preferences still apply unless it is a security notice."""
    with transaction.atomic():
        copy = Message.objects.create(
            user=message.user, to=message.to, kind=message.kind, event=message.event,
            channel=message.channel, subject=message.subject, context=message.context,
        )
        _queue(copy)
    return copy


def messages_requeue_stuck(*, now=None) -> int:
    """Hand over again what a lost worker held (in `sending` too long) and what never reached
    a worker (queued too long: the broker was down when it committed). The claim makes a
    second hand-over harmless."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NOTIFICATIONS_STUCK_SECONDS)
    with transaction.atomic():
        stuck = Message.objects.select_for_update(skip_locked=True).filter(
            Q(status=MessageStatus.SENDING, claimed_at__lt=cutoff) | Q(status=MessageStatus.QUEUED, modified_at__lt=cutoff)
        )
        ids = list(stuck.values_list("pk", flat=True))
        Message.objects.filter(pk__in=ids).update(status=MessageStatus.QUEUED, modified_at=now)
        for pk in ids:
            _queue(Message(pk=pk))
    return len(ids)
