"""The outbox in the back office: filters, and "send again" through the service."""

import pytest

from common.testing import admin_action
from notifications import services
from notifications.models import Message, MessageStatus

pytestmark = pytest.mark.django_db
URL = "/admin/notifications/message/"


def test_support_filters_the_outbox_and_sends_a_message_again(
    staff_client, shopper, mailoutbox, django_capture_on_commit_callbacks
):
    email, sms, _ = sorted(
        services.notify(
            customer=shopper, event="order_delivered", context={"order_number": "ORD-9", "headline": "Delivered 4 Dec"}
        ),
        key=lambda m: m.channel,
    )
    services.message_send(message_id=email.pk)
    client = staff_client("Support")
    listed = client.get(URL, {"status": "sent", "channel": "email", "kind": "transactional"}).content.decode()
    assert "Order ORD-9: Delivered 4 Dec" in listed and "+91 9123456780" not in listed
    assert "+91 9123456780" in client.get(URL, {"status": "queued"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_action(client, URL, "send_again", [email])
    assert "Queued again: 1 done." in page.content.decode()
    assert Message.objects.filter(channel="email", status=MessageStatus.SENT).count() == 2 and len(mailoutbox) == 2


def test_the_outbox_is_read_only(staff_client, shopper):
    message = services.notice_queue(channel="email", to="a@example.com", subject="Your password changed", body="…")
    client = staff_client("Managers")
    assert client.get(URL + "add/").status_code == 403
    page = client.get(f"{URL}{message.pk}/change/").content.decode()
    assert "Your password changed" in page and 'name="status"' not in page
