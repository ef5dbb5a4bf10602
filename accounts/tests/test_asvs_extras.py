"""The smaller ASVS 5.0 V6/V7 items of issue 29 (SECURITY.md maps each to its test): the shop's
own words in a password (6.1.2, 6.2.11), long passwords (6.2.9), idle sessions ending (7.3.1),
notices when passkeys change (6.3.7), a new session id after re-authentication (7.2.4)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import AuthSession, SessionKind
from accounts.services import passkeys as pk
from accounts.tokens import session_new, user_changed
from common.testing import API, PASSWORD, assert_error

from .test_passkeys import register
from .test_sessions_reauth import web_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def register_with(api, password):
    body = {"email": "new@example.com", "password": password, "confirm_password": password}
    return api.post(f"{API}/auth/register/password", body, format="json")


@pytest.mark.parametrize("password", ["ExampleShop2024", "myaccount-2024", "Shop-Password-1"])
def test_a_password_mostly_of_the_shops_words_is_refused(api, password):
    refused = assert_error(register_with(api, password), 400, "validation_error")
    assert "shop's own words" in refused["errors"]["password"][0]


def test_the_operators_own_words_count_too(api, settings):
    settings.PASSWORD_CONTEXT_WORDS = ["diwali"]
    assert_error(register_with(api, "Diwali-2026!"), 400, "validation_error")


def test_a_password_with_enough_of_its_own_is_fine_and_64_characters_or_more_are_allowed(api):
    assert register_with(api, "velvet-otter-account-quarry").status_code == 200
    cache.clear()
    long_one = "a long passphrase of many words that goes past sixty-four characters easily 91"
    assert len(long_one) > 64
    body = {"email": "other@example.org", "password": long_one, "confirm_password": long_one}
    assert api.post(f"{API}/auth/register/password", body, format="json").status_code == 200


def test_a_website_session_unused_for_the_idle_days_ends(shopper, settings):
    browser = web_sign_in(shopper)
    assert browser.get("/account/").status_code == 200
    store = browser.session
    store["_auth_session_seen"] = int((timezone.now() - timedelta(days=settings.SESSION_IDLE_DAYS + 1)).timestamp())
    store.save()
    page = browser.get("/account/")
    assert page.status_code == 302 and page["Location"].startswith("/account/sign-in/")
    assert AuthSession.objects.get(user=shopper, kind=SessionKind.WEB).ended_reason == "idle"


def test_an_app_session_unused_for_the_idle_days_cannot_refresh(api, shopper, client_for, settings):
    me = client_for(shopper)
    AuthSession.objects.filter(pk=me.pair.session.pk).update(
        last_seen_at=timezone.now() - timedelta(days=settings.SESSION_IDLE_DAYS + 1), refreshed_at=None
    )
    user_changed(user=shopper)
    answer = api.post(f"{API}/auth/refresh-token", {"refresh_token": me.pair.refresh_token}, format="json")
    assert_error(answer, 401, "unauthorized")
    assert AuthSession.objects.get(pk=me.pair.session.pk).ended_reason == "idle"


def test_adding_and_removing_a_passkey_tells_the_shopper(shopper, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, passkey = register(shopper, name="Phone")
    (added,) = [m for m in mail.outbox if m.to == [shopper.email] and m.subject == "Your passkeys changed"]
    assert "“Phone”, was added" in added.body
    with django_capture_on_commit_callbacks(execute=True):
        pk.passkey_remove(user=shopper, passkey_id=passkey.pk, session=session_new(user=shopper, client=None))
    assert "“Phone” was removed" in mail.outbox[-1].body


def test_confirming_it_is_you_gives_the_browser_a_new_session_id(shopper):
    browser = web_sign_in(shopper)
    before = browser.cookies["sessionid"].value
    answer = browser.post("/account/profile/confirm/", {"confirm-password": PASSWORD, "next": "/account/"})
    assert answer.status_code == 302
    assert browser.cookies["sessionid"].value != before
    assert browser.get("/account/").status_code == 200
    assert Client().get("/account/").status_code == 302


def test_every_password_box_masks_its_entry_and_nothing_blocks_pasting(signed_in):
    """6.2.6, 6.2.7: type=password on every page that asks for one; no script stops a paste or
    a password manager (no paste handler, no autocomplete=off on a password)."""
    import re
    from pathlib import Path

    from django.conf import settings

    pages = ["/account/profile/", "/account/profile/confirm/"]
    anonymous = Client()
    html = "".join(signed_in.get(url).content.decode() for url in pages)
    html += "".join(anonymous.get(url).content.decode() for url in ("/account/sign-in/", "/account/register/"))
    boxes = re.findall(r"<input[^>]*name=\"[^\"]*password[^\"]*\"[^>]*>", html)
    assert len(boxes) >= 6
    for box in boxes:
        assert 'type="password"' in box and 'autocomplete="off"' not in box, box
    scripts = " ".join(p.read_text() for p in (Path(settings.BASE_DIR) / "static").rglob("*.js"))
    assert "paste" not in scripts and "onpaste" not in html


def test_the_password_is_checked_exactly_as_typed(api, make_user):
    """6.2.8: no trimming or case change: spaces at the ends are part of it."""
    make_user(email="spaces@example.com", phone=None, password="  Velvet Otter Quarry  ", is_email_verified=True)
    login = {"email": "spaces@example.com", "password": "  Velvet Otter Quarry  "}
    assert api.post(f"{API}/auth/login/password", login, format="json").status_code == 200
    for wrong in ("Velvet Otter Quarry", "  velvet otter quarry  "):
        cache.clear()
        answer = api.post(f"{API}/auth/login/password", {**login, "password": wrong}, format="json")
        assert answer.status_code == 401
