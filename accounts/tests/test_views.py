"""The website's account pages, through Django's test client."""

import re

import pytest
from django.core import mail

from accounts.models import AuthSession, User
from accounts.tokens import session_start
from common.testing import PASSWORD
from common.tests.imagefiles import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_need_sign_in(client):
    for url in (
        "/account/",
        "/account/profile/",
        "/account/orders/",
        "/account/addresses/",
        "/account/rewards/",
        "/account/reviews/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/?next=")


def test_sign_in_with_email_or_phone_and_out(client, shopper):
    page = client.get("/account/sign-in/")
    assert b"csrfmiddlewaretoken" in page.content
    response = client.post("/account/sign-in/", {"username": "SHOPPER@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/account/"
    client.post("/account/sign-out/")
    response = client.post("/account/sign-in/", {"username": shopper.phone, "password": PASSWORD})
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"


def test_wrong_password_shows_one_message_and_five_failures_lock(client, shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        response = client.post("/account/sign-in/", {"username": shopper.email, "password": "wrong"})
        assert b"The email/phone or password is not correct." in response.content
    response = client.post("/account/sign-in/", {"username": shopper.email, "password": PASSWORD})
    assert response.status_code == 200 and b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_register_with_a_code(client):
    response = client.post(
        "/account/register/",
        {"first_name": "Ravi", "identifier": "ravi@example.com", "password": PASSWORD},
    )
    assert response["Location"] == "/account/register/verify/"
    page = client.get("/account/register/verify/")
    assert b"ravi@example.com" in page.content
    wrong = client.post(
        "/account/register/verify/", {"otp": "000000" if "000000" not in mail.outbox[0].body else "111111"}
    )
    assert b"The code is not correct" in wrong.content
    code = mail.outbox[0].body.split()[0]
    response = client.post("/account/register/verify/", {"otp": code})
    assert response["Location"] == "/account/"
    assert User.objects.get(email="ravi@example.com").is_email_verified
    assert client.get("/account/").status_code == 200


def test_register_errors_sit_next_to_their_fields(client, shopper):
    response = client.post("/account/register/", {"identifier": "x@example.com", "password": "short"})
    assert b"This password is too short." in response.content
    response = client.post("/account/register/", {"password": PASSWORD})
    assert b"Give a mobile number or an email address." in response.content
    response = client.post("/account/register/", {"identifier": "12", "password": PASSWORD})
    assert b"Enter a mobile number such as 98765 43210, or an email address." in response.content
    # A taken address is not revealed: the page goes on to the code step, as for a new one
    # (tests/security/test_registration_enumeration.py).
    response = client.post("/account/register/", {"identifier": shopper.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/account/register/verify/"


def test_password_reset_by_email_link_ends_all_sessions(client, shopper):
    api_session = session_start(user=shopper).session
    response = client.post("/account/password-reset/", {"email": shopper.email})
    assert response["Location"] == "/account/password-reset/sent/"
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "fresh-pass-987", "new_password2": "fresh-pass-987"}
    )
    assert response["Location"] == "/account/password-reset/done/"
    assert User.objects.get(pk=shopper.pk).check_password("fresh-pass-987")
    assert AuthSession.objects.get(pk=api_session.pk).ended_at is not None


def test_password_reset_for_an_unknown_email_looks_the_same(client):
    response = client.post("/account/password-reset/", {"email": "ghost@example.com"})
    assert response["Location"] == "/account/password-reset/sent/" and mail.outbox == []


def test_profile_names_and_preferences(signed_in, shopper, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert signed_in.get("/account/profile/").status_code == 200
    response = signed_in.post("/account/profile/name/", {"first_name": "Mira", "last_name": "N"}, follow=True)
    assert b"Your name is saved." in response.content
    assert User.objects.get(pk=shopper.pk).first_name == "Mira"
    signed_in.post("/account/profile/notifications/", {"newsletter__email": "on", "transactional__email": "on"})
    prefs = User.objects.get(pk=shopper.pk).notification_preferences
    assert prefs["newsletter"]["email"] is True and prefs["transactional"]["sms"] is False


def test_change_email_with_the_code_step(signed_in, shopper):
    response = signed_in.post("/account/profile/email/change/", {"email": "moved@example.com"})
    assert response["Location"] == "/account/profile/verify/"
    code = mail.outbox[0].body.split()[0]
    assert mail.outbox[0].to == ["moved@example.com"]
    response = signed_in.post("/account/profile/verify/", {"otp": code}, follow=True)
    assert b"moved@example.com is now on your account and verified." in response.content
    assert User.objects.get(pk=shopper.pk).email == "moved@example.com"


def test_change_phone_errors(signed_in, shopper, other_shopper):
    User.objects.filter(pk=other_shopper.pk).update(is_phone_verified=True)  # proved: held
    response = signed_in.post("/account/profile/phone/change/", {"phone": "12", "channel": "sms"})
    assert response.status_code == 400 and b"Enter a phone number such as 98765 43210" in response.content
    # As typed, with the country code: the same number, the same refusal.
    typed = f"+91 {other_shopper.phone[:5]} {other_shopper.phone[5:]}"
    response = signed_in.post("/account/profile/phone/change/", {"phone": typed, "channel": "sms"})
    assert response.status_code == 409 and b"Another account already uses this phone number." in response.content
    response = signed_in.post("/account/profile/phone/change/", {"phone": other_shopper.phone, "channel": "sms"})
    assert response.status_code == 409 and b"Another account already uses this phone number." in response.content


def test_picture_upload_replace_remove(signed_in, shopper):
    response = signed_in.post("/account/profile/picture/", {"image": upload(jpeg_with_gps())}, follow=True)
    assert b"Your picture is saved." in response.content
    assert User.objects.get(pk=shopper.pk).profile_image
    bad = signed_in.post("/account/profile/picture/", {"image": upload(b"not an image")})
    assert bad.status_code == 400 and b"not a valid image" in bad.content
    signed_in.post("/account/profile/picture/", {"remove": "1"})
    assert not User.objects.get(pk=shopper.pk).profile_image


def test_change_password_keeps_this_session(signed_in, shopper):
    wrong = signed_in.post(
        "/account/profile/password/",
        {"old_password": "nope", "new_password": "fresh-pass-987", "confirm_password": "fresh-pass-987"},
    )
    assert wrong.status_code == 400 and b"The current password is not correct." in wrong.content
    response = signed_in.post(
        "/account/profile/password/",
        {"old_password": PASSWORD, "new_password": "fresh-pass-987", "confirm_password": "fresh-pass-987"},
        follow=True,
    )
    assert b"Your password is changed." in response.content
    assert signed_in.get("/account/profile/").status_code == 200  # still signed in


def test_forms_need_csrf(shopper):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(shopper)
    assert strict.post("/account/profile/name/", {"first_name": "X"}).status_code == 403


def _code_mails(to):
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body]


def test_the_code_page_helps_with_a_code_that_does_not_come(client, settings):
    client.post(
        "/account/register/",
        {"first_name": "Ravi", "identifier": "ravi@example.com", "password": PASSWORD},
    )
    page = client.get("/account/register/verify/").content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert 'action="/account/register/verify/resend/"' in page and ">Resend code</button>" in page
    assert '<a href="/account/register/">Use a different address</a>' in page
    first = _code_mails("ravi@example.com")[0].body.split()[0]

    # Straight away: the same wait as the API's (accounts.otp), said plainly.
    refused = client.post("/account/register/verify/resend/", follow=True)
    assert re.search(
        r"Please wait before asking for another\. You can ask again in \d+ seconds\.", refused.content.decode()
    )
    assert len(_code_mails("ravi@example.com")) == 1

    settings.OTP_RESEND_SECONDS = 0
    resent = client.post("/account/register/verify/resend/", follow=True)
    assert b"We sent a new code to ravi@example.com." in resent.content
    second = _code_mails("ravi@example.com")[1].body.split()[0]
    if first != second:
        assert b"The code is not correct" in client.post("/account/register/verify/", {"otp": first}).content
    assert client.post("/account/register/verify/", {"otp": second})["Location"] == "/account/"
    assert User.objects.get(email="ravi@example.com").is_email_verified


def test_a_resent_sign_up_code_never_goes_to_an_address_with_an_account(client, shopper, settings):
    settings.OTP_RESEND_SECONDS = 0
    client.post("/account/register/", {"identifier": shopper.email, "password": PASSWORD})
    response = client.post("/account/register/verify/resend/", follow=True)
    assert f"We sent a new code to {shopper.email}".encode() in response.content  # as for a new address
    assert _code_mails(shopper.email) == []


def test_resend_and_use_a_different_address_when_changing_email(signed_in, shopper, settings):
    signed_in.post("/account/profile/email/change/", {"email": "moved@example.com"})
    page = signed_in.get("/account/profile/verify/").content.decode()
    assert 'action="/account/profile/verify/resend/"' in page
    assert '<a href="/account/profile/#contact-h">Use a different address</a>' in page
    assert b"ask again in" in signed_in.post("/account/profile/verify/resend/", follow=True).content
    settings.OTP_RESEND_SECONDS = 0
    signed_in.post("/account/profile/verify/resend/")
    codes = _code_mails("moved@example.com")
    assert len(codes) == 2
    response = signed_in.post("/account/profile/verify/", {"otp": codes[1].body.split()[0]}, follow=True)
    assert b"moved@example.com is now on your account and verified." in response.content


def test_resend_without_a_code_waiting_goes_back_to_the_form(client, signed_in):
    assert signed_in.post("/account/profile/verify/resend/")["Location"] == "/account/profile/"
    signed_in.logout()
    assert signed_in.post("/account/register/verify/resend/")["Location"] == "/account/register/"
