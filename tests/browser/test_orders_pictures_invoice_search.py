"""The orders' pages in a browser: product pictures, a tax invoice (page and PDF), "Buy again",
search, row shortcuts and sorting at once; each walked in a real browser on a laptop and on a
phone-sized screen, axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_fits_the_screen, sign_in, snapshot


@pytest.fixture(autouse=True)
def _media_from_the_tests_folder(settings, monkeypatch):
    """The development /media/ route was given MEDIA_ROOT when the URLs were loaded; each test
    stores its files in its own folder (the root conftest), so serve that one."""
    from config.urls import urlpatterns

    for pattern in urlpatterns:
        if "document_root" in getattr(pattern, "default_args", {}):
            monkeypatch.setitem(pattern.default_args, "document_root", str(settings.MEDIA_ROOT))


def _order(status):
    from orders.models import Order

    return Order.objects.filter(customer__email="demo@example.com", status=status).latest("order_date")


def _assert_pictures_shown(scope):
    """Every product picture in `scope` loads once it comes into view (they load lazily), has a
    size and names its product."""
    pictures = scope.locator("img.thumb")
    expect(pictures.first).to_be_visible()
    for picture in pictures.all():
        assert picture.get_attribute("alt") and picture.get_attribute("width") and picture.get_attribute("height")
        picture.scroll_into_view_if_needed()
        expect(picture).to_have_js_property("naturalWidth", 400)


def test_orders_show_product_pictures(page):
    sign_in(page)
    recent = page.get_by_role("region", name="Recent orders")
    _assert_pictures_shown(recent)
    expect(recent.get_by_role("img", name="Organic Darjeeling Tea 250g").first).to_be_visible()
    recent.scroll_into_view_if_needed()
    snapshot(page, "orders-polish-1-overview-pictures")

    page.goto("/account/orders/")
    _assert_pictures_shown(page.locator("main article.order-row"))
    # The "Buy it again" strip names each product beside its picture: the pictures are decorative.
    strip = page.get_by_role("region", name="Buy it again")
    for picture in strip.locator("img.thumb").all():
        assert picture.get_attribute("alt") == ""
    assert_fits_the_screen(page)
    snapshot(page, "orders-polish-2-history-pictures", full_page=True)

    page.goto(f"/account/orders/{_order('delivered').number}/")
    items = page.get_by_role("region", name="Items")
    _assert_pictures_shown(items)
    expect(items.get_by_role("img", name="Stainless Steel Water Bottle")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "orders-polish-3-order-pictures")


def test_a_delivered_order_has_a_tax_invoice_to_print_and_download(page):
    order = _order("complete")
    sign_in(page)
    page.goto(f"/account/orders/{order.number}/")
    page.get_by_role("link", name="View tax invoice").click()
    invoice = page.get_by_role("article", name="Tax invoice")
    expect(invoice).to_be_visible()
    expect(invoice.get_by_text("GSTIN 29ABCDE1234F1Z5")).to_be_visible()
    expect(invoice.get_by_text("0802", exact=True)).to_be_visible()  # the almonds' HSN code
    expect(invoice.locator("th", has_text="CGST")).to_be_attached()  # Karnataka to Karnataka
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown once its script runs
    assert_fits_the_screen(page)
    snapshot(page, "orders-polish-4-invoice", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = download.value
    assert pdf.suggested_filename == f"{order.number.replace('ORD-', 'INV-')}.pdf"
    with open(pdf.path(), "rb") as data:
        assert data.read(5) == b"%PDF-"

    # Before delivery there is none, and the page says so.
    shipped = _order("shipped")
    page.goto(f"/account/orders/{shipped.number}/")
    expect(page.get_by_role("link", name="View tax invoice")).to_have_count(0)
    page.goto(f"/account/orders/{shipped.number}/invoice/")
    expect(page.get_by_text("ready once the order is delivered")).to_be_visible()
    assert_accessible(page)


def test_buy_again_links_to_the_product_on_the_shop(page):
    sign_in(page)
    page.goto(f"/account/orders/{_order('delivered').number}/")
    links = page.get_by_role("link", name=re.compile("^Buy again"))
    expect(links).to_have_count(2)
    expect(page.get_by_role("link", name="Buy again: Ayurvedic Herbal Shampoo")).to_have_attribute(
        "href", "https://shop.example.com/products/care-shmp-200"
    )
    page.get_by_role("link", name="Buy again: Stainless Steel Water Bottle").scroll_into_view_if_needed()
    snapshot(page, "orders-polish-5-buy-again")


def test_search_sort_and_the_shortcuts_on_each_order(page):
    sign_in(page)
    page.goto("/account/orders/")
    orders = page.locator("article.order-row")
    expect(orders).to_have_count(6)

    # Shortcuts: pay the failed one, follow the parcel on its way, return from the delivered one.
    failed = orders.filter(has=page.get_by_text("Payment failed"))
    expect(failed.get_by_role("button", name=re.compile("^Pay now for ORD-"))).to_be_visible()
    shipped = _order("shipped")
    expect(page.get_by_role("link", name=f"Track {shipped.number} (opens the courier's page)")).to_have_attribute(
        "href", "https://www.bluedart.com/tracking?awb=BD100000003"
    )
    snapshot(page, "orders-polish-6-shortcuts", full_page=True)

    # Sorting applies as soon as it is chosen: no second button (that one is for no JavaScript).
    expect(page.get_by_role("button", name="Sort")).to_have_count(0)
    page.get_by_label("Sort").select_option("total_high")
    expect(page).to_have_url(re.compile(r"sort=total_high"))
    totals = [float(re.sub(r"[^\d.]", "", t)) for t in orders.locator("strong", has_text="₹").all_inner_texts()]
    assert totals == sorted(totals, reverse=True) and len(totals) == 6

    # Search by product name, keeping the sort; then by order number.
    page.get_by_label("Search").fill("almonds")
    page.get_by_label("Search").press("Enter")
    expect(page).to_have_url(re.compile(r"search=almonds.*sort=total_high|sort=total_high.*search=almonds"))
    expect(orders).to_have_count(1)
    expect(orders.first.get_by_role("img", name="Roasted Almonds 500g")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "orders-polish-7-search")
    page.get_by_label("Search").fill(shipped.number.lower())
    page.get_by_role("button", name="Search").click()
    expect(orders).to_have_count(1)
    expect(orders.first.get_by_role("link", name=shipped.number, exact=True)).to_be_visible()
    page.get_by_label("Search").fill("kettle")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("No orders matching “kettle”")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the shop")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Clear filters").click()
    expect(orders).to_have_count(6)

    # "Return" opens the return form's own page (issue 26).
    delivered = _order("delivered")
    page.get_by_role("link", name=f"Return items from {delivered.number}").click()
    expect(page).to_have_url(re.compile(f"/account/orders/{delivered.number}/return/$"))
    returning = page.get_by_role("group", name="How many of each?")
    expect(returning).to_be_visible()
    _assert_pictures_shown(returning)
    snapshot(page, "orders-polish-8-return-from-the-list")
