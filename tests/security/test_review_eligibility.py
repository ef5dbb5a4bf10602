"""Review eligibility, one rule: "ready for review" and the submit both read
`reviews.selectors.products_received`, so a product returned in full is neither listed nor
accepted (they once disagreed)."""

import pytest

from common.exceptions import Forbidden
from common.testing import API, assert_error
from orders import services as orders
from orders.tests.factories import delivered, place
from reviews.models import Review
from reviews.selectors import ready_for_review
from reviews.services import review_submit

pytestmark = pytest.mark.django_db


def _return(order, item, quantity):
    line = orders.ReturnRequestLine(order_item=item, quantity=quantity, reason="Did not like it", resolution="refund")
    return orders.return_create(order=order, lines=[line])


def _ready(customer) -> set[str]:
    return {item.product_id for item in ready_for_review(customer=customer)}


def test_a_product_returned_in_full_cannot_be_reviewed(client_for, shopper):
    order = delivered(shopper, quantities=(2,))
    item = order.items.get()
    _return(order, item, 2)
    assert item.product_id not in _ready(shopper)
    with pytest.raises(Forbidden) as exc:
        review_submit(customer=shopper, product=item.product, rating=5, review_text="Sent it back")
    assert exc.value.code == "not_purchased"
    response = client_for(shopper).post(
        f"{API}/catalog/products/{item.product_id}/reviews",
        {"rating": 5, "review_text": "Sent it back", "order_number": order.number},
        format="json",
    )
    assert_error(response, 403, "not_purchased")
    assert not Review.objects.filter(customer=shopper).exists()


def test_the_website_form_refuses_a_product_returned_in_full(client, shopper):
    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    _return(order, item, 1)
    client.force_login(shopper)
    response = client.post(
        f"/account/reviews/{item.product_id}/",
        {"rating": "5", "review_text": "Sent it back", "order_number": order.number},
    )
    assert response.status_code == 400
    assert not Review.objects.filter(customer=shopper).exists()


def test_the_list_and_the_submit_agree_product_by_product(shopper):
    """For every situation the list knows, a product is listed exactly when a review is accepted."""
    place(shopper, quantities=(1, 1, 1, 1))  # ordered, never received
    kept = delivered(shopper, quantities=(1, 2, 2, 1))
    first, half, full, released = kept.items.order_by("pk")
    _return(kept, half, 1)  # half returned: kept one, still reviewable
    _return(kept, full, 2)  # returned in full
    orders.return_cancel(order_return=_return(kept, released, 1), reason="Changed my mind")  # kept after all
    listed = _ready(shopper)
    for item in (first, half, full, released):
        try:
            review_submit(customer=shopper, product=item.product, rating=4, review_text="Fine")
            accepted = True
        except Forbidden:
            accepted = False
        assert accepted == (item.product_id in listed), item.product.sku
    assert listed == {first.product_id, half.product_id, released.product_id}


def test_a_product_bought_again_after_a_full_return_can_be_reviewed(shopper):
    returned = delivered(shopper, quantities=(1,))
    _return(returned, returned.items.get(), 1)
    again = delivered(shopper, quantities=(1,))  # the same product, bought again and kept
    product = again.items.get().product
    assert product.pk in _ready(shopper)
    review = review_submit(customer=shopper, product=product, rating=5, review_text="Better this time")
    assert review.order_id == again.pk
    # Citing the order whose item went back is refused: the shopper did not keep it from there.
    Review.objects.all().delete()
    with pytest.raises(Forbidden):
        review_submit(customer=shopper, product=product, rating=5, review_text="x", order_number=returned.number)
