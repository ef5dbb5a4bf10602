"""One-time codes: issue, deliver and verify.

Used by registration now and by email/phone changes and password reset. Rules:
- a 6-digit code, stored only as an HMAC (keyed by SECRET_KEY and the token), never in clear;
- the client gets an opaque `otp_token`, stored only as its SHA-256;
- a code lives `OTP_TTL` (10 minutes); `OTP_MAX_ATTEMPTS` (5) wrong codes kill the token;
- a new code for the same action and address is refused for `OTP_RESEND_SECONDS` (30 s), and a
  new code makes the earlier ones of that action and address useless.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from common.db import lock_name
from common.digits import ascii_digits
from common.errors import ErrorCode
from common.exceptions import InvalidInput, Throttled
from common.shoptime import clock_time

from . import messaging
from .models import OtpAction, OtpChannel, OtpToken


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


_SUBJECTS = {
    OtpAction.REGISTER: "Confirm your new account",
    OtpAction.LOGIN: "Your sign-in code",
    OtpAction.RESET_PASSWORD: "Reset your password",
    OtpAction.VERIFY_EMAIL: "Verify your email address",
    OtpAction.VERIFY_PHONE: "Verify your phone number",
    OtpAction.UPDATE_EMAIL: "Confirm your new email address",
    OtpAction.UPDATE_PHONE: "Confirm your new phone number",
    OtpAction.REAUTHENTICATE: "Your code to confirm it is you",
}


def otp_issue(
    *,
    action: str,
    channel: str,
    target: str,
    user=None,
    payload: dict | None = None,
    deliver: bool = True,
    now=None,
) -> IssuedOtp:
    """Create a code for `action` and send it to `target` once the transaction commits.

    `deliver=False` records a code that is never sent (a reset for an unknown address).
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
                    "A code was sent a moment ago. Please wait before asking for another.",
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
        minutes = int(settings.OTP_TTL.total_seconds() // 60)
        body = (
            f"{code} is your code to {action.label.lower()}. "
            f"It expires in {minutes} minutes, at {clock_time(record.expires_at)}."
        )
        # Codes skip the outbox and go straight after the commit: the outbox keeps messages as
        # text, and a code must exist only as an HMAC; a code is also worth nothing late (the
        # shopper waits for it, and asks for a new one rather than one retried minutes later).
        if deliver:
            transaction.on_commit(
                lambda: messaging.deliver(channel=channel, to=target, subject=_SUBJECTS[action], body=body)
            )
    return IssuedOtp(otp_token=otp_token, otp_action=action.value, code=code, record=record)


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
                "otp_token", "This code is no longer valid. Ask for a new one.", code=ErrorCode.INVALID_OTP
            )
        elif record.expires_at <= now:
            error = InvalidInput.for_field(
                "otp", "This code has expired. Ask for a new one.", code=ErrorCode.OTP_EXPIRED
            )
        elif not constant_time_compare(record.code_hash, _code_hash(token_hash, ascii_digits(str(otp)).strip())):
            record.attempts += 1
            left = settings.OTP_MAX_ATTEMPTS - record.attempts
            if left <= 0:
                record.consumed_at = now
                error = InvalidInput.for_field(
                    "otp", "Too many wrong codes. Ask for a new one.", code=ErrorCode.OTP_ATTEMPTS_EXCEEDED
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
