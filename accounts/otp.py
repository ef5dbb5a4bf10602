"""One-time codes: issue, deliver (through a Celery task) and verify.

Used by registration now and by email/phone changes and password reset. Rules:
- a 6-digit code, stored only as an HMAC (keyed by SECRET_KEY and the token), never in clear;
- the client gets an opaque `otp_token`, stored only as its SHA-256;
- a code lives `OTP_TTL` (10 minutes); `OTP_MAX_ATTEMPTS` (5) wrong codes kill the token;
- a new code for the same action and address is refused for `OTP_RESEND_SECONDS` (30 s), and a
  new code makes the earlier ones of that action and address useless.
"""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from common.db import lock_name
from common.digits import ascii_digits
from common.errors import ErrorCode
from common.exceptions import CACHE_UNAVAILABLE_ERRORS, InvalidInput, ServiceUnavailable, Throttled
from common.shoptime import clock_time

from . import messaging
from .language import language_of
from .models import OtpAction, OtpChannel, OtpToken

# What handing a task to the broker (Redis) raises when it is down or unreachable: kombu wraps
# the transport's errors, and redis-py's own are listed in case one slips through unwrapped.
BROKER_UNAVAILABLE_ERRORS = (BrokerUnavailable, *CACHE_UNAVAILABLE_ERRORS)


@dataclass(frozen=True)
class Outgoing:
    """One message handed to `otp_messages_send_task`: a code, or a notice sent in its place."""

    channel: str  # "email", "sms" or "whatsapp"
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class IssuedOtp:
    otp_token: str  # what the client sends back to verify
    otp_action: str
    code: str  # only ever shown to the client in DEBUG with `x-debug-mode: true`
    record: OtpToken


def _token_hash(otp_token: str) -> str:
    return hashlib.sha256(otp_token.encode()).hexdigest()


def _code_hash(token_hash: str, code: str) -> str:
    return salted_hmac("accounts.otp", f"{token_hash}:{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**settings.OTP_LENGTH):0{settings.OTP_LENGTH}d}"


# Each action's subject and sentence, written in the shopper's language when the code is sent
# (`_code_message`): the account's, else the request's for an address with no account yet.
_SUBJECTS = {
    OtpAction.REGISTER: gettext_noop("Confirm your new account"),
    OtpAction.LOGIN: gettext_noop("Your sign-in code"),
    OtpAction.RESET_PASSWORD: gettext_noop("Reset your password"),
    OtpAction.VERIFY_EMAIL: gettext_noop("Verify your email address"),
    OtpAction.VERIFY_PHONE: gettext_noop("Verify your phone number"),
    OtpAction.UPDATE_EMAIL: gettext_noop("Confirm your new email address"),
    OtpAction.UPDATE_PHONE: gettext_noop("Confirm your new phone number"),
    OtpAction.REAUTHENTICATE: gettext_noop("Your code to confirm it is you"),
}
_SENTENCES = {
    OtpAction.REGISTER: gettext_noop("%(code)s is your code to register."),
    OtpAction.LOGIN: gettext_noop("%(code)s is your code to log in."),
    OtpAction.RESET_PASSWORD: gettext_noop("%(code)s is your code to reset password."),
    OtpAction.VERIFY_EMAIL: gettext_noop("%(code)s is your code to verify email."),
    OtpAction.VERIFY_PHONE: gettext_noop("%(code)s is your code to verify phone."),
    OtpAction.UPDATE_EMAIL: gettext_noop("%(code)s is your code to update email."),
    OtpAction.UPDATE_PHONE: gettext_noop("%(code)s is your code to update phone."),
    OtpAction.REAUTHENTICATE: gettext_noop("%(code)s is your code to confirm it is you."),
}


def _code_message(*, action: OtpAction, code: str, expires_at, user) -> tuple[str, str]:
    """(subject, body) of a code, in the account's language, else the request's."""
    minutes = int(settings.OTP_TTL.total_seconds() // 60)
    with translation.override(language_of(user) if user is not None else translation.get_language()):
        body = gettext(_SENTENCES[action]) % {"code": code} + " "
        body += ngettext(
            "It expires in %(minutes)s minute, at %(time)s.",
            "It expires in %(minutes)s minutes, at %(time)s.",
            minutes,
        ) % {"minutes": minutes, "time": clock_time(expires_at)}
        return gettext(_SUBJECTS[action]), body


def otp_issue(
    *,
    action: str,
    channel: str,
    target: str,
    user=None,
    payload: dict | None = None,
    deliver: bool = True,
    instead: Sequence[Outgoing] = (),
    now=None,
) -> IssuedOtp:
    """Create a code for `action` and hand it, once the transaction commits, to the task that
    sends it to `target`.

    `deliver=False` records a code that is never sent (a reset for an unknown address); the
    task is handed over all the same, with nothing in it (or with the notices `instead`), so
    a known and an unknown address cost the request the same time. A broker that cannot take
    the task is `ServiceUnavailable` (503), and the code is dead: it was never sent.
    """
    now = now or timezone.now()
    action = OtpAction(action)
    channel = OtpChannel(channel)
    with transaction.atomic():
        # Two requests at once for one address would each find no code sent in the window (the
        # row lock has nothing to lock before the first code exists): one waits for the other.
        lock_name(f"otp:{action}:{target}", model=OtpToken)
        live = OtpToken.objects.select_for_update().filter(action=action, target=target, consumed_at__isnull=True)
        latest = live.order_by("-created_at").first()
        if latest is not None:
            waited = (now - latest.created_at).total_seconds()
            if waited < settings.OTP_RESEND_SECONDS:
                raise Throttled(
                    _("A code was sent a moment ago. Please wait before asking for another."),
                    retry_after=settings.OTP_RESEND_SECONDS - int(waited),
                )
        # Only the newest code of an action and address can be used.
        live.update(consumed_at=now)

        otp_token = secrets.token_urlsafe(32)
        code = _new_code()
        token_hash = _token_hash(otp_token)
        record = OtpToken.objects.create(
            token_hash=token_hash,
            code_hash=_code_hash(token_hash, code),
            action=action,
            channel=channel,
            target=target,
            user=user,
            payload=payload or {},
            created_at=now,
            expires_at=now + settings.OTP_TTL,
        )
        subject, body = _code_message(action=action, code=code, expires_at=record.expires_at, user=user)
        outgoing = [Outgoing(channel=channel, to=target, subject=subject, body=body)] if deliver else []
        outgoing += instead
        transaction.on_commit(lambda: _hand_over(record=record, outgoing=outgoing))
    return IssuedOtp(otp_token=otp_token, otp_action=action.value, code=code, record=record)


def _hand_over(*, record: OtpToken, outgoing: list[Outgoing]) -> None:
    """Queue the code's task (after the commit): the same call for every address, known or not.

    Codes skip the outbox (notifications): the outbox keeps messages as text in the database,
    and a code must exist at rest only as an HMAC. The broker's message holds the code in clear
    only for the seconds until a worker takes it, like the sessions Redis already holds, and it
    `expires` with the code: a code is worth nothing late (the shopper waits for it, and asks
    for a new one rather than one retried minutes later). Its arguments are hidden from
    Celery's logs and events (`argsrepr`), and the task returns nothing, so no log shows it.
    """
    messages = [asdict(message) for message in outgoing]
    if not settings.NOTIFICATIONS_QUEUED:
        # No broker, so no worker (development, tests): sent here, as notifications does.
        otp_messages_send_task(messages)
        return
    try:
        otp_messages_send_task.apply_async(args=[messages], expires=record.expires_at, argsrepr="(hidden)")
    except BROKER_UNAVAILABLE_ERRORS as exc:
        # Committed, but never sent: dead, so the shopper may ask again at once rather than
        # wait out the resend window for a code that is not coming.
        OtpToken.objects.filter(pk=record.pk, consumed_at__isnull=True).update(consumed_at=timezone.now())
        raise ServiceUnavailable(f"task broker: {type(exc).__name__}: {exc}") from exc


# Found by the worker through accounts/tasks.py (Celery loads every app's `tasks` module).
@shared_task(name="accounts.tasks.otp_messages_send_task", ignore_result=True)
def otp_messages_send_task(messages: list[dict]) -> None:
    """Send a code (or the notices in its place). An empty list, for an address with no
    account, is dropped: it only made the request cost what a known address costs."""
    for message in messages:
        messaging.deliver(**message)


def otp_find(*, otp_token: str, action: str) -> OtpToken | None:
    """The live token behind `otp_token`, without using it up."""
    return (
        OtpToken.objects.select_related("user")
        .filter(token_hash=_token_hash(str(otp_token)), action=action, consumed_at__isnull=True)
        .first()
    )


def otp_started(*, otp_token: str, action: str) -> OtpToken | None:
    """The token behind `otp_token` in any state (used up by wrong codes, expired): what a
    resend needs to know where the code went and why."""
    return OtpToken.objects.filter(token_hash=_token_hash(str(otp_token)), action=action).first()


def otp_consume(*, otp_token: str, otp: str, action: str, user=None, now=None) -> OtpToken:
    """Check a code; on success the token is used up and returned, else a 400 is raised.

    With `user`, only a code issued to that user counts. A wrong code is counted even though
    the request fails, so the counting happens in its own transaction before the error leaves.
    """
    now = now or timezone.now()
    token_hash = _token_hash(str(otp_token))
    error: InvalidInput | None = None
    with transaction.atomic():
        records = OtpToken.objects.select_for_update().filter(token_hash=token_hash, action=action)
        if user is not None:
            records = records.filter(user=user)
        record = records.first()
        if record is None or record.consumed_at is not None:
            error = InvalidInput.for_field(
                "otp_token", _("This code is no longer valid. Ask for a new one."), code=ErrorCode.INVALID_OTP
            )
        elif record.expires_at <= now:
            error = InvalidInput.for_field(
                "otp", _("This code has expired. Ask for a new one."), code=ErrorCode.OTP_EXPIRED
            )
        elif not constant_time_compare(record.code_hash, _code_hash(token_hash, ascii_digits(str(otp)).strip())):
            record.attempts += 1
            left = settings.OTP_MAX_ATTEMPTS - record.attempts
            if left <= 0:
                record.consumed_at = now
                error = InvalidInput.for_field(
                    "otp", _("Too many wrong codes. Ask for a new one."), code=ErrorCode.OTP_ATTEMPTS_EXCEEDED
                )
            else:
                error = InvalidInput.for_field(
                    "otp", f"The code is not correct. {left} tries left.", code=ErrorCode.INVALID_OTP
                )
            record.save(update_fields=["attempts", "consumed_at"])
        else:
            record.consumed_at = now
            record.save(update_fields=["consumed_at"])
    if error is not None:
        raise error
    return record
