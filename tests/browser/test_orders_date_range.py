"""The order history's "From" and "To" days in a browser (issue 26): choose a range of the shop's
calendar, keep it while changing the status and the sort and across pages, read the empty state
that names it, clear it; a laptop and a phone-sized screen, axe-core on every page."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from .conftest import assert_accessible, assert_fits_the_screen, sign_in, snapshot


def _demo_days():
    """The demo shopper's orders by the shop day each was placed on (what the page calls "Placed")."""
    from common.shoptime import shop_localtime
    from orders.models import Order

    days: dict = {}
    for order in Order.objects.filter(customer__email="demo@example.com"):
        days.setdefault(shop_localtime(order.order_date).date(), []).append(order.number)
    return days


def _choose(page, first, last):
    page.get_by_label("From", exact=True).fill(first.isoformat() if first else "")
    page.get_by_label("To", exact=True).fill(last.isoformat() if last else "")
    page.get_by_role("button", name="Apply").click()


def test_a_range_of_days_finds_the_orders_placed_then_and_stays_chosen(page):
    days = _demo_days()
    every = sorted(number for numbers in days.values() for number in numbers)
    assert len(days) >= 3 and len(every) == 6  # the demo's orders fall on several days
    oldest, *_, newest = sorted(days)

    sign_in(page)
    page.goto("/account/orders/")
    orders = page.locator("article.order-row")
    expect(orders).to_have_count(6)
    for name in ("From", "To"):  # labelled, and 16 px (a phone does not zoom into them)
        field = page.get_by_label(name, exact=True)
        expect(field).to_have_attribute("type", "date")
        assert field.evaluate("el => getComputedStyle(el).fontSize") == "16px"
    assert_fits_the_screen(page)
    snapshot(page, "orders-dates-1-fields")

    # One day: the orders placed on it, in the shop's calendar.
    _choose(page, newest, newest)
    expect(page).to_have_url(re.compile(rf"order_date_from={newest}&order_date_to={newest}"))
    expect(orders).to_have_count(len(days[newest]))
    for number in days[newest]:
        expect(orders.get_by_role("link", name=number, exact=True)).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value(newest.isoformat())
    expect(page.get_by_label("To", exact=True)).to_have_value(newest.isoformat())
    assert_fits_the_screen(page)
    snapshot(page, "orders-dates-2-one-day", full_page=True)

    # From the oldest day on, sorted oldest first: the range holds through the sort and the chips.
    _choose(page, oldest, None)
    page.get_by_label("Sort").select_option("oldest")
    expect(page).to_have_url(re.compile(rf"order_date_from={oldest}.*sort=oldest"))
    expect(orders).to_have_count(6)
    expect(orders.first.get_by_role("link", name=days[oldest][0], exact=True)).to_be_visible()
    page.get_by_role("link", name="Delivered").click()
    expect(page).to_have_url(re.compile(rf"order_date_from={oldest}.*status=delivered"))
    expect(page.get_by_label("From", exact=True)).to_have_value(oldest.isoformat())
    assert orders.count() >= 1

    # Days with no order: the empty state names them, and "Clear filters" shows everything again.
    later = newest + timedelta(days=30)
    page.goto("/account/orders/")
    _choose(page, later, later + timedelta(days=1))
    expect(orders).to_have_count(0)
    expect(page.get_by_text(f"No orders placed {later.day} {later:%b %Y} to ")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the shop").last).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "orders-dates-3-none")
    assert_accessible(page)
    page.get_by_role("link", name="Clear filters").click()
    expect(orders).to_have_count(6)
    expect(page.get_by_label("From", exact=True)).to_have_value("")

    # A last day before the first: said next to the fields, and every order shown meanwhile.
    _choose(page, newest, oldest)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(re.compile("“To” must be the same day as “From” or later"))
    expect(page.get_by_label("From", exact=True)).to_have_attribute("aria-describedby", "dates-error")
    expect(page.get_by_label("To", exact=True)).to_have_value(oldest.isoformat())  # kept, to be corrected
    expect(orders).to_have_count(6)
    assert_fits_the_screen(page)
    snapshot(page, "orders-dates-4-backwards")
