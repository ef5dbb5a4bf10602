"""Every message says where an order stands with the website's headline (orders.headlines), and
every day or time in shop time (common.shoptime). Each event happens at 8 pm UTC, which is 1:30 am
the next day in India: a message that read UTC would name the wrong day."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.messaging import LocmemSmsBackend
from accounts.services import password_change
from common.testing import PASSWORD
from loyalty.models import LoyaltyAccount, PointsEntry
from notifications import events
from notifications.models import Message, MessageStatus
from notifications.services import message_send, message_text
from orders import services
from orders.headlines import delivery_headline
from orders.models import Order
from orders.tests.factories import completed, delivered, place, shipped

pytestmark = pytest.mark.django_db

EVENING_UTC = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # Fri 4 Dec in UTC, Sat 5 Dec 1:30 am in India


@pytest.fixture(autouse=True)
def evening(monkeypatch, settings):
    """The clock reads 8 pm UTC on 4 Dec 2026 (a millisecond later at each reading, so rows keep
    their order), and the return window is a week."""
    settings.RETURN_WINDOW_DAYS = 7
    ticks = count()
    monkeypatch.setattr(timezone, "now", lambda: EVENING_UTC + timedelta(milliseconds=next(ticks)))


def every_part(event: str, order_number: str = "") -> dict[str, str]:
    """What the shopper reads of the latest `event`: subject, email text and HTML, SMS, WhatsApp."""
    rows = Message.objects.filter(event=event).order_by("-created_at")
    if order_number:
        rows = rows.filter(context__order_number=order_number)
    by_channel = {m.channel: m for m in reversed(rows)}
    email = by_channel["email"]
    return {
        "subject": email.subject,
        "body.txt": render_to_string(f"notifications/{event}/body.txt", email.context),
        "body.html": render_to_string(f"notifications/{event}/body.html", email.context),
        "sms": message_text(by_channel["sms"]),
        "whatsapp": message_text(by_channel["whatsapp"]),
    }


def says_everywhere(parts: dict[str, str], text: str) -> None:
    missing = [name for name, said in parts.items() if text not in said]
    assert not missing, f"{text!r} is not in {missing}: {parts}"


def test_shipped_reads_the_headline_with_the_arrival_day_in_shop_time(shopper, signed_in):
    order = place(shopper)
    services.shipment_create(
        order=order,
        courier_company_name="BlueDart",
        awb_no="AWB123",
        eta_delivery=datetime(2026, 12, 5, 20, 0, tzinfo=UTC),  # Sat 5 Dec in UTC, Sun 6 Dec in India
    )
    parts = every_part("order_shipped")
    says_everywhere(parts, f"Order {order.number}: Arriving Sun 6 Dec")
    assert parts["subject"] == f"Order {order.number}: Arriving Sun 6 Dec"
    assert parts["sms"] == f"Order {order.number}: Arriving Sun 6 Dec. Courier: BlueDart. AWB AWB123."
    # The one rule, and the order's page, say the same.
    assert delivery_headline(Order.objects.get(pk=order.pk)).text == "Arriving Sun 6 Dec"
    assert "Arriving Sun 6 Dec" in signed_in.get(f"/account/orders/{order.number}/").content.decode()


def test_shipped_without_an_arrival_day_reads_shipped(shopper):
    order = shipped(shopper)
    parts = every_part("order_shipped")
    says_everywhere(parts, f"Order {order.number}: Shipped")
    assert "It is on its way with BlueDart." in parts["body.txt"]


def test_out_for_delivery_reads_the_headline_in_every_channel(shopper, signed_in):
    order = shipped(shopper)
    services.shipment_out_for_delivery(shipment=order.shipments.get())
    parts = every_part("order_out_for_delivery")
    says_everywhere(parts, f"Order {order.number}: Out for delivery")
    assert "It arrives today with BlueDart." in parts["body.txt"]
    assert "Out for delivery" in signed_in.get(f"/account/orders/{order.number}/").content.decode()


def test_delivered_reads_the_shop_day_and_the_last_day_to_return(shopper, signed_in):
    order = delivered(shopper, delivered_at=EVENING_UTC)
    parts = every_part("order_delivered")
    says_everywhere(parts, f"Order {order.number}: Delivered 5 Dec")  # 4 Dec in UTC
    assert "You can return items of this order until 12 Dec 2026." in parts["body.txt"]
    assert "until <strong>12 Dec 2026</strong>" in parts["body.html"]
    assert parts["sms"] == f"Order {order.number}: Delivered 5 Dec. Returns until 12 Dec 2026."
    assert "Delivered 5 Dec" in signed_in.get(f"/account/orders/{order.number}/").content.decode()


def test_payment_failed_confirmed_and_cancelled_read_their_headlines(shopper):
    failed = place(shopper, outcome="failed")
    says_everywhere(every_part("payment_failed"), f"Order {failed.number}: Payment failed")
    paid = place(shopper)
    says_everywhere(every_part("order_confirmed", paid.number), f"Order {paid.number}: Confirmed")
    services.order_cancel(order=paid, reason="Changed my mind")
    parts = every_part("order_cancelled")
    says_everywhere(parts, f"Order {paid.number}: Cancelled")
    assert "We are refunding ₹" in parts["body.txt"] and "Refund of ₹" in parts["sms"]


def test_a_replacement_reads_the_headline_of_the_order_that_carries_it(shopper):
    order = delivered(shopper)
    line = services.ReturnRequestLine(
        order_item=order.items.first(), quantity=1, reason="Damaged", resolution="replacement"
    )
    order_return = services.return_create(order=order, lines=[line])
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    replacement = services.return_complete(order_return=order_return).replacement_order
    services.shipment_create(
        order=replacement, courier_company_name="Delhivery", eta_delivery=datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
    )
    parts = every_part("replacement_shipped")
    says_everywhere(parts, f"{replacement.number}: Arriving Mon 7 Dec")  # Sun 6 Dec in UTC
    assert f"Order {replacement.number}: Arriving Mon 7 Dec" in parts["body.html"]


def test_a_started_refund_is_expected_by_a_day_in_shop_time(shopper):
    order = place(shopper)
    services.order_cancel(order=order, reason="Too late")
    refund = Order.objects.get(pk=order.pk).refunds.get()
    services.refund_issue(refund=refund)
    parts = every_part("refund_started")
    # Started 4 Dec at 8 pm UTC (5 Dec in India), and promised 9 days later.
    says_everywhere({k: v for k, v in parts.items() if k != "subject"}, "expected by 14 Dec 2026")


def test_points_earned_and_expiring_name_shop_days(shopper):
    order = completed(shopper, delivered_at=EVENING_UTC)
    earned = every_part("points_earned")
    says_everywhere({k: v for k, v in earned.items() if k != "subject"}, "12 Dec 2026")  # 11 Dec in UTC
    assert order.loyalty_points_earned > 0
    events.points_expiring(
        customer=shopper, points=40, expires_on=datetime(2026, 12, 10, 19, 0, tzinfo=UTC), once_key="batch-1"
    )
    parts = every_part("points_expiring")
    says_everywhere(parts, "11 Dec 2026")
    assert parts["subject"] == "40 of your loyalty points expire on 11 Dec 2026"


def test_a_points_expiry_entry_names_its_cutoff_in_shop_days(shopper):
    from loyalty.services import points_adjust, points_expire

    points_adjust(customer=shopper, points=100, remarks="Welcome gift")
    account = LoyaltyAccount.objects.get(customer=shopper)
    PointsEntry.objects.filter(account=account).update(created_at=EVENING_UTC - timedelta(days=400))
    entry = points_expire(account=account, cutoff=EVENING_UTC + timedelta(minutes=5))
    assert entry is not None and entry.remarks == "Points earned before 5 Dec 2026 expire."


def test_a_code_says_when_it_expires_on_the_shops_clock(shopper, django_capture_on_commit_callbacks):
    from accounts.otp import otp_issue

    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        otp_issue(action="login", channel="sms", target="+91 9123456780", user=shopper)
        otp_issue(action="login", channel="email", target=shopper.email, user=shopper)
    assert LocmemSmsBackend.outbox[-1].body.endswith("It expires in 10 minutes, at 1:40 am IST.")
    assert mail.outbox[-1].body.endswith("It expires in 10 minutes, at 1:40 am IST.")
    assert mail.outbox[-1].body.split()[0].isdigit()  # the code still opens the message


def test_a_security_notice_says_when_on_the_shops_clock(shopper, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        password_change(user=shopper, old_password=PASSWORD, new_password="A-new-long-passphrase-42", session=None)
    (notice,) = [m for m in mailoutbox if m.subject == "Your password was changed"]
    assert "was changed on 5 Dec 2026, 1:30 am IST." in notice.body


def test_a_message_queued_before_headlines_reads_the_orders_headline_when_sent(shopper, mailoutbox):
    """A row written by the previous release has no `headline` in its context: it says where the
    order stands when it goes, rather than "Order X: " with nothing after it."""
    order = delivered(shopper, delivered_at=EVENING_UTC)
    message = Message.objects.get(event="order_delivered", channel="sms")
    message.context = {k: v for k, v in message.context.items() if k != "headline"}
    message.save()
    assert message_text(message) == f"Order {order.number}: Delivered 5 Dec. Returns until 12 Dec 2026."
    email = Message.objects.get(event="order_delivered", channel="email")
    email.context.pop("headline")
    email.save()
    assert message_send(message_id=email.pk, raise_failure=False) == MessageStatus.SENT
    assert f"Order {order.number}: Delivered 5 Dec" in mailoutbox[-1].body


def test_the_messages_pages_date_each_message_on_the_shops_clock(shopper, signed_in):
    shipped(shopper)
    email = Message.objects.get(event="order_shipped", channel="email")
    assert message_send(message_id=email.pk, raise_failure=False) == MessageStatus.SENT
    listed = signed_in.get("/account/messages/").content.decode()
    assert "5 Dec 2026, 1:30 am IST" in listed and "p.m." not in listed and "a.m." not in listed
    opened = signed_in.get(f"/account/messages/{email.pk}/").content.decode()
    assert "5 Dec 2026, 1:30 am IST" in opened and "Order ORD-" in opened and ": Shipped" in opened
