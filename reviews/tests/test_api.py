"""Review endpoints (CONTRACT.md section 9)."""

import pytest

from common.testing import API, assert_error
from common.tests.imagefiles import jpeg_with_gps, png, upload
from orders.tests.factories import delivered, place
from reviews import services

from .factories import first_product, submit

pytestmark = pytest.mark.django_db


def test_customer_reviews_endpoint(client_for, shopper, settings):
    settings.SITE_URL = "https://account.example.com"  # media URLs are answered on it
    order = delivered(shopper, quantities=(1, 1))
    one, two = order.items.order_by("pk")
    review = submit(shopper, one.product, images=[upload(jpeg_with_gps())])
    content = client_for(shopper).get(f"{API}/customers/{shopper.id}/reviews").json()["content"]
    mine = content["reviews"][0]
    assert set(mine) == {
        "id",
        "product_id",
        "product_name",
        "product_image_url",
        "status",
        "rating",
        "review_text",
        "review_date",
        "average_rating",
        "tags",
        "images",
        "listing_price",
        "selling_price",
        "order_number",
        "created_at",
        "modified_at",
    }
    assert (mine["id"], mine["status"], mine["order_number"]) == (review.id, "pending", order.number)
    assert mine["images"][0]["thumbnail_url"].startswith("https://account.example.com/media/reviews/thumbs/")
    assert content["ready_for_review"] == [
        {
            "product_id": two.product_id,
            "product_name": two.product_name,
            "product_image_url": None,
            "selling_price": 799.0,
            "listing_price": 999.0,
            "order_number": order.number,
        }
    ]


@pytest.mark.parametrize("orders_count", [1, 8])
def test_customer_reviews_query_count_is_constant(client_for, shopper, django_assert_num_queries, orders_count):
    for _ in range(orders_count):
        order = delivered(shopper, quantities=(1, 1))
    submit(shopper, first_product(order), images=[upload(png(), "p.png", "image/png")])
    client = client_for(shopper)
    client.get(f"{API}/customers/{shopper.id}/reviews")  # the session and user are in the cache from now on
    # reviews, review images, the stored ready-for-review rows
    with django_assert_num_queries(3):
        client.get(f"{API}/customers/{shopper.id}/reviews")


def test_submit_through_the_api_json_and_multipart(client_for, shopper):
    order = delivered(shopper, quantities=(1, 1))
    one, two = order.items.order_by("pk")
    client = client_for(shopper)
    url = f"{API}/catalog/products/{one.product_id}/reviews"
    response = client.post(
        url, {"rating": 4, "review_text": "Good tea", "tags": ["aroma"], "user_id": shopper.id}, format="json"
    )
    assert response.status_code == 200 and response.json()["content"]["review"]["status"] == "pending"
    assert_error(client.post(url, {"rating": 4, "review_text": "Again"}, format="json"), 409, "already_reviewed")
    url2 = f"{API}/catalog/products/{two.product_id}/reviews"
    multipart = {
        "rating": "5",
        "review_text": "Great",
        "tags": ["a", "b"],
        "images": [upload(jpeg_with_gps())],
        "order_number": order.number,
    }
    review = client.post(url2, multipart, format="multipart").json()["content"]["review"]
    assert review["tags"] == ["a", "b"] and len(review["images"]) == 1
    assert_error(client.post(url2, {"rating": 9, "review_text": ""}, format="json"), 400, "validation_error")


def test_submit_refusals(api, client_for, shopper, other_shopper):
    order = place(shopper, quantities=(1,))
    url = f"{API}/catalog/products/{first_product(order).pk}/reviews"
    assert_error(client_for(shopper).post(url, {"rating": 5, "review_text": "x"}, format="json"), 403, "not_purchased")
    assert_error(api.post(url, {"rating": 5, "review_text": "x"}, format="json"), 401, "unauthorized")
    body = {"rating": 5, "review_text": "x", "user_id": other_shopper.id}
    assert_error(client_for(shopper).post(url, body, format="json"), 403, "forbidden")
    # Whose request it is comes first, as for an id in a path; then the product.
    nope = f"{API}/catalog/products/NOPE/reviews"
    assert_error(client_for(shopper).post(nope, body, format="json"), 403, "forbidden")
    assert_error(client_for(shopper).post(nope, {**body, "user_id": shopper.id}, format="json"), 404, "not_found")


def test_submit_naming_yourself_is_safe_to_repeat_with_an_idempotency_key(client_for, shopper):
    """The owner check reads `user_id` from the body before the view does; the Idempotency-Key
    fingerprint still sees the raw body, JSON or multipart."""
    order = delivered(shopper, quantities=(1, 1))
    one, two = (item.product_id for item in order.items.order_by("pk"))
    client = client_for(shopper)
    json_body = {"rating": 4, "review_text": "Good tea", "user_id": shopper.id}
    url = f"{API}/catalog/products/{one}/reviews"
    first = client.post(url, json_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url, json_body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["content"] == first.json()["content"]
    multipart = {
        "rating": "5",
        "review_text": "Great",
        "user_id": shopper.id,
        "images": [upload(png(), "p.png", "image/png")],
    }
    response = client.post(
        f"{API}/catalog/products/{two}/reviews", multipart, format="multipart", HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert response.status_code == 200 and len(response.json()["content"]["review"]["images"]) == 1


def test_public_product_reviews(api, shopper, other_shopper, django_assert_max_num_queries):
    product = first_product(delivered(shopper, quantities=(1,)))
    delivered(other_shopper, quantities=(1,))
    services.review_approve(review=submit(shopper, product, rating=5, text="Superb"))
    submit(other_shopper, product, rating=1, text="Pending, not shown")
    url = f"{API}/catalog/products/{product.pk}/reviews"
    with django_assert_max_num_queries(5):
        content = api.get(url).json()["content"]
    assert [r["review_text"] for r in content["reviews"]] == ["Superb"]
    assert content["reviews"][0]["name"] == "Meera N." and "email" not in content["reviews"][0]
    assert content["average_rating"] == 5.0 and content["review_count"] == 1
    assert content["rating_counts"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert content["pagination"]["total_records"] == 1
    assert_error(api.get(url, {"sort_by": '{"customer":"asc"}'}), 400, "bad_request")


def test_customer_reviews_ownership(api, client_for, shopper, other_shopper):
    assert_error(client_for(shopper).get(f"{API}/customers/{other_shopper.id}/reviews"), 403, "forbidden")
    assert_error(api.get(f"{API}/customers/{shopper.id}/reviews"), 401, "unauthorized")


def test_a_star_only_rating_through_the_api(client_for, shopper):
    product_id = delivered(shopper, quantities=(1,)).items.get().product_id
    response = client_for(shopper).post(f"{API}/catalog/products/{product_id}/reviews", {"rating": 3}, format="json")
    assert response.status_code == 200
    review = response.json()["content"]["review"]
    assert (review["rating"], review["review_text"]) == (3, "")
