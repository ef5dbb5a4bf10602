"""The website's reviews page: what waits for a review, and writing one."""

import pytest

from orders.tests.factories import delivered
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_reviews_page_and_writing_a_review(signed_in, shopper, django_assert_max_num_queries):
    assert b"Nothing to review right now" in signed_in.get("/account/reviews/").content
    order = delivered(shopper, quantities=(1, 1))
    item = order.items.first()
    with django_assert_max_num_queries(6):
        page = signed_in.get("/account/reviews/")
    assert item.product_name.encode() in page.content
    response = signed_in.post(f"/account/reviews/{item.product_id}/",
                              {"review_text": "Good", "order_number": order.number})
    assert response.status_code == 400 and b"Choose 1 to 5 stars." in response.content
    response = signed_in.post(f"/account/reviews/{item.product_id}/",
                              {"rating": "4", "review_text": "Good", "order_number": order.number}, follow=True)
    assert b"Thanks for reviewing" in response.content
    assert Review.objects.get(customer=shopper).rating == 4
    again = signed_in.post(f"/account/reviews/{item.product_id}/", {"rating": "4", "review_text": "Again"})
    assert again.status_code == 400 and b"already reviewed" in again.content
