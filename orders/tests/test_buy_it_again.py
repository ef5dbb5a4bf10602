"""Buy it again (GET /orders/buy-it-again, and the strip on the website's order history): the
products of the shopper's paid orders, once each, at their latest purchase, newest first."""

from decimal import Decimal

import pytest

from catalog.models import Product
from common.pagination import ListParams
from common.testing import API, assert_error
from customers.tests.factories import make_address, make_product
from orders import services
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors_buy_again import buy_again_page

pytestmark = pytest.mark.django_db

ITEM_FIELDS = {
    "product_id",
    "product_name",
    "product_image_url",
    "variant_id",
    "variant_name",
    "selling_price",
    "listing_price",
    "seller_id",
    "seller_detail",
}


def product(n: int) -> Product:
    return Product.objects.filter(sku=f"SKU-{n:04d}").first() or make_product(n)


def buy(customer, *numbers, outcome="success") -> Order:
    """An order of one of each product `numbers`, paid (or failed, or left pending)."""
    address = customer.addresses.first() or make_address(customer)
    order = services.order_place(
        services.Placement(
            customer=customer,
            lines=[services.OrderLine(product=product(n), quantity=1) for n in numbers],
            billing_address=address,
            shipping_amount_including_tax=Decimal("0.00"),
            payment_details={"card_last4": "4242", "card_type": "Visa"},
        )
    )
    payment = order.payments.first()
    if outcome != "pending":
        paid = outcome == "success"
        services.payment_checkout_settle(payment=payment, succeeded=paid, reference="TXN1" if paid else "")
    return Order.objects.get(pk=order.pk)


def page(customer, page=1, limit=25):
    items, pagination = buy_again_page(customer=customer, params=ListParams(page=page, limit=limit, ordering=[]))
    return [(i.product_id, i.selling_price) for i in items], pagination


def test_one_per_product_latest_purchase_first_at_its_prices(shopper, other_shopper):
    one, two, three = product(1), product(2), product(3)
    buy(shopper, 1, 2)
    Product.objects.filter(pk=one.pk).update(selling_price=Decimal("699.00"))
    buy(shopper, 3)
    buy(shopper, 1)  # bought again, cheaper: first, at the new price
    buy(other_shopper, 2, 3)
    rows, pagination = page(shopper)
    assert rows == [(one.pk, Decimal("699.00")), (three.pk, Decimal("799.00")), (two.pk, Decimal("799.00"))]
    assert (pagination["total_records"], pagination["total_pages"], pagination["next_page"]) == (3, 1, None)


def test_only_what_was_paid_for_and_kept(shopper):
    buy(shopper, 1)
    buy(shopper, 2, outcome="failed")
    buy(shopper, 3, outcome="pending")
    cancelled = buy(shopper, 4)
    services.order_cancel(order=cancelled, reason="Changed my mind")
    gift = buy(shopper, 5)
    OrderItem.objects.filter(order=gift).update(is_free_item=True)
    gone = buy(shopper, 6)
    OrderItem.objects.filter(order=gone).update(product=None)  # the product left the catalog
    buy(shopper, 7)
    Product.objects.filter(pk=product(7).pk).update(active=False)  # no longer sold (the wishlist's rule too)
    assert Order.objects.get(pk=cancelled.pk).status == OrderStatus.CANCELLED
    rows, pagination = page(shopper)
    assert [r[0] for r in rows] == [product(1).pk] and pagination["total_records"] == 1


def test_pages_and_a_page_past_the_end_still_counts(shopper):
    for n in range(1, 6):
        buy(shopper, n)
    first, pagination = page(shopper, page=1, limit=2)
    second, _ = page(shopper, page=2, limit=2)
    third, _ = page(shopper, page=3, limit=2)
    assert [r[0] for r in first + second + third] == [product(n).pk for n in (5, 4, 3, 2, 1)]
    assert (pagination["total_pages"], pagination["next_page"]) == (3, 2)
    beyond, pagination = page(shopper, page=9, limit=2)
    assert beyond == [] and pagination["total_records"] == 5 and pagination["current_page"] == 9


def test_nothing_bought_is_an_empty_first_page(shopper):
    rows, pagination = page(shopper)
    assert rows == [] and (pagination["total_records"], pagination["total_pages"]) == (0, 0)


def test_api_in_the_sdks_shape_in_two_queries_then_one(client_for, shopper, settings, django_assert_num_queries):
    for n in range(1, 5):
        buy(shopper, n, n + 1)
    Product.objects.filter(pk=product(5).pk).update(image="products/five.jpg")
    buy(shopper, 5)
    api = client_for(shopper)
    with django_assert_num_queries(1 + 1 + 1):  # the token's session, what was bought, what is still sold
        api.get(f"{API}/orders/buy-it-again", {"limit": 3})
    with django_assert_num_queries(1):  # what is still sold: the session and what was bought are cached now
        response = api.get(f"{API}/orders/buy-it-again", {"limit": 3})
    body = response.json()
    assert response.status_code == 200 and body["success"] is True
    items = body["content"]["items"]
    assert [set(i) for i in items] == [ITEM_FIELDS] * 3
    assert [i["product_id"] for i in items] == [product(n).pk for n in (5, 4, 3)]
    first = items[0]
    # Absolute on SITE_URL, as every image URL the API answers (common.api.absolute_url).
    assert first["product_image_url"] == f"{settings.SITE_URL}/media/products/five.jpg"
    assert (first["variant_id"], first["variant_name"], first["seller_id"], first["seller_detail"]) == (None,) * 4
    assert (first["selling_price"], first["listing_price"]) == (799.0, 999.0)
    assert body["content"]["pagination"] == {
        "total_records": 5,
        "total_pages": 2,
        "current_page": 1,
        "previous_page": None,
        "next_page": 2,
        "limit": 3,
    }


def test_api_refuses_bad_paging_and_strangers(client, client_for, shopper):
    buy(shopper, 1)
    api = client_for(shopper)
    for bad in ({"page": "0"}, {"page": "x"}, {"limit": "1000"}, {"page": str(10**30)}, {"limit": "-1"}):
        assert_error(api.get(f"{API}/orders/buy-it-again", bad), 400, "validation_error")
    assert api.get(f"{API}/orders/buy-it-again", {"page": "1\x00"}).status_code == 400
    assert_error(client.get(f"{API}/orders/buy-it-again"), 401, "unauthorized")
    # A marketplace's seller filter: this store has no sellers, so nothing matches.
    sellers = api.get(f"{API}/orders/buy-it-again", {"seller_id": "seller_a,seller_b"}).json()["content"]
    assert sellers["items"] == [] and sellers["pagination"]["total_records"] == 0


# --- the website's strip ----------------------------------------------------------------------


def test_history_strip_links_each_product_once_to_the_shop(signed_in, shopper, settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example.com/p/{slug}"
    buy(shopper, 1, 2)
    buy(shopper, 1)
    buy(shopper, 3, outcome="failed")
    page = signed_in.get("/account/orders/").content.decode()
    strip = page[page.index('aria-labelledby="buy-again-h"') : page.index("</section>", page.index("buy-again-h"))]
    assert '<h2 id="buy-again-h">Buy it again</h2>' in strip
    links = [part.split('"')[0] for part in strip.split('href="')[1:]]
    assert links == ["https://shop.example.com/p/product-1", "https://shop.example.com/p/product-2"]
    assert "Product 3" not in strip
    # Not above a filtered, searched or later page; not without the shop's product pages.
    assert "buy-again-h" not in signed_in.get("/account/orders/?status=cancelled").content.decode()
    assert "buy-again-h" not in signed_in.get("/account/orders/?search=Product").content.decode()
    settings.STOREFRONT_PRODUCT_URL = ""
    assert "buy-again-h" not in signed_in.get("/account/orders/").content.decode()


def test_history_strip_is_absent_when_nothing_was_bought(signed_in, shopper, settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example.com/p/{slug}"
    buy(shopper, 1, outcome="failed")
    assert "Buy it again" not in signed_in.get("/account/orders/").content.decode()


def test_both_answers_have_the_published_schemas_shape(client, client_for, shopper):
    from common.tests.test_schema import _matches, _operation

    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    buy(shopper, 1, 2)
    pending = buy(shopper, 3, outcome="pending")
    api = client_for(shopper)
    for operation_id, answer in [
        ("list-buy-it-again-items", api.get(f"{API}/orders/buy-it-again")),
        ("cancel-payment-request", api.post(f"{API}/orders/{pending.number}/cancel-payment-request")),
    ]:
        assert answer.status_code == 200, operation_id
        published = _operation(schema, operation_id)["responses"]["200"]["content"]["application/json"]["schema"]
        _matches(answer.json(), published, components, operation_id)


def test_the_kept_list_follows_payments_cancels_the_catalog_and_erasure(shopper, other_shopper):
    """The list is kept in the cache; what changes what was bought drops it, and whether a
    product is still sold is read each time."""
    from django.core.cache import cache

    from orders.selectors_buy_again import _cache_key

    buy(shopper, 1)
    assert [r[0] for r in page(shopper)[0]] == [product(1).pk]
    assert cache.get(_cache_key(shopper.pk)) is not None
    second = buy(shopper, 2)  # a payment settles: dropped, and read again
    assert [r[0] for r in page(shopper)[0]] == [product(2).pk, product(1).pk]
    services.order_cancel(order=second, reason="Changed my mind")
    assert [r[0] for r in page(shopper)[0]] == [product(1).pk]
    buy(other_shopper, 3)  # another shopper's purchase leaves this list alone
    assert cache.get(_cache_key(shopper.pk)) is not None
    Product.objects.filter(pk=product(1).pk).update(active=False)  # no longer sold: gone at once
    assert page(shopper)[0] == [] and page(shopper)[1]["total_records"] == 0
    from orders.erasure import customer_erase

    customer_erase(user=shopper)
    assert cache.get(_cache_key(shopper.pk)) is None
