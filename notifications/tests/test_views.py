"""The website's Messages page: what was sent to the signed-in shopper, only theirs."""

import pytest

from notifications import services
from notifications.models import MessageStatus

pytestmark = pytest.mark.django_db


def deliver_all(messages):
    for message in messages:
        services.message_send(message_id=message.pk)


def test_messages_page_lists_what_was_sent_with_date_channel_subject_and_status(
    signed_in, shopper, other_shopper, django_assert_max_num_queries
):
    assert b"No messages yet" in signed_in.get("/account/messages/").content
    for n in range(12):
        deliver_all(
            services.notify(customer=shopper, event="order_delivered", context={"order_number": f"ORD-{n:03d}"})
        )
    services.notify(customer=other_shopper, event="order_delivered", context={"order_number": "ORD-OTHER"})
    with django_assert_max_num_queries(6):
        page = signed_in.get("/account/messages/").content.decode()
    assert 'href="/account/messages/" aria-current="page">Messages</a>' in page
    assert "Order ORD-011 is delivered" in page and "ORD-OTHER" not in page
    assert "<td>Email</td>" in page and "<td>WhatsApp</td>" in page
    assert "<td>Sent</td>" in page and "Page 1 of 2" in page


def test_a_skipped_message_shows_as_skipped(signed_in, shopper):
    shopper.notification_preferences = {"transactional": {"email": True, "sms": False, "whatsapp": False}}
    shopper.save()
    deliver_all(services.notify(customer=shopper, event="order_delivered", context={"order_number": "ORD-7"}))
    page = signed_in.get("/account/messages/").content.decode()
    assert page.count(f"<td>{MessageStatus.SKIPPED.label}</td>") == 2


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/account/messages/")
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")
