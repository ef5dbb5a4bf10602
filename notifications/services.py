"""Writing messages to the outbox and sending them.

`notify` writes one row per channel the shopper can be reached on, inside the caller's
transaction, and hands it to a task once that commits (or, without a worker, sends it right
then). `message_send` is what the task runs: it claims the row with a conditional UPDATE
(queued -> sending), so a task delivered twice, or run by two workers, sends once. The
shopper's preferences are read here, at send time: turning a kind off stops what is queued.

A worker that dies between the provider accepting a message and our UPDATE to `sent` leaves the
row in `sending`; the beat job re-queues it after NOTIFICATIONS_STUCK_SECONDS, so that narrow
window may send twice. An email's Message-ID comes from its row, so both copies carry the same one,
and mail services and clients can tell the second for a duplicate. Everything else sends once.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts import messaging
from accounts.language import in_language_of, language_of
from catalog.selectors import wishlist_alert_holds
from orders.headlines import delivery_headline
from orders.lifecycle import REFUND_TIMING, is_payment_failure_stale
from orders.models import Order

from .models import Channel, Kind, Message, MessageStatus
from .unsubscribe import UNSUBSCRIBABLE_KINDS, unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The provider refused or was unreachable; the row is queued again for the task's retry."""


def _render(event: str, part: str, context: dict) -> str:
    return render_to_string(f"notifications/{event}/{part}", context).strip()


# Kinds a shopper asked for, not needed for an order: sent only to an address they proved (one
# typed but never proved may be a stranger's, and an offer is nobody's business but the owner's).
PROVEN_ADDRESS_KINDS = frozenset({Kind.PROMOTIONAL, Kind.NEWSLETTER})


def _addresses(user, *, proven_only: bool = False) -> list[tuple[str, str]]:
    """The channels a shopper can be reached on, with the address: verified or not, an order's
    messages go where the shopper placed it from; with `proven_only`, verified addresses only."""
    found = []
    if user.email and (user.is_email_verified or not proven_only):
        found.append((Channel.EMAIL, user.email))
    if user.phone and (user.is_phone_verified or not proven_only):
        phone = f"{user.country_code} {user.phone}"
        found += [(Channel.SMS, phone), (Channel.WHATSAPP, phone)]
    return found


def _queue(message: Message) -> None:
    """Hand the row to a worker once the transaction commits (or send it here, with no worker).

    `robust`: a broker that is down must not fail a request whose work is done; the row stays
    queued and the beat job hands it over again.
    """
    if settings.NOTIFICATIONS_QUEUED:
        transaction.on_commit(lambda: message_send_task.delay(message.pk), robust=True)
    else:
        transaction.on_commit(lambda: message_send(message_id=message.pk, raise_failure=False), robust=True)


def notify(*, customer, event: str, context: dict, kind: str = Kind.TRANSACTIONAL, once_key: str = "") -> list[Message]:
    """Queue `event` to `customer` on every channel they can be reached on (preferences are
    read when each message is sent). With `once_key`, a second call for the same key writes
    nothing: what a beat job reminds of goes once, however often the job runs."""
    return notify_many(customers=[customer], event=event, context=context, kind=kind, once_key=once_key)


def notify_many(
    *, customers, event: str, context: dict, kind: str = Kind.TRANSACTIONAL, once_key: str = ""
) -> list[Message]:
    """`notify` for several shoppers at once: their rows in one INSERT (and, with `once_key`, one
    SELECT of those it wrote). The caller keeps the batch to a size one statement carries well
    (wishlist_alerts writes its fan-out in chunks)."""
    rows = []
    for customer in customers:
        personal = {**context, "first_name": customer.first_name, "site_url": settings.SITE_URL}
        with translation.override(language_of(customer)):  # theirs, not the request's
            subject = _render(event, "subject.txt", personal)
        rows += [
            Message(
                user=customer,
                to=to,
                kind=kind,
                event=event,
                channel=channel,
                subject=subject,
                context=personal,
                once_key=once_key,
            )
            for channel, to in _addresses(customer, proven_only=kind in PROVEN_ADDRESS_KINDS)
        ]
    if not rows:
        return []
    messages = Message.objects.bulk_create(rows, ignore_conflicts=bool(once_key))
    if once_key:  # rows an earlier run wrote were not inserted again: only the new ones go
        written = set(Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("pk", flat=True))
        messages = [m for m in messages if m.pk in written]
    for message in messages:
        _queue(message)
    return messages


def notice_queue(*, channel: str, to: str, subject: str, body: str, user=None) -> Message:
    """A security notice (address, password or account changed) to one address; it goes
    whatever the preferences say."""
    message = Message.objects.create(
        user=user,
        to=to,
        kind=Kind.SECURITY,
        event="account_notice",
        channel=channel,
        subject=subject,
        context={"subject": subject, "body": body},
    )
    _queue(message)
    return message


ACCOUNT_ERASED_SUBJECT = gettext_noop("Your account is erased")
ACCOUNT_ERASED_BODY = gettext_noop(
    "As you asked, we erased your account and the personal data it held. You can no longer sign in "
    "with it. If you did not ask for this, reply to this message or contact us at once."
)


def account_erased_notify(*, user) -> list[Message]:
    """Tell the shopper's email and phone that the account is erased: called by the erasure
    before the addresses are scrubbed. The notices belong to no account (the erased one keeps
    no messages); their rows keep the address only until they are sent."""
    with in_language_of(user):
        subject, body = gettext(ACCOUNT_ERASED_SUBJECT), gettext(ACCOUNT_ERASED_BODY)
    return [
        notice_queue(channel=channel, to=to, subject=subject, body=body)
        for channel, to in _addresses(user)
        if channel != Channel.WHATSAPP
    ]


def message_allowed(message: Message) -> bool:
    """Security notices always go; anything else only where the shopper's preference is on, and
    only to an active account, except that a shopper who deactivated their own account still
    hears about their orders (transactional: kept data, orders still on their way)."""
    if message.kind == Kind.SECURITY:
        return True
    user = message.user
    if user is None:
        return False
    if not user.is_active and not (user.is_deactivated_by_shopper and message.kind == Kind.TRANSACTIONAL):
        return False
    return bool((user.notification_preferences or {}).get(message.kind, {}).get(message.channel, False))


def _unsubscribe_url(message: Message) -> str:
    """The one-click link of a promotional or newsletter email ("" for any other message)."""
    if message.kind not in UNSUBSCRIBABLE_KINDS or message.channel != Channel.EMAIL or message.user_id is None:
        return ""
    return unsubscribe_url(
        site_url=settings.SITE_URL, user_id=message.user_id, kind=message.kind, channel=message.channel
    )


def _message_id(message: Message) -> str:
    """The email's Message-ID, from its outbox row rather than made afresh per send: sent again
    after its worker died (see the module's note), it is recognisably the same message. A staff
    resend is a new row, so a new message. The domain is the sender's (else the website's)."""
    _, at, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")
    domain = (domain if at else "") or urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{message.pk}@{domain}>"


# The messages that say where an order stands: their context carries the order's `headline` as
# the website showed it at the event (notifications.events._status_context).
ORDER_STATUS_EVENTS = frozenset(
    {
        "order_confirmed",
        "payment_failed",
        "order_cancelled",
        "order_shipped",
        "order_out_for_delivery",
        "order_delivered",
        "replacement_shipped",
    }
)


def _headline_now(message: Message) -> str:
    """Where the message's order stands now ("" for an order no longer kept)."""
    number = str(message.context.get("order_number", ""))
    order = Order.objects.filter(number=number).prefetch_related("shipments").first() if number else None
    return delivery_headline(order).text if order else ""


def _context(message: Message, link: str = "") -> dict:
    # A message queued by a release that did not yet store the refund promise, or the order's
    # headline, says today's.
    context = {"refund_timing": REFUND_TIMING, **message.context, "unsubscribe_url": link}
    if message.event in ORDER_STATUS_EVENTS and "headline" not in context:
        context["headline"] = _headline_now(message)
    return context


def message_text(message: Message, *, language: str | None = None) -> str:
    """What the message said, as plain text: the email's text part, or the SMS/WhatsApp text
    (the Messages page opens a message with it, in the page's `language`); by default in the
    shopper's language, as it was sent."""
    part = "body.txt" if message.channel == Channel.EMAIL else "text.txt"
    try:
        with translation.override(language or language_of(message.user)):
            return _render(message.event, part, _context(message))
    except TemplateDoesNotExist:
        return message.subject


def _deliver(message: Message) -> None:
    """Written in the shopper's language (accounts.language), whoever's request queued it."""
    with translation.override(language_of(message.user)):
        _deliver_in_language(message)


def _deliver_in_language(message: Message) -> None:
    link = _unsubscribe_url(message)
    context = _context(message, link)
    if message.channel == Channel.EMAIL:
        email = EmailMultiAlternatives(
            message.subject,
            _render(message.event, "body.txt", context),
            None,
            [message.to],
            headers={"Message-ID": _message_id(message), **(unsubscribe_headers(url=link) if link else {})},
        )
        try:
            email.attach_alternative(_render(message.event, "body.html", context), "text/html")
        except TemplateDoesNotExist:
            pass  # notices are plain text only
        email.send()
    else:
        messaging.send_text(channel=message.channel, to=message.to, body=_render(message.event, "text.txt", context))


# What notifications.wishlist_alerts sends.
WISHLIST_ALERT_EVENTS = ("wishlist_price_drop", "wishlist_back_in_stock")


def message_stale(message: Message) -> bool:
    """Whether a queued message stopped being true before it went: "payment failed" once the
    order no longer waits for that payment (the orders rule: lifecycle.is_payment_failure_stale);
    a wishlist alert once the product is off the wishlist, unavailable or dearer again (the
    catalog's rule: selectors.wishlist_alert_holds)."""
    if message.event in WISHLIST_ALERT_EVENTS:
        return not wishlist_alert_holds(
            customer_id=message.user_id,
            product_id=message.context.get("product_id", ""),
            price=message.context.get("price_value"),
        )
    if message.event != "payment_failed":
        return False
    return is_payment_failure_stale(message.context.get("order_number", ""))


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
            user=message.user,
            to=message.to,
            kind=message.kind,
            event=message.event,
            channel=message.channel,
            subject=message.subject,
            context=message.context,
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
            Q(status=MessageStatus.SENDING, claimed_at__lt=cutoff)
            | Q(status=MessageStatus.QUEUED, modified_at__lt=cutoff)
        )
        ids = list(stuck.values_list("pk", flat=True))
        Message.objects.filter(pk__in=ids).update(status=MessageStatus.QUEUED, modified_at=now)
        for pk in ids:
            _queue(Message(pk=pk))
    return len(ids)


# Named as it was when it lived in notifications/tasks.py: queued tasks keep their name across a deploy.
@shared_task(
    name="notifications.tasks.message_send_task",
    bind=True,
    acks_late=True,
    autoretry_for=(SendFailed,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=None,
)
def message_send_task(self, message_id: str) -> str:
    # No retry limit here: the row counts attempts and stops at NOTIFICATIONS_MAX_ATTEMPTS.
    return message_send(message_id=message_id)
