"""Messages that agree with the website (issue 26, items 3 and 4 in messages): after an order ships
and goes out for delivery, the shopper's Messages page, the message itself and the development
mailbox say "Order X: Arriving <day>" and "Order X: Out for delivery", the headline the order page
shows, at 390 and 1280 px, with 0 axe-core violations."""

from datetime import timedelta

from playwright.sync_api import expect

from .conftest import assert_accessible, assert_fits_the_screen, sign_in, snapshot


def _shipped_then_out_for_delivery():
    """An order of the demo shopper shipped (arriving in two days) and then out for delivery;
    answers it with the headline its shipped message carried ("Arriving Mon 7 Dec")."""
    from django.utils import timezone

    from accounts.models import User
    from notifications.models import Message
    from orders import services
    from orders.tests.factories import place

    order = place(User.objects.get(email="demo@example.com"))
    shipment = services.shipment_create(
        order=order,
        courier_company_name="BlueDart",
        awb_no="AWB123",
        tracking_url="https://track.example.com/AWB123",
        eta_delivery=timezone.now() + timedelta(days=2),
    )
    services.shipment_out_for_delivery(shipment=shipment)
    shipped = Message.objects.get(event="order_shipped", channel="email", context__order_number=order.number)
    return order, shipped.context["headline"]


def test_the_messages_page_says_what_the_order_page_says(page):
    order, arriving = _shipped_then_out_for_delivery()
    assert arriving.startswith("Arriving ")
    sign_in(page)
    page.goto("/account/messages/")
    expect(page.get_by_text(f"Order {order.number}: Out for delivery").first).to_be_visible()
    expect(page.get_by_text(f"Order {order.number}: {arriving}").first).to_be_visible()
    assert_fits_the_screen(page)
    page.get_by_text(f"Order {order.number}: Out for delivery").first.click()
    # The event opens as its first channel's text (here the WhatsApp one), headline first.
    expect(page.locator(".message-text")).to_contain_text(f"Order {order.number}: Out for delivery. Courier: BlueDart.")
    expect(page.locator("article p.muted")).to_contain_text(" IST · Sent")  # when it went, on the shop's clock
    assert_fits_the_screen(page)
    assert_accessible(page)
    snapshot(page, "messages-out-for-delivery", full_page=True)
    page.goto(f"/account/orders/{order.number}/")
    expect(page.locator(".toolbar").get_by_text("Out for delivery")).to_be_visible()


def test_the_development_mailbox_shows_the_same_headlines(page, settings, tmp_path):
    settings.DEBUG = settings.DEV_MAILBOX = True
    settings.DEV_MAILBOX_PATH = tmp_path / "mailbox.jsonl"
    settings.EMAIL_BACKEND = "portal.dev_mailbox.MailboxEmailBackend"
    settings.SMS_BACKEND = "portal.dev_mailbox.MailboxSmsBackend"
    order, arriving = _shipped_then_out_for_delivery()
    page.goto("/dev/mailbox/")
    for said in (f"Order {order.number}: Out for delivery", f"Order {order.number}: {arriving}"):
        # The email's subject, and its text with the SMS and WhatsApp ones below it.
        expect(page.get_by_role("heading", name=f"EMAIL to demo@example.com · {said}")).to_be_visible()
        expect(page.locator("pre", has_text=said)).to_have_count(3)
    assert_fits_the_screen(page)
    assert_accessible(page)
    snapshot(page, "messages-dev-mailbox", full_page=True)
