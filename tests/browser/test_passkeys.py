"""Passkeys (issue 29 item 1) in a real browser: Chromium's virtual authenticator (CDP
`WebAuthn.addVirtualAuthenticator`: a platform authenticator with user verification) makes and
uses the passkey. Add one on the profile, sign out, sign in with it, rename it, remove it; and the
offer after a code sign-in. At 1280 and 390 px, axe-core on every page (see conftest)."""

from django.core import mail
from playwright.sync_api import expect

from accounts.models import Passkey, User

from .conftest import assert_fits_the_screen, sign_in, snapshot

DEMO_EMAIL = "demo@example.com"


def virtual_authenticator(page) -> tuple:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_add_a_passkey_sign_in_with_it_rename_and_remove_it(page, live_server):
    assert live_server.url.startswith("http://localhost:")  # a secure context, as WebAuthn needs
    cdp, authenticator = virtual_authenticator(page)
    sign_in(page)
    page.goto("/account/profile/")
    section = page.locator("section", has=page.get_by_role("heading", name="Passkeys"))
    expect(section.get_by_text("You have no passkey yet.")).to_be_visible()
    section.get_by_label("Name for a new passkey (optional)").fill("Test phone")
    section.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey “Test phone” added: use it to sign in next time.")).to_be_visible()
    expect(section.locator("li.passkey strong")).to_have_text(["Test phone"])
    assert_fits_the_screen(page)
    snapshot(page, "passkeys-profile", full_page=True)
    demo = User.objects.get(email=DEMO_EMAIL)
    passkey = Passkey.objects.get(user=demo)
    [credential] = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert credential["isResidentCredential"] and credential["rpId"] == "localhost"

    page.get_by_role("button", name="Sign out").click()
    page.goto("/account/sign-in/")
    button = page.get_by_role("button", name="Sign in with a passkey")
    expect(button).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "passkeys-sign-in")
    button.click()
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None

    page.goto("/account/profile/")
    item = page.locator("li.passkey", has_text="Test phone")
    item.get_by_label("New name for Test phone").fill("Work phone")
    item.get_by_role("button", name="Rename").click()
    expect(page.get_by_text("Passkey renamed “Work phone”.")).to_be_visible()
    item = page.locator("li.passkey", has_text="Work phone")
    item.get_by_role("button", name="Remove Work phone").click()
    expect(page.get_by_text("Passkey removed: it signs in no more.")).to_be_visible()
    expect(page.get_by_text("You have no passkey yet.")).to_be_visible()
    assert not Passkey.objects.filter(user=demo).exists()

    # The passkey still on the device opens nothing now, and the page says so.
    page.get_by_role("button", name="Sign out").click()
    page.goto("/account/sign-in/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("alert")).to_have_text("This passkey could not be verified. Try again.")
    snapshot(page, "passkeys-sign-in-refused")


def test_a_passkey_is_offered_after_a_code_sign_in(page):
    virtual_authenticator(page)
    page.goto("/account/sign-in/")
    page.get_by_label("Mobile number or email").fill(DEMO_EMAIL)
    page.get_by_role("button", name="Send me a code").click()
    code = [m for m in mail.outbox if m.to == [DEMO_EMAIL] and "is your code" in m.body][-1].body.split()[0]
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()
    offer = page.locator("aside", has=page.get_by_role("heading", name="Sign in faster next time: add a passkey"))
    expect(offer).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "passkeys-offer")
    offer.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey “Passkey 1” added: use it to sign in next time.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in faster next time: add a passkey")).to_have_count(0)
    assert Passkey.objects.filter(user__email=DEMO_EMAIL).count() == 1
