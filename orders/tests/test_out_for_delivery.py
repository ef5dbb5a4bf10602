"""Out for delivery (issue 18): staff mark a shipment on its last leg, the shopper hears of it on
every channel with the courier, AWB and tracking link, and the shipment is delivered from there
as from any status on the way."""

import pytest
from django.template.loader import render_to_string

from common.errors import ErrorCode
from common.exceptions import DomainError
from common.testing import admin_action
from notifications.models import Message
from orders import services
from orders.models import Order, OrderStatus, Shipment, ShipmentStatus

from .factories import delivered, shipped

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"


def _messages():
    return Message.objects.filter(event="order_out_for_delivery")


def _rendered(channel: str, part: str) -> str:
    message = _messages().get(channel=channel)
    return render_to_string(f"notifications/order_out_for_delivery/{part}", message.context).strip()


def test_a_shipment_out_for_delivery_tells_the_shopper_the_courier_awb_and_tracking_link(shopper):
    order = shipped(shopper)
    shipment = services.shipment_out_for_delivery(shipment=order.shipments.get())
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.OUT_FOR_DELIVERY
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    assert set(_messages().values_list("channel", flat=True)) == {"email", "sms", "whatsapp"}
    email = _messages().get(channel="email")
    assert email.subject == f"Order {order.number}: Out for delivery" and email.user == shopper
    assert {k: email.context[k] for k in ("order_number", "courier", "awb", "tracking_url", "order_path")} == {
        "order_number": order.number,
        "courier": "BlueDart",
        "awb": "AWB123",
        "tracking_url": "https://track.example.com/AWB123",
        "order_path": f"/account/orders/{order.number}/",
    }
    assert _rendered("sms", "text.txt") == (
        f"Order {order.number}: Out for delivery. Courier: BlueDart. AWB AWB123. Track: https://track.example.com/AWB123"
    )
    body = _rendered("email", "body.txt")
    assert "AWB number: AWB123" in body and "Track it: https://track.example.com/AWB123" in body
    assert f"http://127.0.0.1:8000/account/orders/{order.number}/" in body
    assert 'href="https://track.example.com/AWB123"' in _rendered("email", "body.html")


def test_a_shipment_out_for_delivery_is_then_delivered(shopper):
    order = shipped(shopper)
    shipment = services.shipment_out_for_delivery(shipment=order.shipments.get())
    services.shipment_deliver(shipment=shipment)
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DELIVERED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED


@pytest.mark.parametrize(
    "status", [ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED]
)
def test_only_a_shipment_on_its_way_goes_out_for_delivery(shopper, status):
    shipment = shipped(shopper).shipments.get()
    Shipment.objects.filter(pk=shipment.pk).update(status=status)
    with pytest.raises(DomainError) as refused:
        services.shipment_out_for_delivery(shipment=shipment)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    assert refused.value.message == "Only a shipment on its way can go out for delivery."
    assert Shipment.objects.get(pk=shipment.pk).status == status
    assert not _messages().exists()


def test_staff_mark_an_order_out_for_delivery_from_the_admin(staff_client, shopper):
    client = staff_client("Managers")
    order = shipped(shopper)
    response = admin_action(client, ORDERS, "out_for_delivery", [order])
    assert "Out for delivery: 1 done." in response.content.decode()
    assert order.shipments.get().status == ShipmentStatus.OUT_FOR_DELIVERY
    assert _messages().filter(context__order_number=order.number).count() == 3


def test_the_admin_refuses_an_order_with_nothing_on_its_way(staff_client, shopper):
    client = staff_client("Managers")
    order = delivered(shopper)
    response = admin_action(client, ORDERS, "out_for_delivery", [order])
    assert "Nothing of this order is waiting to go out for delivery." in response.content.decode()
    assert order.shipments.get().status == ShipmentStatus.DELIVERED and not _messages().exists()
