from decimal import Decimal

import pytest

from common.exceptions import DomainError, Forbidden, InvalidInput
from common.testing import API, assert_error
from common.tests.imagefiles import jpeg_with_gps, png, upload
from orders import services as orders
from orders.tests.factories import delivered, place, shipped
from reviews import services
from reviews.models import ReceivedProduct, Review
from reviews.selectors import ready_for_review

pytestmark = pytest.mark.django_db


def first_product(order):
    return order.items.order_by("pk").first().product


def submit(customer, product, rating=5, text="Lovely", **kwargs):
    return services.review_submit(customer=customer, product=product, rating=rating, review_text=text, **kwargs)


# --- ready for review ---------------------------------------------------------------------


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
    orders.return_create(order=received, lines=[orders.ReturnRequestLine(order_item=two, quantity=1, reason="x",
                                                                        resolution="refund")])
    assert {i.product.sku for i in ready_for_review(customer=shopper)} == {"SKU-0002"}  # half returned
    orders.return_create(order=received, lines=[orders.ReturnRequestLine(order_item=two, quantity=1, reason="x",
                                                                        resolution="refund")])
    assert ready_for_review(customer=shopper) == []


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


@pytest.mark.parametrize("rating, text", [(0, "x"), (6, "x"), (3, ""), (3, "x" * 5001)])
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
    reviews = [submit(customer, product, rating=rating)
               for customer, rating in ((shopper, 5), (other_shopper, 2), (third, 3))]
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


# --- API ----------------------------------------------------------------------------------


def test_customer_reviews_endpoint(client_for, shopper):
    order = delivered(shopper, quantities=(1, 1))
    one, two = order.items.order_by("pk")
    review = submit(shopper, one.product, images=[upload(jpeg_with_gps())])
    content = client_for(shopper).get(f"{API}/customers/{shopper.id}/reviews").json()["content"]
    mine = content["reviews"][0]
    assert set(mine) == {"id", "product_id", "product_name", "product_image_url", "status", "rating",
                         "review_text", "review_date", "average_rating", "tags", "images", "listing_price",
                         "selling_price", "order_number", "created_at", "modified_at"}
    assert (mine["id"], mine["status"], mine["order_number"]) == (review.id, "pending", order.number)
    assert mine["images"][0]["thumbnail_url"].startswith("http://testserver/media/reviews/thumbs/")
    assert content["ready_for_review"] == [{
        "product_id": two.product_id, "product_name": two.product_name, "product_image_url": None,
        "selling_price": 799.0, "listing_price": 999.0, "order_number": order.number,
    }]


@pytest.mark.parametrize("orders_count", [1, 8])
def test_customer_reviews_query_count_is_constant(client_for, shopper, django_assert_num_queries, orders_count):
    for _ in range(orders_count):
        order = delivered(shopper, quantities=(1, 1))
    submit(shopper, first_product(order), images=[upload(png(), "p.png", "image/png")])
    client = client_for(shopper)
    # session, reviews, review images, the stored ready-for-review rows
    with django_assert_num_queries(4):
        client.get(f"{API}/customers/{shopper.id}/reviews")


def test_submit_through_the_api_json_and_multipart(client_for, shopper):
    order = delivered(shopper, quantities=(1, 1))
    one, two = order.items.order_by("pk")
    client = client_for(shopper)
    url = f"{API}/catalog/products/{one.product_id}/reviews"
    response = client.post(url, {"rating": 4, "review_text": "Good tea", "tags": ["aroma"], "user_id": shopper.id},
                           format="json")
    assert response.status_code == 200 and response.json()["content"]["review"]["status"] == "pending"
    assert_error(client.post(url, {"rating": 4, "review_text": "Again"}, format="json"), 409, "already_reviewed")
    url2 = f"{API}/catalog/products/{two.product_id}/reviews"
    multipart = {"rating": "5", "review_text": "Great", "tags": ["a", "b"], "images": [upload(jpeg_with_gps())],
                 "order_number": order.number}
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
    assert_error(client_for(shopper).post(f"{API}/catalog/products/NOPE/reviews", body, format="json"), 404, "not_found")


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


def test_moderation_in_admin(client, make_user, shopper):
    staff = make_user(email="staff@example.com", phone="9000011111")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    product = first_product(delivered(shopper, quantities=(1,)))
    review = submit(shopper, product, rating=4)
    response = client.post("/admin/reviews/review/", {"action": "approve", "_selected_action": [review.pk]}, follow=True)
    assert response.status_code == 200
    review.refresh_from_db()
    product.refresh_from_db()
    assert review.status == "approved" and review.moderated_by == staff and product.review_count == 1
