"""Issue 16.5: registration must not tell whether an email or phone has an account.

Before the fix a taken address answered 409 "already exists" and a free one 200 "we sent a
code". Now both answer alike; the owner of a taken address gets a notice instead of a code.
"""

import pytest
from django.core import mail

from accounts.models import OtpToken, User
from common.testing import API, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def register(api, **fields):
    body = {"password": PASSWORD, "confirm_password": PASSWORD, **fields}
    return api.post(f"{API}/auth/register/password", body, format="json")


def shape(response) -> tuple:
    body = response.json()
    return response.status_code, body["success"], body["message"], sorted(body["content"])


@pytest.mark.parametrize("field", ["email", "phone"])
def test_a_taken_address_answers_like_a_free_one(api, shopper, text_outbox, field):
    taken = {"email": shopper.email.upper()} if field == "email" else {"phone": shopper.phone}
    free = {"email": "newcomer@example.com"} if field == "email" else {"phone": "9000000001"}

    assert shape(register(api, **taken)) == shape(register(api, **free))


def test_the_owner_gets_a_notice_and_no_code(api, shopper, text_outbox):
    content = register(api, email=shopper.email).json()["content"]
    register(api, phone=shopper.phone)

    [notice] = mail.outbox
    assert notice.to == [shopper.email] and "already have" in notice.body
    assert not any(ch.isdigit() for ch in notice.body)
    [text] = text_outbox
    assert text.to == "+919123456780" and "already have" in text.body
    # The code recorded for the taken address was sent nowhere and opens nothing.
    assert User.objects.count() == 1
    response = api.post(
        f"{API}/auth/verify-otp",
        {"otp": "123456", "otp_token": content["otp_token"], "otp_action": "register"},
        format="json",
    )
    assert response.status_code == 400 and User.objects.count() == 1


def test_notices_to_the_owner_are_spaced_out(api, shopper):
    assert register(api, email=shopper.email).status_code == 200
    OtpToken.objects.all().delete()  # past the 30 s resend window of the code itself
    assert register(api, email=shopper.email).status_code == 200
    assert len(mail.outbox) == 1


def test_sign_up_for_a_new_address_still_works(api):
    content = register(api, email="newcomer@example.com", first_name="Ravi").json()["content"]
    code = mail.outbox[0].body.split()[0]

    response = api.post(
        f"{API}/auth/verify-otp",
        {"otp": code, "otp_token": content["otp_token"], "otp_action": "register"},
        format="json",
    )

    assert response.status_code == 200
    assert User.objects.get(email="newcomer@example.com").is_email_verified
