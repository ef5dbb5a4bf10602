"""A shopper's main journeys, in a real browser. Each ends on something the shopper sees."""

import re

from playwright.sync_api import expect

from .conftest import sign_in


def go(page, section):
    page.get_by_role("navigation", name="Account").get_by_role("link", name=section).click()


def test_sign_in_lands_on_the_overview(page):
    sign_in(page)
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()
    expect(page.get_by_text("Recent orders")).to_be_visible()


def test_wrong_password_is_explained(page):
    sign_in(page, password="not-my-password")
    expect(page.get_by_role("alert")).to_contain_text("The email/phone or password is not correct.")


def test_edit_profile_name_and_notifications(page):
    sign_in(page)
    go(page, "Profile")
    page.get_by_label("First name").fill("Ashwini")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("status")).to_contain_text("Your name is saved.")
    page.get_by_label("Newsletter by email").check()
    page.get_by_role("button", name="Save notification choices").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification choices are saved.")
    expect(page.get_by_label("Newsletter by email")).to_be_checked()
    expect(page.get_by_label("First name")).to_have_value("Ashwini")


def test_add_an_address_and_make_it_the_default(page):
    sign_in(page)
    go(page, "Addresses")
    page.get_by_role("link", name="Add an address").click()
    page.get_by_label("Nickname").fill("Studio")
    page.get_by_label("First name").fill("Asha")
    page.get_by_label("Phone number").fill("9876543210")
    page.get_by_label("Email").fill("asha@example.com")
    page.get_by_label("Address line 1").fill("42 Church Street")
    page.get_by_label("City").fill("Bengaluru")
    page.get_by_label("PIN code").fill("560001")
    page.get_by_label("State or union territory").select_option("Karnataka")
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_role("status")).to_contain_text("Address added.")
    studio = page.get_by_role("article", name="Studio")
    studio.get_by_role("button", name="Make default shipping").click()
    expect(page.get_by_role("status")).to_contain_text("Default shipping address updated.")
    expect(page.get_by_role("article", name="Studio")).to_contain_text("Default shipping")


def test_cancel_an_order(page):
    sign_in(page)
    go(page, "Orders")
    page.get_by_role("link", name="In progress").click()
    confirmed = page.locator("article", has_text="Confirmed").first
    confirmed.get_by_role("link", name=re.compile("^ORD-")).click()
    page.get_by_text("Cancel this order", exact=True).click()
    page.get_by_label("Why are you cancelling?").select_option("Ordered by mistake")
    page.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_role("status")).to_contain_text("Your order is cancelled.")
    expect(page.locator(".toolbar .badge").first).to_have_text("Cancelled")


def test_request_a_return(page):
    sign_in(page)
    go(page, "Orders")
    page.locator("article", has_text="Delivered").first.get_by_role("link", name=re.compile("^ORD-")).click()
    page.goto(page.url + "return/")  # the return form's own page (issue 26)
    page.get_by_label("Ayurvedic Herbal Shampoo", exact=True).select_option("1")
    page.get_by_label("Reason").select_option("Arrived damaged")
    page.get_by_label("Replacement").check()
    page.get_by_role("button", name="Request return").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Return RET-\w+ requested"))
    # Lands on the return's own page (issue 26), which says what was asked.
    expect(page.get_by_role("heading", name=re.compile(r"Return RET-\w+: requested"))).to_be_visible()


def test_write_a_review(page):
    sign_in(page)
    go(page, "Reviews")
    card = page.get_by_role("article", name="Review Stainless Steel Water Bottle")
    card.locator("label[title='4 stars']").click()
    card.get_by_label("Your review").fill("Keeps water cold all day.")
    card.get_by_role("button", name="Submit review").click()
    expect(page.get_by_role("status")).to_contain_text("Thanks for reviewing Stainless Steel Water Bottle")
    expect(page.get_by_text("Keeps water cold all day.")).to_be_visible()
