"""Phone-first shoppers (issue 26, items 1, 2 and 8): sign in with a code by email and by phone,
sign up with a phone, reset a password by phone, download one's data and delete one's account,
at 1280 and 390 px (axe-core checks every page, see conftest)."""

import json
import re

from django.core import mail
from playwright.sync_api import expect

from accounts.messaging import LocmemSmsBackend
from accounts.models import User
from common.tests.imagefiles import jpeg_with_gps

from .conftest import assert_fits_the_screen, sign_in, snapshot
from .test_journeys import go

DEMO_EMAIL = "demo@example.com"
DEMO_PHONE = "+919876543210"
NEW_PASSWORD = "a-new-pass-456"


def _email_code(to: str) -> str:
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body][-1].body.split()[0]


def _text_code(to: str) -> str:
    return [t for t in LocmemSmsBackend.outbox if t.to == to and "is your code" in t.body][-1].body.split()[0]


def _send_me_a_code(page, identifier: str):
    page.goto("/account/sign-in/")
    page.get_by_label("Mobile number or email").fill(identifier)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()


def test_sign_in_with_a_code_by_email(page):
    _send_me_a_code(page, DEMO_EMAIL)
    expect(page.get_by_text(f"If an account uses {DEMO_EMAIL}, we sent it a 6-digit code.")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "code-sign-in-email")
    page.get_by_label("6-digit code").fill(_email_code(DEMO_EMAIL))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()


def test_sign_in_with_a_code_by_phone_after_a_wrong_one(page):
    page.goto("/account/sign-in/")
    # "Send me a code" sits beside the password box, on one line even on a phone.
    password_box = page.get_by_label("Password").bounding_box()
    button_box = page.get_by_role("button", name="Send me a code").bounding_box()
    assert abs(button_box["y"] - password_box["y"]) < 8 and button_box["x"] > password_box["x"]
    assert_fits_the_screen(page)
    snapshot(page, "code-sign-in-form")
    _send_me_a_code(page, "98765 43210")
    code = _text_code(DEMO_PHONE)
    page.get_by_label("6-digit code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text(re.compile(r"The code is not correct\. 4 tries left\."))).to_be_visible()
    snapshot(page, "code-sign-in-wrong-code")
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()


def test_sign_up_with_a_phone(page):
    page.goto("/account/register/")
    page.get_by_label("First name").fill("Arjun")
    page.get_by_label("Mobile number or email").fill("98765 00021")
    password = page.get_by_label("Password", exact=True)
    password.fill(NEW_PASSWORD)
    # The show-password toggle: the shopper sees what they typed instead of typing it twice.
    toggle = page.get_by_role("button", name="Show password")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(password).to_have_attribute("type", "text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert_fits_the_screen(page)
    snapshot(page, "sign-up-phone")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm your account")).to_be_visible()
    page.get_by_label("6-digit code").fill(_text_code("+919876500021"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome! Your account is ready.")
    user = User.objects.get(phone="9876500021")
    assert user.is_phone_verified and user.first_name == "Arjun" and user.check_password(NEW_PASSWORD)


def test_reset_password_by_phone(page):
    page.goto("/account/sign-in/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Mobile number or email").fill("+91 98765 43210")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("6-digit code").fill(_text_code(DEMO_PHONE))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    assert_fits_the_screen(page)
    snapshot(page, "password-reset-phone")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password is saved")).to_be_visible()
    sign_in(page, email="98765 43210", password=NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()


def test_download_my_data(page):
    sign_in(page)
    go(page, "Profile")
    section = page.get_by_role("region", name="Your data")
    download_form = section.get_by_role("form", name="Download my data")
    download_form.get_by_label("Your password").fill("not-my-password")
    download_form.get_by_role("button", name="Download my data").click()
    expect(page.get_by_text("The password is not correct.").first).to_be_visible()
    section = page.get_by_role("region", name="Your data")
    download_form = section.get_by_role("form", name="Download my data")
    download_form.get_by_label("Your password").fill("demo-pass-123")
    with page.expect_download() as info:
        download_form.get_by_role("button", name="Download my data").click()
    download = info.value
    assert re.fullmatch(r"my-account-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    export = json.loads(open(download.path()).read())
    assert export["user"]["email"] == DEMO_EMAIL and export["orders"]
    # The page stays; the earlier "not correct" is gone from it.
    expect(page.get_by_text("The password is not correct.")).to_have_count(0)
    section.scroll_into_view_if_needed()
    snapshot(page, "profile-your-data")


def test_delete_my_account(page):
    sign_in(page)
    go(page, "Profile")
    delete_form = page.get_by_role("form", name="Delete my account")
    delete_form.get_by_label("Your password").fill("demo-pass-123")
    delete_form.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    expect(page.get_by_text("You are signed out, everywhere")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "account-deleted")
    assert not User.objects.get(pk=User.objects.get(email__startswith="erased-").pk).is_active
    # Signed out: the account pages ask to sign in, and the old password opens nothing.
    page.goto("/account/profile/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page)
    expect(page.get_by_role("alert")).to_contain_text("The email/phone or password is not correct.")


def test_profile_with_a_picture_fits_the_screen(page, tmp_path):
    photo = tmp_path / "me.jpg"
    photo.write_bytes(jpeg_with_gps())
    sign_in(page)
    go(page, "Profile")
    page.get_by_label("New picture").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("Your picture is saved.")
    expect(page.get_by_role("img", name="Your profile picture")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "profile-with-picture", full_page=True)
