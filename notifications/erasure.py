"""A shopper's messages in erasure and export (`accounts.erasure` calls these; registered in
`NotificationsConfig.ready`). The outbox holds addresses and order details, so erasure deletes
the shopper's rows rather than keeping them, and sends the one notice that the account is gone."""

from .models import Message
from .selectors import message_list_for_user
from .services import account_erased_notify


def customer_erase(*, user) -> None:
    """Delete the shopper's messages, then queue the "account erased" notice to the addresses
    the account still has (the erasure scrubs them after every app has run)."""
    Message.objects.filter(user=user).delete()
    account_erased_notify(user=user)


def customer_export(*, user, request) -> dict:
    return {
        "messages": [
            {"date": m.created_at.isoformat(), "channel": m.channel, "subject": m.subject, "status": m.status}
            for m in message_list_for_user(user=user)
        ]
    }
