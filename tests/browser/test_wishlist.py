"""Issue 27 item 1: "Save for later" on an order's item (a plain form), the Wishlist page from the
account nav (name, price, picture, the shop's link), "Remove", and the empty state pointing to
the shop; at 1280 and 390 px, axe-core clean."""

import re

from playwright.sync_api import expect

from .conftest import assert_fits_the_screen, sign_in, snapshot


def test_save_for_later_then_the_wishlist_page_and_remove(page):
    from accounts.models import User
    from orders.models import Order

    shopper = User.objects.get(email="demo@example.com")
    order = Order.objects.filter(customer=shopper, status="delivered").first()
    item = order.items.exclude(product=None).first()
    name = item.product_name

    sign_in(page)
    page.goto(f"/account/orders/{order.number}/")
    page.get_by_role("button", name=f"Save for later: {name}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} is saved to your wishlist.")
    assert page.url.endswith(f"/account/orders/{order.number}/")
    expect(page.get_by_role("link", name="Saved to your wishlist").first).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "wishlist-saved-from-order")

    nav = page.get_by_role("navigation", name="Account")
    nav.get_by_role("link", name="Wishlist").click()
    expect(page.get_by_role("heading", level=1, name="Wishlist")).to_be_visible()
    card = page.locator(".wish", has_text=name)
    expect(card.get_by_role("heading", name=name)).to_be_visible()
    expect(card).to_contain_text(re.compile(r"₹[\d,]+\.\d\d"))
    expect(card.get_by_role("img", name=name)).to_be_visible()
    expect(card.get_by_role("link", name=f"Buy {name} in the shop")).to_have_attribute(
        "href", re.compile(r"^https?://.+/" + re.escape(item.slug))
    )
    assert_fits_the_screen(page)
    snapshot(page, "wishlist-page", full_page=True)

    card.get_by_role("button", name=f"Remove {name}").click()
    expect(page.get_by_role("status")).to_contain_text("Removed from your wishlist.")
    expect(page.get_by_text("Your wishlist is empty")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the shop").last).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "wishlist-empty")
