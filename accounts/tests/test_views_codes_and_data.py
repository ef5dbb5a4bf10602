"""The website's sign-in with a code, sign-up with one box, password reset by phone, and
"Download my data" / "Delete my account" on Profile (issue 26, items 1, 2 and 8): the same
services, limits and enumeration rules as the API."""

import json

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.services import user_create
from accounts.tokens import session_start
from common.testing import API, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def text_code(outbox, to):
    return [t for t in outbox if t.to == to and "is your code" in t.body][-1].body.split()[0]


def email_code(to):
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body][-1].body.split()[0]


def wrong(code):
    return "000000" if code != "000000" else "111111"


def send_code(client, identifier, **extra):
    return client.post("/account/sign-in/", {"username": identifier, "password": "", "send_code": "1", **extra})


# --- sign in with a code ----------------------------------------------------------------------


def test_the_sign_in_page_has_one_box_and_send_me_a_code_beside_the_password(client):
    page = client.get("/account/sign-in/").content.decode()
    assert ">Mobile number or email</label>" in page
    assert 'name="send_code"' in page and ">Send me a code</button>" in page
    visible_sign_in = page.index('<button class="btn" type="submit">Sign in</button>')
    assert page.index('name="password"') < page.index('name="send_code"') < visible_sign_in
    # Enter in a box signs in: the form's first submit button is a hidden "Sign in", not "Send me a code".
    first_button = page[page.index("<form") :].index("<button")
    assert (
        'class="visually-hidden" tabindex="-1" aria-hidden="true">Sign in</button>'
        in page[page.index("<form") + first_button : page.index("<form") + first_button + 120]
    )


def test_sign_in_with_a_code_by_phone(client, shopper, text_outbox):
    response = send_code(client, "+91 91234-56780")
    assert response.status_code == 302 and response["Location"] == "/account/sign-in/code/"
    page = client.get("/account/sign-in/code/").content.decode()
    assert "If an account uses <strong>+91 9123456780</strong>, we sent it a 6-digit code." in page
    code = text_code(text_outbox, "+919123456780")

    refused = client.post("/account/sign-in/code/", {"otp": wrong(code)})
    assert refused.status_code == 400 and b"The code is not correct" in refused.content
    assert "_auth_user_id" not in client.session
    response = client.post("/account/sign-in/code/", {"otp": code})
    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(shopper.pk)


def test_sign_in_with_a_code_by_email_goes_to_next(client, shopper):
    send_code(client, "Shopper@Example.com", next="/account/orders/")
    response = client.post("/account/sign-in/code/", {"otp": email_code(shopper.email)})
    assert response["Location"] == "/account/orders/"


def test_next_cannot_send_the_shopper_elsewhere(client, shopper):
    send_code(client, shopper.email, next="https://evil.example/")
    response = client.post("/account/sign-in/code/", {"otp": email_code(shopper.email)})
    assert response["Location"] == "/account/"


def test_an_unknown_address_goes_to_the_same_page_and_gets_nothing(client, shopper, text_outbox):
    known = send_code(Client(), shopper.email)
    unknown = send_code(client, "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[shopper.email]]
    page = client.get("/account/sign-in/code/").content.decode()
    assert "If an account uses <strong>nobody@example.com</strong>" in page
    response = client.post("/account/sign-in/code/", {"otp": "123456"})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_an_unverified_phone_cannot_sign_in_with_a_code(client, make_user, text_outbox):
    make_user(email="unproven@example.com", phone="9000000010")
    send_code(client, "9000000010")
    assert text_outbox == []


def test_send_me_a_code_needs_a_valid_box(client, db):
    response = send_code(client, "")
    assert response.status_code == 400
    assert b"Enter your mobile number or email, and we send a code to it." in response.content
    response = send_code(client, "12\x00")
    assert response.status_code == 400


def test_a_second_code_at_once_says_how_long_to_wait(client, shopper):
    send_code(client, shopper.email)
    response = send_code(client, shopper.email)
    assert response.status_code == 400 and b"You can ask again in" in response.content


def test_wrong_codes_lock_like_wrong_passwords(client, shopper, settings, text_outbox):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.OTP_RESEND_SECONDS = 0
    for _ in range(2):
        send_code(client, shopper.phone)
        client.post("/account/sign-in/code/", {"otp": wrong(text_code(text_outbox, "+919123456780"))})
    send_code(client, shopper.phone)
    response = client.post("/account/sign-in/code/", {"otp": text_code(text_outbox, "+919123456780")})
    assert b"Too many failed sign-ins" in response.content and "_auth_user_id" not in client.session
    response = client.post("/account/sign-in/", {"username": shopper.phone, "password": PASSWORD})
    assert b"Too many failed sign-ins" in response.content


def test_the_code_page_resends(client, shopper, settings, text_outbox):
    send_code(client, shopper.phone)
    settings.OTP_RESEND_SECONDS = 0
    resent = client.post("/account/sign-in/code/resend/", follow=True)
    assert b"We sent a new code to +91 9123456780." in resent.content
    assert len([t for t in text_outbox if t.to == "+919123456780"]) == 2
    assert client.post("/account/sign-in/code/", {"otp": text_code(text_outbox, "+919123456780")}).status_code == 302


def test_the_code_page_without_a_code_sent_goes_back_to_sign_in(client, db):
    assert client.get("/account/sign-in/code/")["Location"] == "/account/sign-in/"


# --- sign up with one box ---------------------------------------------------------------------


def test_sign_up_with_a_mobile_number(client, text_outbox):
    page = client.get("/account/register/").content.decode()
    # One box for the address, not an email and a phone both marked "(optional)".
    assert page.count(">Mobile number or email") == 1 and "(optional)" not in page.split("identifier")[1][:200]
    assert 'name="email"' not in page and 'name="phone"' not in page
    assert "data-reveal" in page and "account-forms.js" in page and "confirm_password" not in page
    response = client.post(
        "/account/register/", {"first_name": "Arjun", "identifier": "98765 00011", "password": PASSWORD}
    )
    assert response["Location"] == "/account/register/verify/"
    response = client.post("/account/register/verify/", {"otp": text_code(text_outbox, "+919876500011")})
    assert response["Location"] == "/account/"
    user = User.objects.get(phone="9876500011")
    assert user.is_phone_verified and user.email is None and user.check_password(PASSWORD)


# --- password reset by phone ------------------------------------------------------------------


def test_password_reset_by_phone_with_a_code(client, shopper, text_outbox):
    api_session = session_start(user=shopper).session
    response = client.post("/account/password-reset/", {"email": "+91 91234 56780"})
    assert response["Location"] == "/account/password-reset/code/"
    assert mail.outbox == []
    code = text_code(text_outbox, "+919123456780")
    weak = client.post("/account/password-reset/code/", {"otp": code, "new_password": "short"})
    assert weak.status_code == 400 and b"This password is too short" in weak.content
    response = client.post("/account/password-reset/code/", {"otp": code, "new_password": "fresh-pass-987"})
    assert response["Location"] == "/account/password-reset/done/"
    shopper.refresh_from_db()
    assert shopper.check_password("fresh-pass-987")
    api_session.refresh_from_db()
    assert api_session.ended_at is not None


def test_password_reset_for_an_unknown_phone_looks_the_same(client, shopper, text_outbox):
    response = client.post("/account/password-reset/", {"email": "9000000012"})
    assert response["Location"] == "/account/password-reset/code/" and text_outbox == []
    page = client.get("/account/password-reset/code/").content.decode()
    assert "If an account uses <strong>+91 9000000012</strong>" in page
    response = client.post("/account/password-reset/code/", {"otp": "123456", "new_password": "fresh-pass-987"})
    assert response.status_code == 400


def test_password_reset_by_email_still_sends_a_link(client, shopper):
    response = client.post("/account/password-reset/", {"email": shopper.email})
    assert response["Location"] == "/account/password-reset/sent/"
    assert "/account/password-reset/" in mail.outbox[0].body


def test_password_reset_refuses_what_is_neither(client, db):
    response = client.post("/account/password-reset/", {"email": "not a number"})
    assert response.status_code == 200 and b"Enter a mobile number such as" in response.content


# --- download my data, delete my account ------------------------------------------------------


def test_download_my_data_is_the_apis_export_as_a_file(client, shopper, client_for):
    client.force_login(shopper)
    refused = client.post("/account/profile/data/download/", {"download-password": "not-mine-at-all"})
    assert refused.status_code == 400 and b"The password is not correct." in refused.content
    response = client.post("/account/profile/data/download/", {"download-password": PASSWORD})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-account-data-')
    assert response["Cache-Control"] == "no-store"
    from_api = client_for(shopper).get(f"{API}/auth/user/{shopper.id}/export").json()["content"]["export"]
    downloaded = json.loads(response.content)
    assert downloaded["user"]["id"] == shopper.id and set(downloaded) == set(from_api)
    assert downloaded["user"]["email"] == from_api["user"]["email"]


def test_download_and_delete_need_a_signed_in_shopper(client, db):
    for path in ("/account/profile/data/download/", "/account/profile/delete/", "/account/profile/data/code/"):
        response = client.post(path, {"download-password": PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")


def test_download_is_a_post_only(client, shopper):
    client.force_login(shopper)
    assert client.get("/account/profile/data/download/").status_code == 405


def test_delete_my_account_signs_out_and_says_what_happened(client, shopper):
    client.force_login(shopper)
    api_session = session_start(user=shopper).session
    refused = client.post("/account/profile/delete/", {"delete-password": "not-mine-at-all"})
    assert refused.status_code == 400 and User.objects.get(pk=shopper.pk).is_active
    response = client.post("/account/profile/delete/", {"delete-password": PASSWORD})
    assert response["Location"] == "/account/account-deleted/"
    page = client.get("/account/account-deleted/")
    assert b"Your account is deleted" in page.content and b"signed out" in page.content
    assert "_auth_user_id" not in client.session
    erased = User.objects.get(pk=shopper.pk)
    assert not erased.is_active and erased.phone is None and erased.email.endswith("@erased.invalid")
    api_session.refresh_from_db()
    assert api_session.ended_at is not None
    # A second submit (the back button, a double click) finds no account to delete.
    again = client.post("/account/profile/delete/", {"delete-password": PASSWORD})
    assert again.status_code == 302 and again["Location"].startswith("/account/sign-in/")


def test_the_deleted_page_is_only_for_who_just_deleted(client, db):
    assert client.get("/account/account-deleted/")["Location"] == "/account/sign-in/"


def test_an_account_without_a_password_confirms_with_a_code(client, text_outbox, settings):
    user = user_create(password=None, phone="9876500013", is_phone_verified=True)
    client.force_login(user)
    page = client.get("/account/profile/").content.decode()
    assert "confirm with a code we send to you" in page and ">Send me a code</button>" in page
    assert 'name="delete-password"' not in page
    # Without a code asked for first, nothing happens.
    response = client.post("/account/profile/delete/", {"otp": "123456"})
    assert response.status_code == 400 and User.objects.get(pk=user.pk).is_active

    client.post("/account/profile/data/code/")
    code = text_code(text_outbox, "+919876500013")
    download = client.post("/account/profile/data/download/", {"otp": code})
    assert download.status_code == 200 and json.loads(download.content)["user"]["id"] == user.id
    # The code was used: deleting asks for a new one.
    assert client.post("/account/profile/delete/", {"otp": code}).status_code == 400
    settings.OTP_RESEND_SECONDS = 0
    client.post("/account/profile/data/code/")
    code = text_code(text_outbox, "+919876500013")
    assert client.post("/account/profile/delete/", {"otp": wrong(code)}).status_code == 400
    response = client.post("/account/profile/delete/", {"otp": code})  # a typo may be corrected
    assert response["Location"] == "/account/account-deleted/"
    assert not User.objects.get(pk=user.pk).is_active


def test_another_shoppers_code_does_not_confirm(client, shopper, text_outbox):
    owner = user_create(password=None, phone="9876500014", is_phone_verified=True)
    client.force_login(owner)
    client.post("/account/profile/data/code/")
    code = text_code(text_outbox, "+919876500014")
    token = client.session["pending_reauth_code"]
    thief = Client()
    stranger = user_create(password=None, phone="9876500015", is_phone_verified=True)
    thief.force_login(stranger)
    session = thief.session
    session["pending_reauth_code"] = token
    session.save()
    assert thief.post("/account/profile/delete/", {"otp": code}).status_code == 400
    assert User.objects.get(pk=owner.pk).is_active and User.objects.get(pk=stranger.pk).is_active


def test_profile_query_count_with_the_data_section(client, shopper, django_assert_max_num_queries):
    client.force_login(shopper)
    with django_assert_max_num_queries(6):
        page = client.get("/account/profile/")
    assert b"Download my data" in page.content and b"Delete my account" in page.content


def test_a_phones_code_can_come_by_whatsapp_instead(client, shopper, settings, text_outbox):
    send_code(client, shopper.phone)
    page = client.get("/account/sign-in/code/").content.decode()
    assert ">Send it by WhatsApp instead</button>" in page
    settings.OTP_RESEND_SECONDS = 0
    response = client.post("/account/sign-in/code/resend/", {"channel": "whatsapp"}, follow=True)
    assert b"We sent a new code to +91 9123456780." in response.content
    assert [t.channel for t in text_outbox] == ["sms", "whatsapp"]
    assert b">Send it by SMS instead</button>" in response.content
    code = text_code(text_outbox, "+919123456780")
    assert client.post("/account/sign-in/code/", {"otp": code})["Location"] == "/account/"
    # An email's code has no such choice, and a forged one changes nothing.
    other = Client()
    send_code(other, shopper.email)
    assert b"instead</button>" not in other.get("/account/sign-in/code/").content
    other.post("/account/sign-in/code/resend/", {"channel": "whatsapp"})
    assert [t.channel for t in text_outbox] == ["sms", "whatsapp"]


def test_sign_in_pages_query_counts(client, shopper, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/account/sign-in/").status_code == 200
    send_code(client, shopper.email)
    with django_assert_max_num_queries(2):
        assert client.get("/account/sign-in/code/").status_code == 200


def test_a_refused_code_request_is_not_a_password_attempt(client, shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    send_code(client, shopper.email)
    # A password typed, then "Send me a code" pressed again at once: refused (the wait), and
    # the page shown again must not try that password.
    response = send_code(client, shopper.email, password="wrong-password")
    assert response.status_code == 400 and b"You can ask again in" in response.content
    assert "wrong-password" not in response.content.decode()
    response = client.post("/account/sign-in/", {"username": shopper.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(shopper.pk)
