"""Reads of the outbox."""

from .models import Message


def message_list_for_user(*, user):
    """What was sent (or queued) to one shopper, newest first: the website's Messages page."""
    return (
        Message.objects.filter(user=user)
        .only("id", "created_at", "sent_at", "channel", "subject", "status", "event")
        .order_by("-created_at", "-pk")
    )
