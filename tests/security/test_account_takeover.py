"""Issue 16.1: one stolen access token must not be enough to take the account over.

Before the fix, `PUT /auth/user/{id}` with a new email replaced the sign-in address at once, and
forgot-password then sent the reset code to the thief. Now a new email or phone waits for the
code sent to it, and sign-in and recovery use verified addresses only.
"""

import re

import pytest
from django.core import mail

from accounts.models import User
from accounts.services import user_create
from common.testing import API, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

THIEF = "thief@example.net"


def user_url(user) -> str:
    return f"{API}/auth/user/{user.id}"


def code_mailed_to(address: str) -> str:
    for message in reversed(mail.outbox):
        found = re.match(r"(\d{6}) is your code", message.body)
        if message.to == [address] and found:
            return found.group(1)
    raise AssertionError(f"no code was sent to {address}")


def test_put_with_a_new_email_does_not_replace_the_sign_in_address(client_for, shopper, api):
    stolen = client_for(shopper)
    response = stolen.put(user_url(shopper), {"email": THIEF}, format="json")

    assert response.status_code == 200
    content = response.json()["content"]
    assert content["user"]["email"] == shopper.email and content["user"]["is_email_verified"] is True
    assert content["otp_action"] == "update-email" and content["otp_token"]
    assert "code" in response.json()["message"]
    assert User.objects.get(pk=shopper.pk).email == shopper.email
    # The owner is warned at the address they still have.
    assert any(m.to == [shopper.email] and THIEF in m.body for m in mail.outbox)

    # The recovery path only knows verified addresses: nothing reaches the thief...
    mail.outbox.clear()
    forgot = api.post(f"{API}/auth/forgot-password", {"email": THIEF}, format="json")
    assert forgot.status_code == 200
    assert [m for m in mail.outbox if m.to == [THIEF]] == []
    # ...and the thief's address opens nothing.
    login = api.post(f"{API}/auth/login/password", {"email": THIEF, "password": PASSWORD}, format="json")
    assert login.status_code == 401


def test_the_change_is_applied_by_the_code_sent_to_the_new_address(client_for, shopper):
    client = client_for(shopper)
    content = client.put(user_url(shopper), {"email": "moved@example.com"}, format="json").json()["content"]

    response = client.post(
        f"{API}/auth/verify-otp",
        {
            "otp": code_mailed_to("moved@example.com"),
            "otp_token": content["otp_token"],
            "otp_action": content["otp_action"],
        },
        format="json",
    )

    assert response.status_code == 200
    user = response.json()["content"]["user"]
    assert user["email"] == "moved@example.com" and user["is_email_verified"] is True
    # The old address is told that the change was made.
    assert mail.outbox[-1].to == [shopper.email]


def test_put_with_a_new_phone_waits_for_its_code(client_for, shopper, text_outbox):
    response = client_for(shopper).put(user_url(shopper), {"phone": "9000000009"}, format="json")

    content = response.json()["content"]
    assert response.status_code == 200 and content["otp_action"] == "update-phone"
    assert content["user"]["phone"] == shopper.phone
    assert User.objects.get(pk=shopper.pk).phone == shopper.phone
    assert [m.to for m in text_outbox] == ["+919000000009", "+919123456780"]


def test_sign_in_and_reset_ignore_an_unverified_address(api, text_outbox):
    # Signed up with the phone (proven); the email beside it was never proven.
    user = user_create(email="unproven@example.com", phone="9000000007", password=PASSWORD, is_phone_verified=True)

    by_email = api.post(f"{API}/auth/login/password", {"email": user.email, "password": PASSWORD}, format="json")
    by_phone = api.post(f"{API}/auth/login/password", {"phone": user.phone, "password": PASSWORD}, format="json")
    assert (by_email.status_code, by_phone.status_code) == (401, 200)

    api.post(f"{API}/auth/forgot-password", {"email": user.email}, format="json")
    assert mail.outbox == []


def test_website_reset_link_goes_only_to_a_verified_address(client, make_user):
    make_user(email="unproven@example.com", phone="9000000007")
    verified = make_user(email="proven@example.com", phone="9000000008", is_email_verified=True)

    client.post("/account/password-reset/", {"email": "unproven@example.com"})
    client.post("/account/password-reset/", {"email": verified.email})

    assert [m.to for m in mail.outbox] == [[verified.email]]


def test_staff_cannot_set_a_shoppers_address_by_hand(staff_client, shopper):
    client = staff_client("Managers")
    url = f"/admin/accounts/user/{shopper.pk}/change/"
    form = {
        "first_name": "Meera",
        "last_name": "Nair",
        "email": THIEF,
        "phone": "9000000009",
        "country_code": "+91",
        "is_staff": "",
        "groups": [],
        **{
            f"{prefix}-{key}": value
            for prefix in ("addresses", "bank_accounts")
            for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }

    client.post(url, form)

    user = User.objects.get(pk=shopper.pk)
    assert (user.email, user.phone) == (shopper.email, shopper.phone)
    assert "readonly" in client.get(url).content.decode()
