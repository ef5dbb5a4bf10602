"""The order events added to the outbox by the real order services, inside their transactions:
a return requested, received and refunded, a refund on its way, a replacement shipped and the
points an order earned. Each names the order (and the return or refund) in what it renders."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import Message
from orders import services
from orders.lifecycle import return_window_closes
from orders.models import Order, RefundStatus
from orders.services.refunds import refund_gateway_update

from .factories import completed, delivered, place

pytestmark = pytest.mark.django_db


def sent(event, channel="email"):
    return Message.objects.filter(event=event, channel=channel).order_by("-created_at").first()


def rendered(message, part):
    return render_to_string(f"notifications/{message.event}/{part}", message.context).strip()


def a_return(order, resolution="refund"):
    line = [
        services.ReturnRequestLine(order_item=order.items.first(), quantity=1, reason="Damaged", resolution=resolution)
    ]
    return services.return_create(order=order, lines=line)


def test_a_return_is_acknowledged_when_requested_and_when_its_items_arrive(shopper):
    order = delivered(shopper)
    order_return = a_return(order)
    requested = sent("return_requested")
    assert (
        requested.subject == f"We received your return request {order_return.request_number} for order {order.number}"
    )
    assert set(Message.objects.filter(event="return_requested").values_list("channel", flat=True)) == {
        "email",
        "sms",
        "whatsapp",
    }
    assert not Message.objects.filter(event="return_received").exists()

    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    text = rendered(sent("return_received", "sms"), "text.txt")
    assert (
        text == f"Return {order_return.request_number} (order {order.number}) received. Refund or replacement follows."
    )


def test_a_completed_return_says_what_is_refunded_and_where_then_the_refund_starts(shopper):
    order = delivered(shopper)
    order_return = a_return(order)
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    services.return_complete(order_return=order_return)
    refund = Order.objects.get(pk=order.pk).refunds.get()
    refunded = sent("return_refunded")
    amount = f"₹{refund.amount:,.2f}"
    assert (
        refunded.subject == f"Return {order_return.request_number} for order {order.number}: {amount} is being refunded"
    )
    assert f"We are refunding {amount} to the card you paid with" in rendered(refunded, "body.txt")
    assert not Message.objects.filter(event="refund_started").exists()  # not yet sent on its way

    services.refund_issue(refund=refund)
    started = sent("refund_started")
    assert started.subject == f"Your refund for order {order.number} is on its way"
    assert started.context["refund_number"] == refund.request_number
    assert f"Refund of {amount} for order {order.number} sent to" in rendered(sent("refund_started", "sms"), "text.txt")


def test_a_refund_the_gateway_accepts_has_started(shopper):
    order = place(shopper)
    services.order_cancel(order=order, reason="Changed my mind")
    refund = Order.objects.get(pk=order.pk).refunds.get()
    type(refund).objects.filter(pk=refund.pk).update(gateway="razorpay", gateway_payment_id="pay_1")
    refund_gateway_update(refund=refund, refund_id="rfnd_1", status="pending")
    assert type(refund).objects.get(pk=refund.pk).status == RefundStatus.APPROVED
    assert sent("refund_started").context["refund_number"] == refund.request_number
    refund_gateway_update(refund=refund, refund_id="rfnd_1", status="pending")  # told again: not news
    assert Message.objects.filter(event="refund_started").count() == 3


def test_a_replacement_names_the_return_it_replaces_when_it_ships(shopper):
    order = delivered(shopper)
    order_return = a_return(order, resolution="replacement")
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    order_return = services.return_complete(order_return=order_return)
    replacement = order_return.replacement_order
    assert not Message.objects.filter(event="return_refunded").exists()  # nothing refunded
    services.shipment_create(order=replacement, courier_company_name="Delhivery", awb_no="DL9")
    message = sent("replacement_shipped")
    assert (
        message.subject == f"Replacement for return {order_return.request_number}, order {replacement.number}: Shipped"
    )
    assert rendered(sent("replacement_shipped", "sms"), "text.txt") == (
        f"Replacement for return {order_return.request_number}, order {replacement.number}: Shipped. "
        "Courier: Delhivery. AWB DL9."
    )
    assert f"Order {replacement.number}: Shipped" in rendered(message, "body.html")
    assert not Message.objects.filter(event="order_shipped", context__order_number=replacement.number).exists()


def test_a_completed_order_tells_the_points_it_earned_and_when_they_can_be_spent(shopper):
    order = completed(shopper)
    message = sent("points_earned")
    closes = timezone.localtime(return_window_closes(order))
    spendable_on = f"{closes.day} {closes:%b %Y}"
    assert order.loyalty_points_earned > 0
    assert message.subject == f"You earned {order.loyalty_points_earned} points on order {order.number}"
    assert f"You can spend them from {spendable_on}" in rendered(message, "body.txt")


def test_no_points_message_while_the_program_is_off(shopper, settings):
    settings.LOYALTY_ENABLED = False
    completed(shopper)
    assert not Message.objects.filter(event="points_earned").exists()
