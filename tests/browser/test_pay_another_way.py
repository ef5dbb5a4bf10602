"""Issue 27 items 2 and 6: "Pay another way" beside "Continue payment" stops the attempt open at
the gateway and offers the choice of another at once; the order history's "Buy it again" strip.
At 1280 and 390 px, axe-core on every page visited."""

import re

from playwright.sync_api import expect

from .conftest import assert_fits_the_screen, assert_in_view, sign_in, snapshot


def test_pay_another_way_stops_the_open_payment_and_offers_the_choice_at_once(page):
    from accounts.models import User
    from orders.models import AttemptStatus, Order, Payment

    sign_in(page)
    shopper = User.objects.get(email="demo@example.com")
    order = Order.objects.get(customer=shopper, payment_status="failed")
    page.goto(f"/account/orders/{order.number}/")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Test payment gateway")).to_be_visible()
    left = Payment.objects.filter(order=order).latest("created_at")

    # Back on the order page with the attempt still open: continue it, or pay another way.
    page.goto(f"/account/orders/{order.number}/")
    expect(page.get_by_role("heading", name="Your payment is waiting for you")).to_be_visible()
    expect(page.get_by_role("button", name="Continue payment")).to_be_visible()
    another = page.get_by_role("button", name="Pay another way")
    expect(another).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "pay-another-way-offered")
    another.click()

    heading = page.get_by_role("heading", name="Choose how to pay")
    expect(heading).to_be_visible()
    assert_in_view(page, heading)
    expect(page.get_by_text("Your payment is stopped. Choose how to pay.")).to_be_visible()
    expect(page.get_by_role("button", name="Pay another way")).to_have_count(0)
    assert Payment.objects.get(pk=left.pk).status == AttemptStatus.FAILED
    assert_fits_the_screen(page)
    snapshot(page, "pay-another-way-choice")
    page.get_by_role("radio", name="UPI").check()
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", name="Test payment gateway")).to_be_visible()
    new = Payment.objects.filter(order=order).latest("created_at")
    assert new.pk != left.pk and (new.payment_method, new.status) == ("upi", AttemptStatus.PENDING)
    expect(page.get_by_text(new.request_number)).to_be_visible()


def test_the_order_history_shows_buy_it_again(page):
    sign_in(page)
    page.goto("/account/orders/")
    strip = page.get_by_role("region", name="Buy it again")
    expect(strip).to_be_visible()
    links = strip.get_by_role("link")
    assert links.count() >= 1
    expect(links.first).to_have_attribute("href", re.compile(r"^https://shop\.example\.com/products/[\w-]+$"))
    assert_fits_the_screen(page)
    snapshot(page, "buy-it-again-strip")
