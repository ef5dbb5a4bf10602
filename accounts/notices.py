"""Where an account's security notices go ("your email was changed", "your password was
changed"). accounts decides when a notice is due and what it says; the app that owns the outbox
(notifications, a layer above) registers how it is delivered, from its `AppConfig.ready()`.

A notice is never dropped for want of a sender: with none registered, sending one is an error.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_sender: Callable[..., object] | None = None


def notice_sender_register(sender: Callable[..., object]) -> None:
    """Called once, from the outbox app's ready(): `sender(channel=, to=, subject=, body=)`."""
    global _sender
    _sender = sender


def notice_send(*, channel: str, to: str, subject: str, body: str) -> None:
    """Queue a notice about the account (kind "security": preferences do not stop it), sent once
    the transaction commits (never for a rollback) and retried if it fails."""
    if _sender is None:
        raise ImproperlyConfigured("No app delivers account notices (notifications is not installed).")
    _sender(channel=channel, to=to, subject=subject, body=body)
