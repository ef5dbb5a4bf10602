from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from orders import services
from orders.headlines import BAD, GOOD, INFO, NEUTRAL, WARN, delivery_headline
from orders.models import OrderStatus, PaymentStatus, ShipmentStatus

from .factories import shipped


class _Shipments(list):
    def all(self):
        return self


def _order(status, payment=PaymentStatus.SUCCESS, shipments=()):
    return SimpleNamespace(
        status=status, payment_status=payment, shipments=_Shipments(shipments), get_status_display=lambda: status
    )


def _shipment(status, pk=1, **dates):
    return SimpleNamespace(
        status=status,
        pk=pk,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        shipped_date=dates.get("shipped"),
        delivered_date=dates.get("delivered"),
        eta_delivery=dates.get("eta"),
        get_status_display=lambda: status,
    )


def _read(order):
    h = delivery_headline(order)
    return h.text, h.tone


def test_out_for_delivery_speaks_over_the_order_saying_shipped():
    order = _order(OrderStatus.SHIPPED, shipments=[_shipment(ShipmentStatus.OUT_FOR_DELIVERY)])
    assert _read(order) == ("Out for delivery", INFO)  # on its way: the shipment badge's colour


def test_eta_reads_in_shop_time():
    # 20:00 UTC on Fri 5 Dec is already Sat 6 Dec in India.
    eta = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)
    order = _order(OrderStatus.SHIPPED, shipments=[_shipment(ShipmentStatus.IN_TRANSIT, eta=eta)])
    assert _read(order) == ("Arriving Sun 6 Dec", INFO)


def test_delivered_and_complete_read_the_same_for_shoppers():
    ship = _shipment(ShipmentStatus.DELIVERED, delivered=datetime(2026, 12, 1, 6, tzinfo=UTC))
    assert _read(_order(OrderStatus.DELIVERED, shipments=[ship])) == ("Delivered 1 Dec", GOOD)
    assert _read(_order(OrderStatus.COMPLETE, shipments=[ship])) == ("Delivered 1 Dec", GOOD)


def test_latest_shipment_wins():
    old = _shipment(ShipmentStatus.DELIVERED, pk=1, shipped=datetime(2026, 11, 1, tzinfo=UTC))
    new = _shipment(ShipmentStatus.OUT_FOR_DELIVERY, pk=2, shipped=datetime(2026, 12, 1, tzinfo=UTC))
    assert _read(_order(OrderStatus.PARTIALLY_DELIVERED, shipments=[old, new]))[0] == "Out for delivery"


def test_order_level_states():
    assert _read(_order(OrderStatus.PENDING, PaymentStatus.FAILED)) == ("Payment failed", BAD)
    assert _read(_order(OrderStatus.PENDING, PaymentStatus.PENDING)) == ("Awaiting payment", WARN)
    assert _read(_order(OrderStatus.CANCELLED, PaymentStatus.FAILED)) == ("Cancelled", NEUTRAL)
    assert _read(_order(OrderStatus.CONFIRMED)) == ("Confirmed", NEUTRAL)
    assert _read(_order(OrderStatus.AWAITING_SHIPMENT)) == ("Preparing to ship", NEUTRAL)


@pytest.mark.django_db
def test_out_for_delivery_reads_the_same_on_the_list_the_overview_and_the_order_page(signed_in, shopper):
    order = shipped(shopper)
    services.shipment_out_for_delivery(shipment=order.shipments.get())
    for url in ("/account/orders/", "/account/", f"/account/orders/{order.number}/"):
        page = signed_in.get(url).content.decode()
        assert '<span class="badge info">Out for delivery</span>' in page, url
        assert '<span class="badge neutral">Shipped</span>' not in page, url


def test_an_attempt_open_at_the_gateway_reads_payment_waiting_not_failed():
    order = _order(OrderStatus.PENDING, PaymentStatus.FAILED)
    assert _read(order) == ("Payment failed", BAD)
    waiting = delivery_headline(order, payment_waiting=True)
    assert (waiting.text, waiting.tone) == ("Payment waiting", WARN)


def test_the_tracker_follows_the_parcel():
    from orders.headlines import order_steps

    placed = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)

    def steps(status, shipments=()):
        order = _order(status, shipments=shipments)
        order.order_date, order.payment_success_date, order.delivered_at = placed, placed, None
        return [(s.label, s.state) for s in order_steps(order)]

    assert steps(OrderStatus.PENDING) == []  # waiting for its money: the headline says it
    assert steps(OrderStatus.CANCELLED) == []
    assert steps(OrderStatus.CONFIRMED) == [
        ("Placed", "done"),
        ("Confirmed", "current"),
        ("Shipped", "upcoming"),
        ("Out for delivery", "upcoming"),
        ("Delivered", "upcoming"),
    ]
    out = _shipment(ShipmentStatus.OUT_FOR_DELIVERY, shipped=placed)
    assert steps(OrderStatus.SHIPPED, [out])[2:] == [
        ("Shipped", "done"),
        ("Out for delivery", "current"),
        ("Delivered", "upcoming"),
    ]
    assert {state for _, state in steps(OrderStatus.COMPLETE)} == {"done"}


@pytest.mark.django_db
def test_the_order_page_shows_the_tracker_and_the_admin_the_same_headline(signed_in, shopper, staff_client):
    order = shipped(shopper)
    services.shipment_out_for_delivery(shipment=order.shipments.get())
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert 'aria-current="step"' in page and "Out for delivery" in page
    admin_page = staff_client("Managers").get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "Shopper sees" in admin_page and "Out for delivery" in admin_page


@pytest.mark.django_db
def test_the_api_keeps_writing_utc_while_pages_speak_shop_time(client_for, shopper, signed_in):
    order = shipped(shopper)
    body = client_for(shopper).get(f"/api/v1/storefront/orders/{order.number}").json()
    assert body["content"]["order"]["order_date"].endswith("Z")
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert "IST" in page
