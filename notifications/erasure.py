"""A shopper's messages in erasure and export (`accounts.erasure` calls these; registered in
`NotificationsConfig.ready`). The outbox holds addresses and order details, so erasure deletes
the shopper's rows rather than keeping them."""

from .models import Message
from .selectors import message_list_for_user


def customer_erase(*, user) -> None:
    Message.objects.filter(user=user).delete()


def customer_export(*, user, request) -> dict:
    return {
        "messages": [
            {"date": m.created_at.isoformat(), "channel": m.channel, "subject": m.subject, "status": m.status}
            for m in message_list_for_user(user=user)
        ]
    }
