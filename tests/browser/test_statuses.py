"""Statuses that agree (issue 26, item 3): an order out for delivery reads "Out for delivery" on the
order list, the overview and its own header, at 390 and 1280 px, with 0 axe-core violations."""

from playwright.sync_api import expect

from .conftest import assert_accessible, assert_fits_the_screen, sign_in, snapshot


def _out_for_delivery_order():
    from accounts.models import User
    from orders import services
    from orders.tests.factories import shipped

    order = shipped(User.objects.get(email="demo@example.com"))
    services.shipment_out_for_delivery(shipment=order.shipments.get())
    return order


def test_an_out_for_delivery_order_says_so_everywhere(page):
    order = _out_for_delivery_order()
    sign_in(page)
    for url in ("/account/orders/", "/account/", f"/account/orders/{order.number}/"):
        page.goto(url)
        expect(page.locator(".badge", has_text="Out for delivery").first).to_be_visible()
        assert_fits_the_screen(page)
        assert_accessible(page)
    header = page.locator(".toolbar")
    expect(header.get_by_text("Out for delivery")).to_be_visible()
    expect(header.get_by_text("Shipped", exact=True)).to_have_count(0)
    expect(header.get_by_text("IST")).to_be_visible()  # "Placed 4 Dec 2026, 7:18 pm IST"
    snapshot(page, "status-after-out-for-delivery", full_page=True)


def test_the_order_page_starts_with_its_tracker_and_actions(page):
    order = _out_for_delivery_order()
    sign_in(page)
    page.goto(f"/account/orders/{order.number}/")
    tracker = page.get_by_role("list", name="Where your order is")
    expect(tracker.locator("[aria-current=step]")).to_contain_text("Out for delivery")
    actions = page.get_by_role("navigation", name="What you can do with this order")
    expect(actions).to_be_in_viewport()
    expect(actions.get_by_role("link", name="Track package")).to_be_visible()
    snapshot(page, "order-tracker-and-actions", full_page=False)


def test_the_action_bar_leads_to_the_return_page(page):
    import re

    sign_in(page)
    page.goto("/account/orders/?status=delivered,partially_delivered,complete")
    page.locator("article").first.get_by_role("link", name=re.compile("^ORD-")).click()
    page.get_by_role("navigation", name="What you can do with this order").get_by_role("link", name="Return").click()
    expect(page).to_have_url(re.compile(r"/account/orders/ORD-\w+/return/$"))
    expect(page.get_by_role("button", name="Request return")).to_be_visible()
