import pytest

from orders.tests.factories import delivered
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_reviews_page_and_writing_a_review(client, shopper, django_assert_max_num_queries):
    client.force_login(shopper)
    assert b"Nothing to review right now" in client.get("/account/reviews/").content
    order = delivered(shopper, quantities=(1, 1))
    item = order.items.first()
    with django_assert_max_num_queries(6):
        page = client.get("/account/reviews/")
    assert item.product_name.encode() in page.content
    response = client.post(f"/account/reviews/{item.product_id}/", {"review_text": "Good", "order_number": order.number})
    assert response.status_code == 400 and b"Choose 1 to 5 stars." in response.content
    response = client.post(f"/account/reviews/{item.product_id}/",
                           {"rating": "4", "review_text": "Good", "order_number": order.number}, follow=True)
    assert b"Thanks for reviewing" in response.content
    assert Review.objects.get(customer=shopper).rating == 4
    again = client.post(f"/account/reviews/{item.product_id}/", {"rating": "4", "review_text": "Again"})
    assert again.status_code == 400 and b"already reviewed" in again.content
