"""The order pages: product pictures, "Buy again", search by order number or product name (one
FilterSet for the API and the page), row shortcuts and sorting at once."""

import re

import pytest
from django.http import QueryDict

from catalog.models import Product
from common.testing import API, assert_error
from orders.filters import OrderFilter
from orders.selectors import OrderHistory

from .factories import delivered, place, products, shipped

pytestmark = pytest.mark.django_db


def _with_picture():
    product = products(1)[0]
    Product.objects.filter(pk=product.pk).update(image="products/product-1.webp")
    return product


# --- pictures -------------------------------------------------------------------------------


def test_items_show_their_pictures_with_size_and_alt_text(signed_in, shopper):
    _with_picture()
    order = place(shopper, quantities=(1, 1))
    picture = '<img class="thumb" src="/media/products/product-1.webp" alt="Product 1" width="48" height="48"'
    for url in ("/account/orders/", f"/account/orders/{order.number}/", "/account/"):
        html = signed_in.get(url).content.decode()
        assert picture in html, url
        # the product without a picture keeps its tile
        assert '<span class="thumb" aria-hidden="true">PR</span>' in html, url


def test_the_return_form_shows_the_pictures_of_what_can_be_returned(signed_in, shopper):
    _with_picture()
    order = delivered(shopper, quantities=(1, 1))
    html = signed_in.get(f"/account/orders/{order.number}/return/").content.decode()  # its own page
    form = html[html.index("How many of each?") :]
    assert '<img class="thumb" src="/media/products/product-1.webp" alt="Product 1" width="40" height="40"' in form


def test_the_api_gives_the_picture_of_each_item(client_for, shopper, settings):
    settings.SITE_URL = "https://account.example.com"
    _with_picture()
    order = place(shopper, quantities=(1, 1))
    client = client_for(shopper)
    listed = client.get(f"{API}/orders", {"user_id": shopper.id}).json()["content"]["orders"][0]
    detail = client.get(f"{API}/orders/{order.number}", {"user_id": shopper.id}).json()["content"]["order"]
    for shape in (listed, detail):
        assert [item["product_image_url"] for item in shape["order_items"]] == [
            "https://account.example.com/media/products/product-1.webp",
            None,
        ]


# --- buy again ------------------------------------------------------------------------------


def test_buy_again_links_each_item_to_the_storefront(signed_in, shopper, settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example.com/products/{slug}"
    order = delivered(shopper, quantities=(1, 1))
    html = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    for slug, name in (("product-1", "Product 1"), ("product-2", "Product 2")):
        assert (
            f'href="https://shop.example.com/products/{slug}" rel="noopener" '
            f'aria-label="Buy again: {name}">Buy again</a>'
        ) in html
    settings.STOREFRONT_PRODUCT_URL = ""
    assert "Buy again" not in signed_in.get(f"/account/orders/{order.number}/").content.decode()


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def named_orders(shopper, other_shopper):
    first, second = products(2)
    Product.objects.filter(pk=first.pk).update(name="Darjeeling Tea 250g")
    Product.objects.filter(pk=second.pk).update(name="Coconut Oil 1L")
    place(other_shopper, quantities=(1,))  # tea too, but someone else's
    return {
        "tea": place(shopper, quantities=(1,)),
        "both": place(shopper, quantities=(1, 1)),
        "oil": shipped(shopper, quantities=(0 + 1, 2)),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=darjeeling", {"tea", "both", "oil"}),
        ("search=OIL", {"both", "oil"}),
        ("search=tea&status=confirmed", {"tea", "both"}),
        ("search=nothing-like-this", set()),
        ("search=%25", set()),  # the wildcards are letters here
        ("search=_", set()),
        ("search=", {"tea", "both", "oil"}),
    ],
)
def test_the_page_and_the_api_search_through_the_one_rule(client_for, shopper, named_orders, query, expected):
    """The search lives once, in the history's SQL (orders.selectors): the page reads its rows,
    the API its JSON (written by PostgreSQL there, by Python elsewhere); both find the orders."""
    numbers = {named_orders[name].number for name in expected}
    orders = OrderHistory(customer=shopper, **OrderFilter(QueryDict(query)).selector_kwargs())
    assert {row["number"] for row in orders[0:50]} == numbers and orders.count() == len(numbers)
    found = client_for(shopper).get(f"{API}/orders?user_id={shopper.id}&limit=50&{query}").json()["content"]
    assert {o["order_number"] for o in found["orders"]} == numbers
    assert found["pagination"]["total_records"] == len(numbers)


def test_search_finds_by_product_name_or_order_number(shopper, named_orders):
    def found(term):
        return {row["number"] for row in OrderHistory(customer=shopper, search=term)[0:50]}

    tea, both, oil = named_orders["tea"], named_orders["both"], named_orders["oil"]
    assert found("darjeeling") == {tea.number, both.number, oil.number}
    assert found(both.number.lower()[-6:]) == {both.number}
    assert found("%") == set() and found("_") == set()  # wildcards are letters here


def test_the_api_searches_through_the_same_filter(client_for, shopper, named_orders):
    client = client_for(shopper)
    number = named_orders["both"].number
    found = client.get(f"{API}/orders", {"user_id": shopper.id, "search": number}).json()["content"]
    assert [o["order_number"] for o in found["orders"]] == [number] and found["pagination"]["total_records"] == 1
    body = assert_error(
        client.get(f"{API}/orders", {"user_id": shopper.id, "search": "x" * 101}), 400, "validation_error"
    )
    assert list(body["errors"]) == ["search"]


def test_the_schema_documents_the_search_filter(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    parameters = schema["paths"]["/api/v1/storefront/orders"]["get"]["parameters"]
    search = next(p for p in parameters if p["name"] == "search")
    assert search["schema"] == {"type": "string"} and "product name" in search["description"]


def test_the_page_searches_keeps_the_words_and_says_when_nothing_matches(signed_in, shopper, named_orders):
    html = signed_in.get("/account/orders/?search=coconut&sort=oldest").content.decode()
    assert named_orders["both"].number in html and named_orders["tea"].number not in html
    assert 'name="search" value="coconut"' in html
    assert html.index(named_orders["both"].number) < html.index(named_orders["oil"].number)  # the sort holds
    html = signed_in.get("/account/orders/?search=kettle").content.decode()
    assert "No orders matching “kettle”" in html and 'href="/account/orders/">Clear filters' in html
    assert "Go to the shop" in html.split("Clear filters")[1]  # and the way back to the shop


# --- shortcuts and sorting ------------------------------------------------------------------


def test_rows_offer_pay_track_and_return_as_the_lifecycle_allows(signed_in, shopper):
    unpaid, on_its_way, arrived, confirmed = (
        place(shopper, outcome="failed"),
        shipped(shopper),
        delivered(shopper),
        place(shopper),
    )
    html = signed_in.get("/account/orders/").content.decode()
    rows = {
        number: row
        for row in re.findall(r'<article class="card order-row">(.*?)</article>', html, re.S)
        for number in re.findall(r"ORD-\w+", row)[:1]
    }
    assert f'action="/account/orders/{unpaid.number}/retry-payment/"' in rows[unpaid.number]
    assert f"Pay now for {unpaid.number}" in rows[unpaid.number]
    assert 'href="https://track.example.com/AWB123"' in rows[on_its_way.number]
    assert f'href="/account/orders/{arrived.number}/return/"' in rows[arrived.number]
    assert "Track" not in rows[arrived.number]  # delivered: nothing left on its way
    assert 'class="shortcuts"' not in rows[confirmed.number]


def test_sorting_applies_on_change_and_keeps_a_button_without_javascript(signed_in, shopper):
    html = signed_in.get("/account/orders/").content.decode()
    assert '<select id="sort" name="sort" data-submit-on-change>' in html
    assert '<noscript><button class="btn secondary" type="submit">Sort</button></noscript>' in html
    assert 'src="/static/js/orders.js"' in html
