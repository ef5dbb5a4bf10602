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
            services.notify(
                customer=shopper,
                event="order_delivered",
                context={"order_number": f"ORD-{n:03d}", "headline": "Delivered 4 Dec"},
            )
        )
    services.notify(customer=other_shopper, event="order_delivered", context={"order_number": "ORD-OTHER"})
    with django_assert_max_num_queries(6):
        page = signed_in.get("/account/messages/").content.decode()
    assert 'href="/account/messages/" aria-current="page">Messages</a>' in page
    assert "Order ORD-011: Delivered 4 Dec" in page and "ORD-OTHER" not in page
    # One row per event, its channels beside it (not one row per channel), linked to its order.
    assert page.count("Order ORD-011: Delivered 4 Dec") == 1
    row = page[page.index("Order ORD-011: Delivered 4 Dec") :].split("</li>")[0]
    assert all(channel in row for channel in ("Email", "SMS", "WhatsApp"))
    assert 'href="/account/orders/ORD-011/"' in page and "Page 1 of 2" in page


def test_a_message_opens_as_it_was_sent_and_only_for_its_owner(signed_in, shopper, other_shopper, client_for):
    (email, *_) = services.notify(
        customer=shopper, event="order_delivered", context={"order_number": "ORD-9", "headline": "Delivered 4 Dec"}
    )
    deliver_all([email])
    page = signed_in.get(f"/account/messages/{email.pk}/").content.decode()
    assert "ORD-9" in page and "delivered" in page.lower() and 'href="/account/orders/ORD-9/"' in page
    (theirs, *_) = services.notify(customer=other_shopper, event="order_delivered", context={"order_number": "ORD-X"})
    assert signed_in.get(f"/account/messages/{theirs.pk}/").status_code == 404


def test_a_skipped_message_shows_as_skipped(signed_in, shopper):
    shopper.notification_preferences = {"transactional": {"email": True, "sms": False, "whatsapp": False}}
    shopper.save()
    deliver_all(services.notify(customer=shopper, event="order_delivered", context={"order_number": "ORD-7"}))
    page = signed_in.get("/account/messages/").content.decode()
    assert page.count(f"({MessageStatus.SKIPPED.label})") == 2


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/account/messages/")
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")
