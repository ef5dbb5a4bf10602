"""Review reads: what waits for the shopper's review."""

import pytest

from orders import services as orders
from orders.tests.factories import delivered, place, shipped
from reviews.selectors import ready_for_review

from .factories import submit

pytestmark = pytest.mark.django_db


def test_ready_for_review_lists_each_received_product_once(shopper):
    first = delivered(shopper, quantities=(1, 2))
    delivered(shopper, quantities=(1,))  # the first product again, in a newer order
    ready = ready_for_review(customer=shopper)
    assert sorted(i.product.sku for i in ready) == ["SKU-0001", "SKU-0002"]
    newest = next(i for i in ready if i.product.sku == "SKU-0001")
    assert newest.order.number != first.number  # the most recent order


def test_ready_for_review_excludes_reviewed_cancelled_undelivered_and_fully_returned(shopper):
    place(shopper, quantities=(1,))  # confirmed, not received
    shipped(shopper, quantities=(1,))  # shipped, not delivered
    orders.order_cancel(order=place(shopper, quantities=(1,)), reason="x")
    received = delivered(shopper, quantities=(1, 2))
    one, two = received.items.order_by("pk")
    assert {i.product.sku for i in ready_for_review(customer=shopper)} == {"SKU-0001", "SKU-0002"}
    submit(shopper, one.product)
    orders.return_create(
        order=received, lines=[orders.ReturnRequestLine(order_item=two, quantity=1, reason="x", resolution="refund")]
    )
    assert {i.product.sku for i in ready_for_review(customer=shopper)} == {"SKU-0002"}  # half returned
    orders.return_create(
        order=received, lines=[orders.ReturnRequestLine(order_item=two, quantity=1, reason="x", resolution="refund")]
    )
    assert ready_for_review(customer=shopper) == []
