"""Issue 27 item 3: "Deactivate my account" on the profile, beside "Delete my account"; signed
out with a page saying how to come back; the password then refused with that explanation, and a
code sign-in reactivating the account. Staff reactivate from the customer list. At 1280 and
390 px (axe-core checks every page, see conftest)."""

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

from .conftest import assert_fits_the_screen, sign_in, snapshot
from .test_journeys import go

DEMO_EMAIL = "demo@example.com"


def _email_code(to: str) -> str:
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body][-1].body.split()[0]


def test_deactivate_then_come_back_with_a_code(page):
    sign_in(page)
    go(page, "Profile")
    section = page.get_by_role("region", name="Your data")
    expect(section.get_by_text("keeping everything")).to_be_visible()
    expect(section.get_by_text("Closes the account for good")).to_be_visible()
    section.scroll_into_view_if_needed()
    assert_fits_the_screen(page)
    snapshot(page, "profile-deactivate-beside-delete")
    deactivate_form = section.get_by_role("form", name="Deactivate my account")
    deactivate_form.get_by_label("Your password").fill("not-my-password")
    deactivate_form.get_by_role("button", name="Deactivate my account").click()
    expect(page.get_by_text("The password is not correct.").first).to_be_visible()
    assert User.objects.get(email=DEMO_EMAIL).is_active

    deactivate_form = page.get_by_role("form", name="Deactivate my account")
    deactivate_form.get_by_label("Your password").fill("demo-pass-123")
    deactivate_form.get_by_role("button", name="Deactivate my account").click()
    expect(page.get_by_role("heading", name="Your account is deactivated")).to_be_visible()
    expect(page.get_by_text("Nothing is erased")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "account-deactivated")
    assert User.objects.get(email=DEMO_EMAIL).is_deactivated_by_shopper

    # Signed out; the password now explains itself, and the page offers the code.
    page.goto("/account/profile/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page)
    expect(page.get_by_role("alert")).to_contain_text("This account is deactivated")
    assert_fits_the_screen(page)
    snapshot(page, "sign-in-deactivated")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    page.get_by_label("6-digit code").fill(_email_code(DEMO_EMAIL))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome back: your account is active again.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Hello"))).to_be_visible()
    assert User.objects.get(email=DEMO_EMAIL).is_active


def test_staff_reactivate_from_the_customer_list(page):
    # From the list: the customer's own page also has a "Reactivate" button (accounts/tests),
    # but its groups picker (Django's filter_horizontal script) fails axe-core on its own.
    from accounts.services import user_deactivate

    shopper = User.objects.get(email=DEMO_EMAIL)
    user_deactivate(user=shopper)
    page.goto("/admin/")
    page.get_by_label(re.compile("Email")).fill("admin@example.com")
    page.get_by_label("Password").fill("admin-pass-123")
    page.get_by_role("button", name=re.compile("Log in|Sign in")).click()
    page.goto("/admin/accounts/user/?is_active__exact=0")
    page.locator(f'input[name="_selected_action"][value="{shopper.pk}"]').check()
    page.locator('select[name="action"]').select_option("reactivate")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Reactivated: 1 done.")
    snapshot(page, "admin-reactivated")
    assert User.objects.get(pk=shopper.pk).is_active
