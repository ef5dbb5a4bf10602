"""Forms, payments and small screens, where newcomers got stuck: pages that fit the screen, the
navigation in view, paying again, errors brought into view and given in one round, phones and
states as people type them, what a cancel gives back, the default address replaced; each walked
in a real browser on a laptop and on a phone-sized screen."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_fits_the_screen, assert_in_view, sign_in, snapshot
from .test_journeys import go


def _shopper():
    from accounts.models import User

    return User.objects.get(email="demo@example.com")


def _order_numbers():
    from orders.models import Order

    return list(Order.objects.filter(customer=_shopper()).order_by("order_date").values_list("number", flat=True))


def test_no_page_is_wider_than_the_screen(page):
    sign_in(page)
    for path in [
        "/account/",
        "/account/orders/",
        "/account/addresses/",
        "/account/addresses/new/",
        "/account/profile/",
        "/account/reviews/",
        *[f"/account/orders/{n}/" for n in _order_numbers()],
    ]:
        page.goto(path)
        assert_fits_the_screen(page)
    # The page with the longest payments-and-refunds table: the cancelled order with its refund.
    page.goto("/account/orders/?status=cancelled")
    page.get_by_role("link", name=re.compile("^ORD-")).first.click()
    expect(page.get_by_role("heading", name="Payments and refunds")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "1-order-with-refund", full_page=True)


def test_every_section_of_the_navigation_is_on_the_screen(page):
    sign_in(page)
    nav = page.get_by_role("navigation", name="Account")
    for section in ["Overview", "Orders", "Addresses", "Profile", "Rewards", "Reviews"]:
        link = nav.get_by_role("link", name=section)
        expect(link).to_be_visible()
        assert_in_view(page, link)
    snapshot(page, "2-navigation")
    go(page, "Reviews")
    expect(page).to_have_url(re.compile("/account/reviews/"))


def test_the_overview_says_payment_failed_with_pay_now(page):
    sign_in(page)
    recent = page.get_by_role("region", name="Recent orders")
    expect(recent.get_by_text("Payment failed")).to_be_visible()
    recent.scroll_into_view_if_needed()
    snapshot(page, "3-overview-payment-failed")
    recent.get_by_role("button", name="Pay now").click()
    expect(page.get_by_role("heading", name="Test payment gateway")).to_be_visible()


def test_a_payment_left_at_the_gateway_can_be_continued_then_retried(page):
    from orders.models import Order, Payment

    sign_in(page)
    failed = Order.objects.get(customer=_shopper(), payment_status="failed")
    page.goto(f"/account/orders/{failed.number}/")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Test payment gateway")).to_be_visible()
    attempt = Payment.objects.filter(order=failed).latest("created_at")
    expect(page.get_by_text(attempt.request_number)).to_be_visible()

    # The shopper leaves the gateway: the order page offers the attempt still open.
    page.goto(f"/account/orders/{failed.number}/")
    expect(page.get_by_role("heading", name="Your payment is waiting for you")).to_be_visible()
    snapshot(page, "4-continue-payment")
    page.get_by_role("button", name="Continue payment").click()
    expect(page.get_by_text(attempt.request_number)).to_be_visible()
    page.goto("/account/")
    expect(
        page.get_by_role("region", name="Recent orders").get_by_role("button", name="Continue payment")
    ).to_be_visible()

    # The attempt runs out: "Try again" starts a new one.
    Payment.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page.goto(f"/account/orders/{failed.number}/")
    expect(page.get_by_role("heading", name="Your payment did not go through")).to_be_visible()
    snapshot(page, "4-try-again")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Test payment gateway")).to_be_visible()
    assert Payment.objects.filter(order=failed).latest("created_at").pk != attempt.pk
    assert_fits_the_screen(page)


def test_a_refused_submit_brings_the_error_into_view(page):
    sign_in(page)
    go(page, "Orders")
    page.get_by_role("link", name="In progress").click()
    page.locator("article", has_text="Confirmed").first.get_by_role("link", name=re.compile("^ORD-")).click()
    page.get_by_text("Cancel this order", exact=True).click()
    page.get_by_role("button", name="Cancel order").click()  # no reason chosen
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the fields marked below.")
    expect(summary).to_be_focused()
    assert_in_view(page, summary)
    expect(page.locator("details#cancel")).to_have_attribute("open", "")
    snapshot(page, "5-cancel-error-in-view")

    page.goto("/account/profile/")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill("a-new-pass-456")
    page.get_by_label("Confirm new password").fill("a-new-pass-456")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".form-errors")
    expect(summary).to_be_focused()
    assert_in_view(page, summary)
    snapshot(page, "5-password-error-in-view")


def _fill_address(page, **values):
    fields = {
        "Nickname": "Studio",
        "First name": "Asha",
        "Phone number": "9876543210",
        "Email": "asha@example.com",
        "Address line 1": "42 Church Street",
        "City": "Bengaluru",
        "PIN code": "560001",
    }
    if "Postal code" in values:
        fields.pop("PIN code")
    fields.update(values)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)


def test_address_errors_come_in_one_round(page):
    sign_in(page)
    page.goto("/account/addresses/new/")
    _fill_address(page, **{"Phone number": "12", "PIN code": "000000"})
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_text("Enter a phone number such as 98765 43210 or +91 98765 43210.")).to_be_visible()
    expect(
        page.get_by_text("Enter a valid PIN code for India such as 110034: 6 digits, not starting with 0.")
    ).to_be_visible()
    expect(page.get_by_text("Choose a state or union territory.")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_focused()
    assert_fits_the_screen(page)
    snapshot(page, "6-address-errors-one-round", full_page=True)


def test_phones_are_taken_as_people_type_them(page):
    from customers.models import Address

    sign_in(page)
    page.goto("/account/addresses/new/")
    _fill_address(page, **{"Phone number": "+91 98765-43210"})
    page.get_by_label("State or union territory").select_option("Karnataka")
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_role("status")).to_contain_text("Address added.")
    studio = Address.objects.get(customer=_shopper(), nickname="Studio")
    assert (studio.country_code, studio.phone) == ("+91", "9876543210")

    page.goto("/account/profile/")
    page.get_by_label("New phone number").fill("+91 91234 56789")
    page.get_by_role("button", name="Send a code to change phone").click()
    expect(page.get_by_label("6-digit code")).to_be_visible()
    expect(page.get_by_text("9123456789")).to_be_visible()
    snapshot(page, "7-phone-change-code")

    page.context.clear_cookies()
    sign_in(page, email="+91 98765 43210")
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()


def test_the_address_form_follows_the_country(page):
    """India: its states and union territories, a PIN code. Germany (issue 30): chosen from the
    list, the form comes back with Germany's fields (a postal code, no state), what was typed kept."""
    from customers.models import Address

    sign_in(page)
    page.goto("/account/addresses/new/")
    states = page.get_by_label("State or union territory")
    expect(states).to_be_visible()
    expect(states.locator("option", has_text="Puducherry")).to_have_count(1)
    states.scroll_into_view_if_needed()
    snapshot(page, "8-india-state-list")
    page.get_by_label("Nickname").fill("Studio")
    page.get_by_label("Country").select_option("Germany")
    expect(page.get_by_label("Postal code")).to_be_visible()
    expect(page.get_by_label("State or union territory")).to_have_count(0)
    expect(page.get_by_label("Nickname")).to_have_value("Studio")
    expect(page.get_by_label("Country")).to_be_focused()
    assert_fits_the_screen(page)
    snapshot(page, "8-germany-fields", full_page=True)
    _fill_address(page, **{"Postal code": "10115", "City": "Berlin", "Phone number": "030 901820"})
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_role("status")).to_contain_text("Address added.")
    studio = Address.objects.get(customer=_shopper(), nickname="Studio")
    assert (studio.state, studio.country, studio.country_code, studio.phone) == ("", "Germany", "+49", "30901820")


def test_cancel_says_what_comes_back_where_and_when(page):
    from customers import services as customer_services

    account = customer_services.bank_account_create(
        customer=_shopper(),
        data={
            "account_name": "Asha Verma",
            "account_number": "123456789012",
            "ifsc_code": "HDFC0001234",
            "bank_name": "HDFC Bank",
        },
    )
    customer_services.bank_account_verify(account=account)
    sign_in(page)
    page.goto("/account/orders/?status=pending,confirmed,awaiting_approval,awaiting_shipment")
    page.locator("article", has_text="Confirmed").first.get_by_role("link", name=re.compile("^ORD-")).click()
    page.get_by_text("Cancel this order", exact=True).click()
    bank = page.locator("label[for='id_bank_account_id']")
    expect(bank).to_contain_text("needed to refund to your bank account")
    expect(bank).not_to_contain_text("optional")
    bank.scroll_into_view_if_needed()
    snapshot(page, "9-cancel-bank-account-label")
    page.get_by_label("Why are you cancelling?").select_option("Changed my mind")
    page.get_by_label("My bank account").check()
    page.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_text("Choose the bank account for the refund.")).to_be_visible()
    page.locator("#id_bank_account_id").select_option(index=1)
    page.get_by_role("button", name="Cancel order").click()
    message = page.get_by_role("status")
    expect(message).to_contain_text(
        re.compile(r"₹[\d,.]+ goes back to your bank account HDFC Bank \S+ within 5 to 7 working days")
    )
    snapshot(page, "9-cancelled-message")


def test_deleting_the_default_address_says_which_took_its_place(page):
    from customers.models import Address, Subscription

    # The demo subscription holds both default addresses; once it is cancelled they can go.
    Subscription.objects.filter(customer=_shopper()).update(status="cancelled")
    sign_in(page)
    go(page, "Addresses")
    home = Address.objects.get(customer=_shopper(), is_default_shipping=True)
    page.get_by_role("article", name=home.nickname).get_by_role("link", name="Delete").click()
    expect(page.get_by_text("This is your default")).to_be_visible()
    page.get_by_role("button", name="Delete address").click()
    expect(page.get_by_role("status")).to_contain_text("Address deleted.")
    successor = Address.objects.get(customer=_shopper(), is_default_shipping=True)
    expect(page.get_by_role("status")).to_contain_text(
        f"{successor.nickname} ({successor.address_line1}, {successor.city}) is now your default shipping"
    )
    snapshot(page, "10-default-address-deleted")
