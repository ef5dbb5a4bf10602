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


def _orm_ready(customer):
    """What waits for a review, by the ORM: the reference the hand-written SQL must equal."""
    from reviews.models import ReceivedProduct, Review

    rows = (
        ReceivedProduct.objects.filter(customer=customer)
        .exclude(product__in=Review.objects.filter(customer=customer).values("product"))
        .select_related("order_item__order", "product")
        .order_by("-order_date", "order_item_id")
    )
    return [(row.order_item, row.product, row.order_item.order) for row in rows]


def _fields(obj, names=None) -> dict:
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if names is None or f.attname in names
    }


def test_the_ready_list_is_the_orms_whole_and_by_page(shopper, other_shopper, django_assert_num_queries):
    from django.core.paginator import Paginator

    from reviews.selectors import ReadyForReview

    for quantities in [(1, 2), (1,), (2, 3), (3, 1, 2)]:
        delivered(shopper, quantities=quantities)
        delivered(other_shopper, quantities=quantities)
    place(shopper, quantities=(1,))
    first = delivered(shopper, quantities=(2,))
    submit(shopper, first.items.get().product)  # reviewed: not waiting any more
    expected = _orm_ready(shopper)
    assert len(expected) >= 2
    with django_assert_num_queries(1):
        ready = ready_for_review(customer=shopper)
    with django_assert_num_queries(0):
        got = [(item, item.product, item.order) for item in ready]
    assert len(got) == len(expected)
    for (item, product, order), (want_item, want_product, want_order) in zip(got, expected, strict=True):
        assert _fields(item) == _fields(want_item) and _fields(product) == _fields(want_product)
        assert (order.pk, order.number) == (want_order.pk, want_order.number)
    with django_assert_num_queries(1):
        assert [i.pk for i in ready_for_review(customer=shopper, limit=1)] == [expected[0][0].pk]
    pages = Paginator(ReadyForReview(customer=shopper), 1)
    assert pages.count == len(expected)
    assert [pages.page(n).object_list[0].pk for n in pages.page_range] == [item.pk for item, _, _ in expected]
