"""Codes that can be resent or sent elsewhere, the way back to the shop and branded error pages,
reviews that can be changed while pending; and the back office's order page. Each walked on a
laptop and on a phone-sized screen."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_fits_the_screen, sign_in, snapshot
from .test_journeys import go

PASSWORD = "a-new-pass-456"


def _latest_code(to: str) -> str:
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body][-1].body.split()[0]


def _start_sign_up(page, email="ravi@example.com"):
    page.goto("/account/register/")
    page.get_by_label("First name").fill("Ravi")
    page.get_by_label("Mobile number or email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm your account")).to_be_visible()


def test_a_code_that_does_not_come_can_be_resent(page, settings):
    _start_sign_up(page)
    code_field = page.get_by_label("6-digit code")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")

    # Asked again at once: the API's wait applies, and the page says how long.
    page.get_by_role("button", name="Resend code").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"You can ask again in \d+ seconds\."))
    assert_accessible(page)
    snapshot(page, "codes-resend-throttled")

    settings.OTP_RESEND_SECONDS = 0
    page.get_by_role("button", name="Resend code").click()
    expect(page.get_by_role("status")).to_contain_text("We sent a new code to ravi@example.com.")
    second = _latest_code("ravi@example.com")
    assert len([m for m in mail.outbox if m.to == ["ravi@example.com"]]) == 2
    assert_fits_the_screen(page)
    snapshot(page, "codes-resent")
    page.get_by_label("6-digit code").fill(second)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome! Your account is ready.")


def test_use_a_different_address_goes_back_to_the_form(page):
    _start_sign_up(page, email="typo@exmaple.com")
    page.get_by_role("link", name="Use a different address").click()
    expect(page).to_have_url(re.compile("/account/register/$"))
    _start_sign_up(page, email="ravi@example.com")
    expect(page.get_by_text("We sent a 6-digit code to ravi@example.com")).to_be_visible()

    # Changing the email on the profile: the link goes back to that form.
    page.context.clear_cookies()
    sign_in(page)
    go(page, "Profile")
    page.get_by_label("New email address").fill("asha.new@example.com")
    page.get_by_role("button", name="Send a code to change email").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    snapshot(page, "codes-change-email")
    page.get_by_role("link", name="Use a different address").click()
    expect(page.get_by_role("heading", name="Email and phone")).to_be_visible()


def test_every_page_leads_back_to_the_shop_and_a_lost_page_is_branded(page, settings):
    settings.SHOP_URL = "https://shop.example.com/"
    sign_in(page)
    shop = page.get_by_role("link", name=f"Back to {settings.SHOP_NAME}").first
    expect(shop).to_be_visible()
    expect(shop).to_have_attribute("href", "https://shop.example.com/")
    snapshot(page, "shop-link-header")

    response = page.goto("/account/orders/ORD-NO-SUCH/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Go to My Account")).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)  # not an "ok" page, so the end-of-journey check would skip it
    snapshot(page, "error-404", full_page=True)
    page.get_by_role("main").get_by_role("link", name="Go to My Account").click()
    expect(page).to_have_url(re.compile("/account/$"))


@pytest.mark.urls("common.tests.test_error_pages")
def test_a_failure_shows_the_branded_500(page):
    response = page.goto("/account/broken/")
    assert response.status == 500
    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()
    expect(page.get_by_role("link", name="Go to My Account")).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)
    snapshot(page, "error-500", full_page=True)


def _stars(scope):
    return scope.get_by_role("group", name="Your rating")


def test_star_picker_arrow_keys_follow_the_visual_order(page):
    sign_in(page)
    go(page, "Reviews")
    card = page.get_by_role("article", name="Review Stainless Steel Water Bottle")
    stars = _stars(card)
    radios = [stars.get_by_role("radio", name=f"{n} star{'s' if n > 1 else ''}", exact=True) for n in range(1, 6)]
    lefts = [stars.locator(f"label[for='{r.get_attribute('id')}']").bounding_box()["x"] for r in radios]
    assert lefts == sorted(lefts)  # 1 to 5 stars, left to right
    stars.locator("label[title='2 stars']").click()
    expect(radios[1]).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(radios[2]).to_be_checked()
    expect(radios[2]).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(radios[3]).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(radios[2]).to_be_checked()
    page.mouse.move(0, 0)  # no hover preview: the colours show the choice
    gold = [
        stars.locator(f"label[for='{r.get_attribute('id')}']").evaluate("(el) => getComputedStyle(el).color")
        for r in radios
    ]
    assert gold[0] == gold[1] == gold[2] != gold[3] == gold[4]  # up to the third star
    card.scroll_into_view_if_needed()
    snapshot(page, "reviews-star-picker")


def test_a_star_only_review_changed_then_deleted_while_pending(page):
    sign_in(page)
    go(page, "Reviews")
    card = page.get_by_role("article", name="Review Stainless Steel Water Bottle")
    card.get_by_role("button", name="Submit review").click()  # no stars chosen
    card = page.get_by_role("article", name="Review Stainless Steel Water Bottle")
    expect(_stars(card)).to_contain_text("Choose 1 to 5 stars.")  # next to the stars
    expect(card.get_by_role("alert")).to_be_focused()
    snapshot(page, "reviews-error-next-to-stars")

    _stars(card).locator("label[title='4 stars']").click()
    card.get_by_role("button", name="Submit review").click()  # no words: a star-only rating
    expect(page.get_by_role("status")).to_contain_text("Thanks for reviewing Stainless Steel Water Bottle")
    mine = page.get_by_role("article", name="Your review of Stainless Steel Water Bottle")
    expect(mine.get_by_role("img", name="4 out of 5 stars")).to_be_visible()
    mine.scroll_into_view_if_needed()
    snapshot(page, "reviews-pending-can-be-changed")

    mine.get_by_role("link", name="Edit your review of Stainless Steel Water Bottle").click()
    expect(page.get_by_role("heading", name="Edit your review of Stainless Steel Water Bottle")).to_be_visible()
    expect(_stars(page).get_by_role("radio", name="4 stars")).to_be_checked()
    _stars(page).locator("label[title='5 stars']").click()
    page.get_by_label("Your review").fill("Keeps water cold all day.")
    assert_fits_the_screen(page)
    snapshot(page, "reviews-edit")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your review of Stainless Steel Water Bottle is saved.")
    mine = page.get_by_role("article", name="Your review of Stainless Steel Water Bottle")
    expect(mine.get_by_role("img", name="5 out of 5 stars")).to_be_visible()
    expect(mine.get_by_text("Keeps water cold all day.")).to_be_visible()

    mine.get_by_role("link", name="Delete your review of Stainless Steel Water Bottle").click()
    expect(page.get_by_role("heading", name="Delete your review of Stainless Steel Water Bottle?")).to_be_visible()
    snapshot(page, "reviews-delete-confirm")
    page.get_by_role("button", name="Delete review").click()
    expect(page.get_by_role("status")).to_contain_text("Your review of Stainless Steel Water Bottle is deleted.")
    expect(page.get_by_role("article", name="Review Stainless Steel Water Bottle")).to_be_visible()
    # The approved demo review is not editable.
    expect(page.get_by_role("link", name=re.compile("^Edit your review"))).to_have_count(0)


def test_the_back_office_order_page_puts_what_staff_act_on_first(page):
    from orders import services
    from orders.models import Order

    delivered = Order.objects.filter(customer__email="demo@example.com", status="delivered").first()
    services.return_create(
        order=delivered,
        lines=[
            services.ReturnRequestLine(
                order_item=delivered.items.first(), quantity=1, reason="Lid cracked", resolution="refund"
            )
        ],
    )
    order = Order.objects.filter(customer__email="demo@example.com").order_by("order_date").first()
    page.goto("/admin/login/")
    # The demo's support staff member: they look customers up, and act on returns.
    page.get_by_label(re.compile("Email")).fill("support@example.com")
    page.get_by_label("Password").fill("support-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/orders/order/{order.pk}/change/")
    headings = page.locator("h2.fieldset-heading").all_inner_texts()
    assert headings[:2] == ["Act on this order", "Fulfilment"]
    first = page.locator("fieldset", has=page.get_by_role("heading", name="Act on this order"))
    for label in ("Status:", "Payment status:", "Allowed now:", "Grand total:"):
        expect(first.get_by_text(label, exact=True)).to_be_visible()
    snapshot(page, "admin-order-change")

    # The customer's page leads to their orders and their returns.
    first.get_by_role("link", name="demo@example.com").click()
    page.get_by_role("link", name="Their orders").click()
    expect(page.get_by_role("link", name=order.number)).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Their returns").click()
    expect(page.get_by_role("columnheader", name="Customer")).to_be_visible()
    expect(page.locator("td.field-customer").first).to_have_text("demo@example.com")
    snapshot(page, "admin-customer-returns")
    page.get_by_role("link", name=re.compile("^RET-")).first.click()
    expect(page.get_by_text("1 x ", exact=False).first).to_contain_text("Lid cracked")  # not "ReturnItem object"
    snapshot(page, "admin-return-items", full_page=True)
