"""Active sessions and "Confirm it's you" (issue 29 items 2 and 3) in a real browser, at 1280 and
390 px with axe-core on every page (conftest): the shopper sees this browser and their phone app,
is asked to confirm it is them after an old sign-in (by password, and by a passkey from Chromium's
virtual authenticator), then signs the other sessions out."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.devices import Client
from accounts.models import AuthSession, Passkey, User
from accounts.tokens import session_start, user_changed

from .conftest import assert_fits_the_screen, sign_in, snapshot
from .test_passkeys import DEMO_EMAIL, virtual_authenticator

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


def age_sign_ins(user):
    AuthSession.objects.filter(user=user).update(authenticated_at=timezone.now() - timedelta(hours=1))
    user_changed(user=user)


def test_see_sessions_confirm_with_the_password_and_sign_out_the_others(page):
    demo = User.objects.get(email=DEMO_EMAIL)
    phone = session_start(user=demo, client=Client(user_agent=PHONE_UA, ip="203.0.113.7", device_key="ua:phone"))
    sign_in(page)
    page.goto("/account/profile/")
    page.get_by_role("link", name="Your sessions").click()
    expect(page.get_by_role("heading", name="Where you're signed in")).to_be_visible()
    rows = page.get_by_role("list", name="Sessions").get_by_role("listitem")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_text("This browser")).to_be_visible()
    expect(page.get_by_role("heading", name="Chrome Mobile on Android · Samsung SM-S911B")).to_be_visible()
    expect(page.get_by_text("App · from 203.0.113.7")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "sessions-list", full_page=True)

    age_sign_ins(demo)
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    expect(page.get_by_text("For your security, confirm it's you first. Then try again.")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "sessions-confirm", full_page=True)
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_text("The password is not correct.").first).to_be_visible()
    page.get_by_label("Your password").fill("demo-pass-123")
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_text("Thank you: that's you.")).to_be_visible()
    expect(page.get_by_role("heading", name="Where you're signed in")).to_be_visible()
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text("Every other session is signed out.")).to_be_visible()
    expect(rows).to_have_count(1)
    assert AuthSession.objects.get(pk=phone.session.pk).ended_reason == "ended-by-user"
    snapshot(page, "sessions-after", full_page=True)


def test_confirm_with_a_passkey_before_removing_one(page):
    virtual_authenticator(page)
    sign_in(page)
    page.goto("/account/profile/")
    section = page.locator("section", has=page.get_by_role("heading", name="Passkeys"))
    section.get_by_label("Name for a new passkey (optional)").fill("Laptop")
    section.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey “Laptop” added: use it to sign in next time.")).to_be_visible()

    age_sign_ins(User.objects.get(email=DEMO_EMAIL))
    page.locator("li.passkey", has_text="Laptop").get_by_role("button", name="Remove Laptop").click()
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    assert Passkey.objects.filter(user__email=DEMO_EMAIL).count() == 1
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_text("Thank you: that's you.")).to_be_visible()
    page.locator("li.passkey", has_text="Laptop").get_by_role("button", name="Remove Laptop").click()
    expect(page.get_by_text("Passkey removed: it signs in no more.")).to_be_visible()
    assert not Passkey.objects.filter(user__email=DEMO_EMAIL).exists()
