"""A sign-in from a new browser or device tells the shopper, with a link that signs out every
session and starts a password reset (issue 29 item 5; ASVS 5.0 6.3.5). A repeat from the same
browser or app sends nothing, nor does the first sign-in of a new account."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.models import AuthSession
from common.testing import API, PASSWORD

from .test_sessions_reauth import LAPTOP_UA, PHONE_UA, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def notices(to):
    return [m for m in mail.outbox if m.to == [to] and m.subject == "New sign-in to your account"]


def texts(outbox, to):
    return [m for m in outbox if m.to == to and "signed in to your account" in m.body]


def browser_sign_in(browser, user):
    answer = browser.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert answer.status_code == 302
    return answer


def test_a_new_app_tells_the_shopper_a_repeat_does_not(api, shopper, text_outbox):
    sign_in(type(api)(), shopper, ua=PHONE_UA)  # the first sign-in: nothing to compare with
    assert notices(shopper.email) == []
    sign_in(type(api)(), shopper, ua=PHONE_UA)  # the same app again
    assert notices(shopper.email) == []
    sign_in(type(api)(), shopper, ua=LAPTOP_UA, ip="203.0.113.9")
    (notice,) = notices(shopper.email)
    assert "Edge on Windows" in notice.body and "203.0.113.9" in notice.body
    assert re.search(r"http://\S+/account/not-me/\S+/", notice.body)
    (text,) = texts(text_outbox, "+91" + shopper.phone)
    assert text.channel == "sms" and "Edge on Windows" in text.body


def test_a_browser_is_known_by_its_cookie_not_by_its_user_agent(api, shopper):
    sign_in(type(api)(), shopper, ua=PHONE_UA)
    browser = Client(HTTP_USER_AGENT=LAPTOP_UA)
    answer = browser_sign_in(browser, shopper)
    assert answer.cookies["device"]["httponly"] and int(answer.cookies["device"]["max-age"]) > 300 * 86400
    assert len(notices(shopper.email)) == 1
    browser.post("/account/sign-out/")
    browser_sign_in(browser, shopper)  # the same browser: its cookie says so
    assert len(notices(shopper.email)) == 1
    other = Client(HTTP_USER_AGENT=LAPTOP_UA)  # same make of browser, another machine
    browser_sign_in(other, shopper)
    assert len(notices(shopper.email)) == 2
    forged = Client(HTTP_USER_AGENT=LAPTOP_UA)
    forged.cookies["device"] = browser.cookies["device"].value + "x"
    browser_sign_in(forged, shopper)
    assert len(notices(shopper.email)) == 3


def test_the_link_signs_out_everywhere_and_starts_a_reset(api, shopper):
    phone = sign_in(type(api)(), shopper, ua=PHONE_UA)
    browser = Client(HTTP_USER_AGENT=LAPTOP_UA)
    browser_sign_in(browser, shopper)
    link = re.search(r"http://[^/]+(/account/not-me/\S+/)", notices(shopper.email)[0].body).group(1)
    stranger = Client()
    page = stranger.get(link)
    assert page.status_code == 200 and "Sign out everywhere" in page.content.decode()
    done = stranger.post(link)
    assert done.status_code == 302 and done["Location"] == "/account/password-reset/code/"
    assert not AuthSession.objects.filter(user=shopper, ended_at__isnull=True).exists()
    assert phone.get(f"{API}/auth/sessions").status_code == 401
    assert browser.get("/account/").status_code == 302
    assert [m for m in mail.outbox if m.to == [shopper.email] and "reset" in m.body.lower()]
    reset_page = stranger.get("/account/password-reset/code/")
    assert reset_page.status_code == 200 and shopper.email in reset_page.content.decode()


@pytest.mark.parametrize("token", ["forged", "x" * 600, "%00"])
def test_a_forged_link_is_refused_and_ends_nothing(client, shopper, client_for, token):
    mine = client_for(shopper)
    assert client.post(f"/account/not-me/{token}/").status_code in (404, 400)
    assert mine.get(f"{API}/auth/sessions").status_code == 200
