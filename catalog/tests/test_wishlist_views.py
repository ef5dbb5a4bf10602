"""The website's Wishlist page and "Save for later" on the order page (plain forms, no script)."""

import pytest

from catalog.models import WishlistItem
from catalog.services import wishlist_add
from customers.tests.factories import make_product
from orders.tests.factories import delivered

pytestmark = pytest.mark.django_db


def test_the_empty_wishlist_points_to_the_shop(signed_in):
    page = signed_in.get("/account/wishlist/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your wishlist is empty" in text and "Go to the shop" in text
    assert '<a href="/account/wishlist/" aria-current="page">Wishlist</a>' in text  # in the account nav


def test_the_page_shows_name_price_stock_and_links_to_the_shop(signed_in, shopper, settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example.com/p/{slug}"
    tea = make_product(
        1, name="Darjeeling Tea", slug="darjeeling-tea", selling_price="1499.00", listing_price="1999.00"
    )
    gone = make_product(2, name="Old Soap", stock_available=False)
    for product in (tea, gone):
        wishlist_add(customer=shopper, product_id=product.pk)
    text = signed_in.get("/account/wishlist/").content.decode()
    assert "Darjeeling Tea" in text and "₹1,499.00" in text and "₹1,999.00" in text
    assert 'href="https://shop.example.com/p/darjeeling-tea"' in text
    assert "Out of stock" in text and text.count("Buy in the shop") == 1  # not for the sold-out one
    assert text.count("<h1") == 1 and 'aria-label="Remove Darjeeling Tea"' in text


def test_remove(signed_in, shopper):
    product = make_product()
    wishlist_add(customer=shopper, product_id=product.pk)
    response = signed_in.post(f"/account/wishlist/{product.pk}/remove/", follow=True)
    assert b"Removed from your wishlist." in response.content and b"Your wishlist is empty" in response.content
    assert signed_in.get(f"/account/wishlist/{product.pk}/remove/").status_code == 405
    bad = signed_in.post("/account/wishlist/not-an-id/remove/", follow=True)
    assert b"product_id must be a product id" in bad.content


def test_another_shoppers_entries_are_not_shown_nor_removed(signed_in, other_shopper):
    product = make_product(name="Their Tea")
    wishlist_add(customer=other_shopper, product_id=product.pk)
    assert b"Their Tea" not in signed_in.get("/account/wishlist/").content
    signed_in.post(f"/account/wishlist/{product.pk}/remove/")
    assert WishlistItem.objects.filter(customer=other_shopper).count() == 1


def test_save_for_later_from_the_order_page(signed_in, shopper):
    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    order_url = f"/account/orders/{order.number}/"
    page = signed_in.get(order_url).content.decode()
    assert f'aria-label="Save for later: {item.product_name}"' in page
    response = signed_in.post("/account/wishlist/save/", {"product_id": item.product_id, "next": order_url})
    assert response.status_code == 302 and response.url == order_url
    page = signed_in.get(order_url).content.decode()
    assert "is saved to your wishlist" in page and "Saved to your wishlist" in page and "Save for later" not in page
    signed_in.post("/account/wishlist/save/", {"product_id": item.product_id, "next": order_url})  # twice: one
    assert WishlistItem.objects.filter(customer=shopper).count() == 1


def test_save_for_later_refuses_bad_input_and_foreign_redirects(signed_in, shopper):
    product = make_product()
    away = signed_in.post("/account/wishlist/save/", {"product_id": product.pk, "next": "https://evil.example/"})
    assert away.url == "/account/wishlist/"
    for bad in ("", "nope", "9" * 26):
        response = signed_in.post("/account/wishlist/save/", {"product_id": bad}, follow=True)
        assert response.status_code == 200 and b'class="error"' in response.content
    nul = signed_in.post("/account/wishlist/save/", {"product_id": "a\x00b"})
    assert nul.status_code == 400
    assert signed_in.get("/account/wishlist/save/").status_code == 405
    assert WishlistItem.objects.filter(customer=shopper).count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/account/wishlist/").url.startswith("/account/sign-in/")
    assert client.post("/account/wishlist/save/", {"product_id": "x"}).url.startswith("/account/sign-in/")


@pytest.mark.parametrize("count", [1, 12])
def test_page_query_count(signed_in, shopper, django_assert_num_queries, count):
    for n in range(count):
        wishlist_add(customer=shopper, product_id=make_product(n).pk)
    with django_assert_num_queries(3):  # the session with its user, count, page with its products
        page = signed_in.get("/account/wishlist/")
    assert page.content.count(b'class="card wish"') == count
