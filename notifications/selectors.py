"""Reads of the outbox."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .models import Message

# The messages of one event go out on each channel the shopper chose, written in one transaction:
# rows of the same event and order this close together are one event on the Messages page.
_SAME_EVENT = timedelta(seconds=5)


@dataclass
class EventMessages:
    """One event as the Messages page shows it: its messages, one per channel."""

    messages: list = field(default_factory=list)

    @property
    def first(self) -> Message:
        return self.messages[0]

    @property
    def at(self) -> datetime:
        return self.first.sent_at or self.first.created_at

    @property
    def subject(self) -> str:
        return next((m.subject for m in self.messages if m.subject), "")

    @property
    def order_number(self) -> str:
        return (self.first.context or {}).get("order_number", "")

    @property
    def channels(self) -> list[str]:
        """ "Email", "SMS (skipped)": each channel, with how it went unless it was sent."""
        return [
            m.get_channel_display() if m.status == "sent" else f"{m.get_channel_display()} ({m.get_status_display()})"
            for m in self.messages
        ]


def message_events(messages) -> list[EventMessages]:
    """`messages` (newest first) folded into events: a row joins the event above it when it has
    the same event name and order and was written within seconds of it."""
    events: list[EventMessages] = []
    for message in messages:
        last = events[-1] if events else None
        if (
            last is not None
            and last.first.event == message.event
            and (last.first.context or {}).get("order_number") == (message.context or {}).get("order_number")
            and abs(last.first.created_at - message.created_at) <= _SAME_EVENT
        ):
            last.messages.append(message)
        else:
            events.append(EventMessages([message]))
    return events


def message_list_for_user(*, user):
    """What was sent (or queued) to one shopper, newest first: the website's Messages page."""
    return (
        Message.objects.filter(user=user)
        .only("id", "created_at", "sent_at", "channel", "subject", "status", "event", "context")
        .order_by("-created_at", "-pk")
    )
