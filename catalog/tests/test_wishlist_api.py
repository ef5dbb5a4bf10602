"""The wishlist API (SDK: get-wishlist, add-to-wishlist, delete-from-wishlist): the SDK's `Item`
shape, one entry per product, the size cap, ownership, bad input."""

import pytest
from django.db import connection

from catalog.models import MAX_WISHLIST_ITEMS, Product, WishlistItem
from common.ids import new_ulid
from common.testing import API, assert_error, run_together
from customers.tests.factories import make_product
from orders.tests.test_api import assert_answers_as_documented

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"{API}/wishlist/{user.pk}"


def body(product, variant_id=None) -> dict:
    return {"product_id": product.pk, "variant_id": variant_id}


def test_add_list_remove_in_the_sdk_shape(client_for, shopper):
    client = client_for(shopper)
    tea, oil = make_product(1, name="Tea"), make_product(2, name="Oil", selling_price="999.00")
    assert assert_answers_as_documented(client.get(url(shopper)))["products"] == []

    added = client.post(url(shopper), body(tea), format="json")
    assert added.json()["message"] == "Saved to your wishlist."
    client.post(url(shopper), body(oil), format="json")
    listed = client.get(url(shopper))
    content = assert_answers_as_documented(listed)
    assert [p["product_name"] for p in content["products"]] == ["Oil", "Tea"]  # newest first
    item = content["products"][1]
    assert item["product_id"] == tea.pk and item["variant_id"] is None and item["sku"] == "SKU-0001"
    assert item["pricing"]["selling_price"] == 799.0 and item["pricing"]["listing_price"] == 999.0
    assert item["pricing"]["selling_price_excluding_tax"] == 677.12  # 799 / 1.18
    assert item["on_promotion"] is True and item["active"] is True and item["stock_available"] is True
    assert content["products"][0]["on_promotion"] is False
    assert content["pagination"]["total_records"] == 2

    removed = client.delete(url(shopper), body(tea), format="json")
    content = assert_answers_as_documented(removed)
    assert removed.json()["message"] == "Removed from your wishlist."
    assert [p["product_id"] for p in content["products"]] == [oil.pk]


def test_the_picture_url_is_absolute(client_for, shopper, settings):
    from django.core.files.base import ContentFile

    from catalog.demo import product_picture

    product = make_product()
    product.image.save("tea.webp", ContentFile(product_picture("Tea", ("#fff", "#000"), side=40)))
    client = client_for(shopper)
    content = client.post(url(shopper), body(product), format="json").json()["content"]
    image = content["products"][0]["images"][0]
    # On SITE_URL, as every image URL the API answers (common.api.absolute_url).
    assert image["url_standard"].startswith(f"{settings.SITE_URL}/media/products/")
    assert image["alternate_text"] == product.name


def test_the_same_product_twice_is_one_entry(client_for, shopper):
    client = client_for(shopper)
    product = make_product()
    first = client.post(url(shopper), body(product), format="json")
    again = client.post(url(shopper), {"product_id": product.pk.lower()}, format="json")
    assert first.status_code == again.status_code == 200
    assert len(again.json()["content"]["products"]) == 1
    assert WishlistItem.objects.filter(customer=shopper).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_adds_at_once_make_one_entry(client_for, shopper):
    product = make_product()
    answers = []

    def add():
        answers.append(client_for(shopper).post(url(shopper), body(product), format="json").status_code)

    errors = run_together(add, add)
    assert errors == [] and answers == [200, 200]
    assert WishlistItem.objects.filter(customer=shopper, product=product).count() == 1


def test_removing_what_is_not_there_answers_the_same(client_for, shopper):
    client = client_for(shopper)
    product = make_product()
    for _ in range(2):
        response = client.delete(url(shopper), body(product), format="json")
        assert response.status_code == 200 and response.json()["content"]["products"] == []


def test_pagination_and_sort(client_for, shopper):
    client = client_for(shopper)
    products = [make_product(n, name=f"P{n}", selling_price=f"{100 + n}.00") for n in range(5)]
    for product in products:
        client.post(url(shopper), body(product), format="json")
    content = client.get(url(shopper), {"page": 2, "limit": 2}).json()["content"]
    assert [p["product_name"] for p in content["products"]] == ["P2", "P1"]
    assert content["pagination"] == {
        "total_records": 5,
        "total_pages": 3,
        "current_page": 2,
        "previous_page": 1,
        "next_page": 3,
        "limit": 2,
    }
    cheapest = client.get(url(shopper), {"sort_by": '{"selling_price":"asc"}', "limit": 1}).json()["content"]
    assert cheapest["products"][0]["product_name"] == "P0"
    # No limit (the SDK's getWishlist() sends none): the whole wishlist.
    assert len(client.get(url(shopper), {"seller_id": "anything"}).json()["content"]["products"]) == 5
    assert_error(client.get(url(shopper), {"limit": 0}), 400, "validation_error")
    assert_error(client.get(url(shopper), {"page": "x"}), 400, "validation_error")
    assert_error(client.get(url(shopper), {"sort_by": '{"sku":"asc"}'}), 400, "bad_request")


def test_the_size_cap(client_for, shopper):
    client = client_for(shopper)
    products = [make_product(n) for n in range(MAX_WISHLIST_ITEMS + 1)]
    WishlistItem.objects.bulk_create([WishlistItem(customer=shopper, product=p) for p in products[:-1]])
    body_ = assert_error(client.post(url(shopper), body(products[-1]), format="json"), 409, "limit_exceeded")
    assert str(MAX_WISHLIST_ITEMS) in body_["message"]
    assert WishlistItem.objects.filter(customer=shopper).count() == MAX_WISHLIST_ITEMS
    # Saving one already there is still fine at the cap, and removing makes room.
    assert client.post(url(shopper), body(products[0]), format="json").status_code == 200
    client.delete(url(shopper), body(products[0]), format="json")
    assert client.post(url(shopper), body(products[-1]), format="json").status_code == 200


def test_bad_and_unknown_products(client_for, shopper):
    client = client_for(shopper)
    product = make_product()
    gone = make_product(2, active=False)
    assert_error(client.post(url(shopper), {}, format="json"), 400, "validation_error")
    for bad in ("not-an-id", "", "1" * 64, 12345, ["x"]):
        response = client.post(url(shopper), {"product_id": bad}, format="json")
        assert_error(response, 400, "validation_error")
        assert "product_id" in response.json()["errors"]
    assert_error(client.post(url(shopper), {"product_id": "x" * 10_000}, format="json"), 400, "validation_error")
    assert_error(client.post(url(shopper), {"product_id": new_ulid()}, format="json"), 404, "not_found")
    unlisted = assert_error(client.post(url(shopper), body(gone), format="json"), 404, "not_found")
    assert unlisted["message"] == "This product is no longer sold."
    with_variant = client.post(url(shopper), body(product, variant_id=new_ulid()), format="json")
    assert assert_error(with_variant, 400, "validation_error")["errors"] == {
        "variant_id": ["This product has no variants: send variant_id null."]
    }
    assert_error(client.delete(url(shopper), {"product_id": "nope"}, format="json"), 400, "validation_error")
    assert_error(client.post(url(shopper), "{", content_type="application/json"), 400, "bad_request")
    assert not WishlistItem.objects.exists()


def test_nul_characters_are_refused(client_for, shopper):
    client = client_for(shopper)
    product = make_product()
    response = client.post(url(shopper), {"product_id": product.pk + "\x00"}, format="json")
    assert response.status_code == 400 and response.json()["success"] is False
    assert_error(client.get(url(shopper), {"seller_id": "a\x00b"}), 400, "bad_request")
    assert not WishlistItem.objects.exists()


def test_ownership(api, client_for, shopper, other_shopper):
    product = make_product()
    client_for(other_shopper).post(url(other_shopper), body(product), format="json")
    mine = client_for(shopper)
    assert_error(mine.get(url(other_shopper)), 403, "forbidden")
    assert_error(mine.post(url(other_shopper), body(product), format="json"), 403, "forbidden")
    assert_error(mine.delete(url(other_shopper), body(product), format="json"), 403, "forbidden")
    assert WishlistItem.objects.filter(customer=other_shopper).count() == 1
    assert_error(api.get(url(shopper)), 401, "unauthorized")
    assert_error(client_for(None).get(url(shopper)), 403, "forbidden")  # a guest token
    assert mine.get(f"{API}/wishlist/not-a-user-id").status_code == 404
    # The path's id in lower case is the same shopper.
    assert mine.get(f"{API}/wishlist/{shopper.pk.lower()}").status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(client_for, shopper, django_assert_num_queries, count):
    products = [make_product(n) for n in range(count)]
    WishlistItem.objects.bulk_create([WishlistItem(customer=shopper, product=p) for p in products])
    client = client_for(shopper)
    client.get(url(shopper))  # the session and user are in the cache from now on
    with django_assert_num_queries(2):  # count, page with its products
        response = client.get(url(shopper))
    assert len(response.json()["content"]["products"]) == count


def test_a_deleted_product_leaves_the_wishlist(client_for, shopper):
    product = make_product()
    client = client_for(shopper)
    client.post(url(shopper), body(product), format="json")
    Product.objects.filter(pk=product.pk).delete()
    assert client.get(url(shopper)).json()["content"]["products"] == []
    assert connection.vendor in ("sqlite", "postgresql")
