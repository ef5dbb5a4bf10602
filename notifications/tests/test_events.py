"""Every order event the shopper hears about, emitted by the real order services inside their
transactions: one message per channel, each naming the order (or return) number."""

import pytest

from notifications.models import Message, MessageStatus
from orders import services
from orders.models import Order
from orders.tests.factories import delivered, place, shipped

pytestmark = pytest.mark.django_db


def sent(event, channel="email"):
    return Message.objects.filter(event=event, channel=channel).order_by("-created_at").first()


def rendered(message, part):
    from django.template.loader import render_to_string

    return render_to_string(f"notifications/{message.event}/{part}", message.context)


def test_a_paid_order_is_confirmed_by_email_sms_and_whatsapp(shopper):
    order = place(shopper)
    assert set(Message.objects.filter(event="order_confirmed").values_list("channel", flat=True)) == {
        "email",
        "sms",
        "whatsapp",
    }
    email = sent("order_confirmed")
    assert email.subject == f"Order {order.number}: Confirmed" and email.user == shopper
    assert f"Order {order.number}: Confirmed." in rendered(sent("order_confirmed", "sms"), "text.txt")


def test_a_failed_payment_links_to_paying_and_is_dropped_once_the_shopper_pays_again(shopper, mailoutbox):
    order = place(shopper, outcome="failed")
    failed = sent("payment_failed")
    assert failed.subject == f"Order {order.number}: Payment failed"
    assert f"http://127.0.0.1:8000/account/orders/{order.number}/" in rendered(failed, "body.txt")
    assert f"/account/orders/{order.number}/" in rendered(sent("payment_failed", "sms"), "text.txt")
    services.payment_retry(order=order)  # the shopper is at the gateway already
    from notifications.services import message_send

    assert message_send(message_id=failed.pk) == MessageStatus.SKIPPED and not mailoutbox


def test_a_cancellation_says_how_much_is_refunded_and_where(shopper):
    order = place(shopper)
    services.order_cancel(order=order, reason="Changed my mind")
    message = sent("order_cancelled")
    body = rendered(message, "body.txt")
    assert message.subject == f"Order {order.number}: Cancelled"
    assert f"We are refunding ₹{order.grand_total:,.2f} to the card you paid with" in body


def test_shipping_names_the_courier_awb_and_tracking_link(shopper):
    order = shipped(shopper)
    text = rendered(sent("order_shipped", "sms"), "text.txt")
    assert text.strip() == (
        f"Order {order.number}: Shipped. Courier: BlueDart. AWB AWB123. Track: https://track.example.com/AWB123"
    )
    assert 'href="https://track.example.com/AWB123"' in rendered(sent("order_shipped"), "body.html")


def test_delivery_and_the_completed_refund_name_the_order(shopper):
    order = delivered(shopper)
    assert sent("order_delivered").subject.startswith(f"Order {order.number}: Delivered ")
    paid = place(shopper)
    services.order_cancel(order=paid, reason="Too late")
    refund = Order.objects.get(pk=paid.pk).refunds.get()
    services.refund_issue(refund=refund)
    services.refund_succeed(refund=refund, reference="UTR123")
    message = sent("refund_completed")
    assert message.subject == f"Your refund for order {paid.number} is done"
    assert "Reference: UTR123" in rendered(message, "body.txt")


def test_a_return_approved_or_rejected_names_the_return_and_the_order(shopper):
    order = delivered(shopper)
    item = order.items.first()
    line = [services.ReturnRequestLine(order_item=item, quantity=1, reason="Damaged", resolution="refund")]
    first = services.return_create(order=order, lines=line)
    services.return_reject(order_return=first, reason="Photos show no damage")
    rejected = sent("return_rejected", "sms")
    assert f"Return {first.request_number} (order {order.number}) not accepted. Photos show no damage" in rendered(
        rejected, "text.txt"
    )
    second = services.return_create(order=order, lines=line)
    services.return_approve(order_return=second)
    assert sent("return_approved").subject == f"Return {second.request_number} for order {order.number} is approved"
