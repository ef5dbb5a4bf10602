"""Review writes: who may review what (the stored received products), submitting, moderation
and the product's average."""

from decimal import Decimal

import pytest

from common.exceptions import DomainError, Forbidden, InvalidInput, NotFound
from common.tests.imagefiles import jpeg_with_gps, png, upload
from orders import lifecycle
from orders import services as orders
from orders.tests.factories import delivered, place
from reviews import services
from reviews.models import ReceivedProduct, Review

from .factories import first_product, submit

pytestmark = pytest.mark.django_db


# --- the stored received products (the eligibility rule) ----------------------------------


def _stored(customer):
    return sorted(ReceivedProduct.objects.filter(customer=customer).values_list("product_id", "order_item_id"))


def test_stored_received_products_follow_deliveries_and_returns(shopper, other_shopper):
    """The stored list is what a rebuild from scratch gives, after every change that matters;
    a returned-then-released item comes back, and another shopper's rows are left alone."""

    def check():
        stored = _stored(shopper)
        ReceivedProduct.objects.filter(customer=shopper).delete()
        services.received_products_refresh(customer_id=shopper.pk)
        assert _stored(shopper) == stored
        return stored

    delivered(other_shopper, quantities=(1,))
    theirs_before = _stored(other_shopper)
    assert theirs_before and check() == []
    old = delivered(shopper, quantities=(2, 1))
    assert len(check()) == 2
    new = delivered(shopper, quantities=(1,))  # the first product again: the newer item wins
    first_product_id = new.items.get().product_id
    assert (first_product_id, new.items.get().pk) in check()
    item = new.items.get()
    line = orders.ReturnRequestLine(order_item=item, quantity=1, reason="x", resolution="refund")
    returned = orders.return_create(order=new, lines=[line])
    assert (first_product_id, old.items.order_by("pk")[0].pk) in check()  # back to the older purchase
    orders.return_reject(order_return=returned, reason="Used")
    assert (first_product_id, item.pk) in check()
    again = orders.return_create(order=new, lines=[line])
    orders.return_cancel(order_return=again, reason="Changed my mind")
    assert (first_product_id, item.pk) in check()
    assert _stored(other_shopper) == theirs_before


def test_what_was_delivered_of_a_partly_delivered_order_can_be_returned_and_reviewed_alike(shopper):
    """One rule (orders.lifecycle.order_items_received), shipment-level: the parcel that arrived
    can be returned and reviewed while the rest is on its way; the item still travelling can be
    neither; returning all of what arrived takes it off the review list."""
    order = place(shopper, quantities=(1, 1))
    arrived, travelling = order.items.order_by("pk")
    orders.shipment_create(order=order, items=[(arrived, 1)])
    orders.shipment_create(order=order)
    first, _second = order.shipments.order_by("created_at", "pk")
    orders.shipment_deliver(shipment=first)
    order.refresh_from_db()
    assert order.status == "partially_delivered"

    assert [item.pk for item, _n in lifecycle.returnable_items(order)] == [arrived.pk]
    assert _stored(shopper) == [(arrived.product_id, arrived.pk)]
    assert submit(shopper, arrived.product).order_id == order.pk
    with pytest.raises(Forbidden):
        submit(shopper, travelling.product)

    line = orders.ReturnRequestLine(order_item=arrived, quantity=1, reason="x", resolution="refund")
    orders.return_create(order=order, lines=[line])
    assert _stored(shopper) == [] and lifecycle.returnable_items(order) == []


# --- submitting ---------------------------------------------------------------------------


def test_only_received_products_can_be_reviewed(shopper):
    order = place(shopper, quantities=(1,))
    with pytest.raises(Forbidden) as exc:
        submit(shopper, first_product(order))
    assert exc.value.code == "not_purchased"


def test_review_is_pending_and_unique(shopper):
    product = first_product(delivered(shopper, quantities=(1,)))
    review = submit(shopper, product, tags=["fresh", "fresh", "value"])
    assert review.status == "pending" and review.tags == ["fresh", "value"]
    with pytest.raises(DomainError) as exc:
        submit(shopper, product)
    assert exc.value.code == "already_reviewed"


def test_auto_approve_updates_the_product_at_once(shopper, settings):
    settings.REVIEWS_AUTO_APPROVE = True
    product = first_product(delivered(shopper, quantities=(1,)))
    assert submit(shopper, product, rating=4).status == "approved"
    product.refresh_from_db()
    assert (product.average_rating, product.review_count) == (Decimal("4.00"), 1)


@pytest.mark.parametrize("rating, text", [(0, "x"), (6, "x"), (3, "x" * 5001)])
def test_rating_and_text_bounds(shopper, rating, text):
    product = first_product(delivered(shopper, quantities=(1,)))
    with pytest.raises(InvalidInput):
        submit(shopper, product, rating=rating, text=text)


def test_images_are_checked_and_stored_clean(shopper):
    product = first_product(delivered(shopper, quantities=(1,)))
    with pytest.raises(InvalidInput):
        submit(shopper, product, images=[upload(jpeg_with_gps()) for _ in range(6)])
    with pytest.raises(InvalidInput):
        submit(shopper, product, images=[upload(jpeg_with_gps()), upload(b"nope")])
    assert not Review.objects.exists()
    review = submit(shopper, product, images=[upload(jpeg_with_gps()), upload(png(), "p.png", "image/png")])
    images = list(review.images.all())
    assert len(images) == 2
    assert images[0].thumbnail.width <= 256 and images[0].standard.width == 1024


def test_average_counts_approved_reviews_only(shopper, other_shopper, make_user):
    third = make_user(email="third@example.com", phone="9000000333")
    for customer in (shopper, other_shopper, third):
        product = first_product(delivered(customer, quantities=(1,)))
    reviews = [
        submit(customer, product, rating=rating) for customer, rating in ((shopper, 5), (other_shopper, 2), (third, 3))
    ]
    product.refresh_from_db()
    assert product.review_count == 0
    services.review_approve(review=reviews[0])
    services.review_approve(review=reviews[1])
    product.refresh_from_db()
    assert (product.average_rating, product.review_count) == (Decimal("3.50"), 2)
    services.review_reject(review=reviews[1], reason="Off topic")
    services.review_approve(review=reviews[2])
    product.refresh_from_db()
    assert (product.average_rating, product.review_count) == (Decimal("4.00"), 2)


def test_a_star_only_rating_is_a_review(shopper):
    product = first_product(delivered(shopper, quantities=(1,)))
    review = submit(shopper, product, rating=4, text="   ")
    assert (review.rating, review.review_text, review.status) == (4, "", "pending")


def test_the_author_changes_or_deletes_a_pending_review(shopper, other_shopper):
    order = delivered(shopper, quantities=(1, 1))
    first, second = [item.product for item in order.items.order_by("pk")]
    review = submit(shopper, first, rating=2, text="Meh")
    with pytest.raises(InvalidInput):
        services.review_update(customer=shopper, review_id=review.pk, rating=0, review_text="x")
    with pytest.raises(NotFound):  # another shopper's review is not theirs to see
        services.review_update(customer=other_shopper, review_id=review.pk, rating=5)
    with pytest.raises(NotFound):
        services.review_delete(customer=other_shopper, review_id=review.pk)
    updated = services.review_update(customer=shopper, review_id=review.pk, rating=5, review_text="  ")
    assert (updated.rating, updated.review_text) == (5, "")
    services.review_delete(customer=shopper, review_id=review.pk)
    assert not Review.objects.filter(pk=review.pk).exists()
    # The product is waiting for a review again.
    from reviews.selectors import ready_for_review

    assert {item.product_id for item in ready_for_review(customer=shopper)} == {first.pk, second.pk}


def test_a_checked_review_can_no_longer_be_changed_or_deleted(shopper):
    product = first_product(delivered(shopper, quantities=(1,)))
    review = services.review_approve(review=submit(shopper, product, rating=4, text="Good"))
    with pytest.raises(DomainError) as refused:
        services.review_update(customer=shopper, review_id=review.pk, rating=1)
    assert refused.value.code == "invalid_transition"
    with pytest.raises(DomainError):
        services.review_delete(customer=shopper, review_id=review.pk)
    assert Review.objects.get(pk=review.pk).rating == 4
