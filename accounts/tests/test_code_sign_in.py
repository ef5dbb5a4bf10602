"""Signing in and signing up with a one-time code (issue 26, item 1): the SDK's
`/auth/login/{email,phone,whatsapp}` and `/auth/register/{email,phone,whatsapp}`, completed by
`/auth/verify-otp`, and the service under them. Same enumeration rules and locks as passwords."""

import pytest
from django.core import mail

from accounts import signin
from accounts.models import OtpToken, User
from common.exceptions import InvalidInput, Throttled
from common.testing import API, assert_error

pytestmark = pytest.mark.django_db(transaction=True)


def post(api, path, body, **kwargs):
    return api.post(f"{API}{path}", body, format="json", **kwargs)


def verify(api, content, otp, action=None):
    return post(
        api,
        "/auth/verify-otp",
        {"otp": otp, "otp_token": content["otp_token"], "otp_action": action or content["otp_action"]},
    )


def email_code(to: str) -> str:
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body][-1].body.split()[0]


def text_code(outbox, to: str, channel: str = "sms") -> str:
    return [m for m in outbox if m.to == to and m.channel == channel and "is your code" in m.body][-1].body.split()[0]


def shape(response) -> tuple:
    body = response.json()
    return (
        response.status_code,
        body["success"],
        body["message"],
        sorted(body["content"]),
        body["content"]["otp_action"],
    )


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


# --- sign in with a code --------------------------------------------------------------------


def test_login_with_email_then_verify_signs_in(api, shopper):
    response = post(api, "/auth/login/email", {"email": " Shopper@Example.COM "})
    content = response.json()["content"]
    assert response.status_code == 200 and content["otp_action"] == "login" and "otp" not in content
    [message] = mail.outbox
    assert message.to == [shopper.email] and message.subject == "Your sign-in code"

    response = verify(api, content, email_code(shopper.email))
    body = response.json()
    assert response.status_code == 200, body
    assert body["content"]["user"]["id"] == shopper.id and body["content"]["user"]["is_logged_in"] is True
    assert body["content"]["access_token"] and body["content"]["refresh_token"]


@pytest.mark.parametrize("path, channel", [("/auth/login/phone", "sms"), ("/auth/login/whatsapp", "whatsapp")])
def test_login_with_phone_or_whatsapp_sends_the_code_over_that_channel(api, shopper, text_outbox, path, channel):
    content = post(api, path, {"phone": shopper.phone, "country_code": "+91"}).json()["content"]
    [text] = text_outbox
    assert text.channel == channel and text.to == "+919123456780"

    response = verify(api, content, text_code(text_outbox, "+919123456780", channel))
    assert response.status_code == 200 and response.json()["content"]["user"]["id"] == shopper.id


@pytest.mark.parametrize(
    "path, known, unknown",
    [
        ("/auth/login/email", {"email": "shopper@example.com"}, {"email": "nobody@example.com"}),
        ("/auth/login/phone", {"phone": "9123456780"}, {"phone": "9000000009"}),
        ("/auth/login/whatsapp", {"phone": "9123456780"}, {"phone": "9000000009"}),
    ],
)
def test_a_known_and_an_unknown_address_get_the_same_answer(api, shopper, text_outbox, path, known, unknown):
    assert shape(post(api, path, known)) == shape(post(api, path, unknown))
    # Only the owner got a code; the unknown address got nothing at all.
    sent_to = [m.to for m in mail.outbox] + [[t.to] for t in text_outbox]
    assert sent_to == [[shopper.email]] or sent_to == [["+919123456780"]]


def test_a_code_for_an_unknown_address_opens_nothing(api, db):
    content = post(api, "/auth/login/email", {"email": "nobody@example.com"}).json()["content"]
    assert mail.outbox == [] and OtpToken.objects.filter(target="nobody@example.com").exists()
    for guess in ("123456", "654321"):
        assert_error(verify(api, content, guess), 400, "invalid_otp")
    assert not User.objects.exists()


def test_an_unverified_address_cannot_sign_in_with_a_code(api, make_user, text_outbox):
    make_user(email="unproven@example.com", phone="9000000002")  # neither address proven
    content = post(api, "/auth/login/email", {"email": "unproven@example.com"}).json()["content"]
    post(api, "/auth/login/phone", {"phone": "9000000002"})
    assert mail.outbox == [] and text_outbox == []
    assert_error(verify(api, content, "123456"), 400, "invalid_otp")
    # register_if_not_exists makes a new account for it, which takes it (test_squatting.py).


def test_a_deactivated_account_cannot_sign_in_with_a_code_sent_before(api, shopper):
    content = post(api, "/auth/login/email", {"email": shopper.email}).json()["content"]
    code = email_code(shopper.email)
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    assert_error(verify(api, content, code), 400, "invalid_otp")


def test_register_if_not_exists_makes_the_account_when_the_code_comes_back(api, db):
    first = post(api, "/auth/login/phone", {"phone": "9000000003", "register_if_not_exists": True})
    # The answer still says nothing about whether the number had an account.
    assert first.json()["content"]["otp_action"] == "login"
    from accounts.messaging import LocmemSmsBackend

    code = text_code(LocmemSmsBackend.outbox, "+919000000003")
    response = verify(api, first.json()["content"], code)
    user = response.json()["content"]["user"]
    assert response.status_code == 200 and user["phone"] == "9000000003" and user["is_phone_verified"] is True
    created = User.objects.get(pk=user["id"])
    assert not created.has_usable_password() and created.login_methods == ["phone", "whatsapp"]


def test_a_wrong_code_is_a_failed_sign_in_and_locks_like_a_password(api, shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.OTP_RESEND_SECONDS = 0
    for _ in range(3):
        content = post(api, "/auth/login/email", {"email": shopper.email}).json()["content"]
        response = verify(api, content, wrong(email_code(shopper.email)))
        assert_error(response, 400, "invalid_otp")
    # Locked now: even the right code is refused, and so is the password.
    content = post(api, "/auth/login/email", {"email": shopper.email}).json()["content"]
    response = verify(api, content, email_code(shopper.email))
    assert_error(response, 429, "throttled")
    assert response["Retry-After"]
    from common.testing import PASSWORD

    locked = post(api, "/auth/login/password", {"email": shopper.email, "password": PASSWORD})
    assert_error(locked, 429, "throttled")


def test_wrong_passwords_lock_code_sign_in_too(api, shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        post(api, "/auth/login/password", {"phone": shopper.phone, "password": "not-it-at-all"})
    content = post(api, "/auth/login/phone", {"phone": shopper.phone}).json()["content"]
    from accounts.messaging import LocmemSmsBackend

    response = verify(api, content, text_code(LocmemSmsBackend.outbox, "+919123456780"))
    assert_error(response, 429, "throttled")


def test_five_wrong_codes_kill_the_code(api, shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 50
    content = post(api, "/auth/login/email", {"email": shopper.email}).json()["content"]
    code = email_code(shopper.email)
    for _ in range(4):
        assert_error(verify(api, content, wrong(code)), 400, "invalid_otp")
    assert_error(verify(api, content, wrong(code)), 400, "otp_attempts_exceeded")
    assert_error(verify(api, content, code), 400, "invalid_otp")


def test_a_second_code_within_the_wait_is_throttled_for_known_and_unknown_alike(api, shopper):
    for body in ({"email": shopper.email}, {"email": "nobody@example.com"}):
        assert post(api, "/auth/login/email", body).status_code == 200
        assert_error(post(api, "/auth/login/email", body), 429, "throttled")


def test_a_login_code_does_not_complete_a_registration_or_the_other_way(api, shopper):
    content = post(api, "/auth/login/email", {"email": shopper.email}).json()["content"]
    assert_error(verify(api, content, email_code(shopper.email), action="register"), 400, "invalid_otp")


def test_debug_mode_adds_the_code_only_in_debug(api, shopper, settings):
    headers = {"x-debug-mode": "true"}
    assert "otp" not in post(api, "/auth/login/email", {"email": shopper.email}, headers=headers).json()["content"]
    settings.DEBUG = True
    settings.OTP_RESEND_SECONDS = 0
    content = post(api, "/auth/login/email", {"email": shopper.email}, headers=headers).json()["content"]
    assert verify(api, content, content["otp"]).status_code == 200


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/auth/login/email", {}, "email"),
        ("/auth/login/email", {"email": "not-an-email"}, "email"),
        ("/auth/login/phone", {"phone": "12"}, "phone"),
        ("/auth/login/whatsapp", {"phone": "9" * 400}, "phone"),
        ("/auth/login/phone", {"phone": "9123456780", "country_code": "91"}, "country_code"),
        ("/auth/login/phone", {"phone": "9123456780", "register_if_not_exists": "maybe"}, "register_if_not_exists"),
        ("/auth/register/email", {"first_name": "A"}, "email"),
        ("/auth/register/email", {"email": "a@example.com"}, "first_name"),
        ("/auth/register/phone", {"first_name": "A", "phone": "123"}, "phone"),
        ("/auth/register/whatsapp", {"first_name": "A", "phone": "9000000004", "email": "x"}, "email"),
    ],
)
def test_bad_input_is_a_validation_error_naming_the_field(api, db, path, body, field):
    body = assert_error(post(api, path, body), 400, "validation_error")
    assert field in body["errors"]


def test_a_nul_byte_is_refused_in_the_error_shape(api, shopper):
    response = post(api, "/auth/login/phone", {"phone": "9123456780\x00"})
    assert response.status_code == 400 and response.json()["success"] is False
    assert mail.outbox == [] and not OtpToken.objects.exists()


def test_malformed_json_is_a_bad_request(api, db):
    response = api.post(f"{API}/auth/login/email", "{not json", content_type="application/json")
    assert_error(response, 400, "bad_request")


# --- sign up with a code --------------------------------------------------------------------


def test_register_with_email_makes_an_account_without_a_password(api, db):
    response = post(api, "/auth/register/email", {"email": "Kavya@Example.com", "first_name": "Kavya", "phone": None})
    content = response.json()["content"]
    assert response.status_code == 200 and content["otp_action"] == "register"
    assert not User.objects.exists()
    response = verify(api, content, email_code("kavya@example.com"))
    user = response.json()["content"]["user"]
    assert response.status_code == 200 and user["email"] == "kavya@example.com" and user["is_email_verified"]
    assert user["first_name"] == "Kavya" and "password" not in user["login_methods"]
    assert not User.objects.get(pk=user["id"]).has_usable_password()


@pytest.mark.parametrize("path, channel", [("/auth/register/phone", "sms"), ("/auth/register/whatsapp", "whatsapp")])
def test_register_with_phone_or_whatsapp(api, text_outbox, path, channel):
    body = {"phone": "9000000005", "country_code": "+91", "first_name": "Arjun", "last_name": None}
    content = post(api, path, {**body, "email": "arjun@example.com"}).json()["content"]
    assert [t.channel for t in text_outbox] == [channel] and mail.outbox == []
    response = verify(api, content, text_code(text_outbox, "+919000000005", channel))
    user = response.json()["content"]["user"]
    assert user["phone"] == "9000000005" and user["is_phone_verified"] is True
    # The email came along unproven: it cannot sign in until verified.
    assert user["email"] == "arjun@example.com" and user["is_email_verified"] is False


@pytest.mark.parametrize(
    "path, taken, free",
    [
        ("/auth/register/email", {"email": "shopper@example.com"}, {"email": "fresh@example.com"}),
        ("/auth/register/phone", {"phone": "9123456780"}, {"phone": "9000000006"}),
        ("/auth/register/whatsapp", {"phone": "9123456780"}, {"phone": "9000000007"}),
    ],
)
def test_registering_a_taken_address_answers_like_a_free_one_and_warns_its_owner(
    api, shopper, text_outbox, path, taken, free
):
    assert shape(post(api, path, {**taken, "first_name": "X"})) == shape(post(api, path, {**free, "first_name": "Y"}))
    notices = [m for m in mail.outbox if "already have" in m.body] + [
        t for t in text_outbox if "already have" in t.body
    ]
    assert len(notices) == 1
    # The owner got a notice, never a code.
    owner = [m.body for m in mail.outbox if m.to == [shopper.email]] + [
        t.body for t in text_outbox if t.to == "+919123456780"
    ]
    assert owner and not any("is your code" in body for body in owner)


# --- the service, directly --------------------------------------------------------------------


def test_service_refuses_a_channel_without_its_address(db):
    with pytest.raises(InvalidInput):
        signin.sign_in_code_send(channel="sms", email="a@example.com")
    with pytest.raises(InvalidInput):
        signin.sign_in_code_send(channel="email", phone="9123456780")


def test_service_counts_failures_per_client_address(shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    settings.OTP_RESEND_SECONDS = 0
    issued = signin.sign_in_code_send(channel="email", email=shopper.email)
    with pytest.raises(InvalidInput):
        signin.sign_in_with_code(otp_token=issued.otp_token, otp=wrong(issued.code), ip="203.0.113.9")
    issued = signin.sign_in_code_send(channel="email", email=shopper.email)
    with pytest.raises(Throttled):
        signin.sign_in_with_code(otp_token=issued.otp_token, otp=issued.code, ip="203.0.113.9")
    # From elsewhere the shopper still gets in: a stranger cannot lock them out.
    assert signin.sign_in_with_code(otp_token=issued.otp_token, otp=issued.code, ip="198.51.100.7") == shopper


# --- the OpenAPI schema -------------------------------------------------------------------------

SDK_OPERATIONS = {
    "/auth/login/email": ("login-with-email", {"email", "register_if_not_exists"}),
    "/auth/login/phone": ("login-with-phone", {"phone", "country_code", "register_if_not_exists"}),
    "/auth/login/whatsapp": ("login-with-whatsapp", {"phone", "country_code", "register_if_not_exists"}),
    "/auth/register/email": ("register-with-email", {"email", "first_name", "last_name", "phone", "country_code"}),
    "/auth/register/phone": ("register-with-phone", {"phone", "country_code", "first_name", "last_name", "email"}),
    "/auth/register/whatsapp": (
        "register-with-whatsapp",
        {"phone", "country_code", "first_name", "last_name", "email"},
    ),
}


def test_the_schema_documents_each_operation_as_the_sdk_names_it(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    for path, (operation_id, fields) in SDK_OPERATIONS.items():
        operation = schema["paths"][f"/api/v1/storefront{path}"]["post"]
        assert operation["operationId"] == operation_id
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(components[body]["properties"]) == fields
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        content = answer["properties"]["content"]["$ref"].rsplit("/", 1)[1]
        assert {"otp_token", "otp_action"} <= set(components[content]["properties"])
        for status in ("400", "429"):
            assert operation["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
        assert "x-debug-mode" in {p["name"] for p in operation["parameters"]}
    verify = schema["paths"]["/api/v1/storefront/auth/verify-otp"]["post"]
    body = verify["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    otp_action = components[body]["properties"]["otp_action"]
    choices = components[otp_action["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in otp_action else otp_action["enum"]
    assert "login" in choices and "register" in choices


# --- leaving, for an account made with a code (it has no password) ---------------------------


def test_an_account_without_a_password_deletes_itself_with_a_code(api, client_for, text_outbox):
    content = post(api, "/auth/register/phone", {"phone": "9000000020", "first_name": "Nia"}).json()["content"]
    user_id = verify(api, content, text_code(text_outbox, "+919000000020")).json()["content"]["user"]["id"]
    user = User.objects.get(pk=user_id)
    shopper_api = client_for(user)
    assert_error(
        shopper_api.delete(f"{API}/auth/user/{user_id}", {"password": ""}, format="json"), 400, "validation_error"
    )
    sent = shopper_api.post(
        f"{API}/auth/generate-otp",
        {"channel": "sms", "phone": "9111111111", "otp_action": "reauthenticate"},
        format="json",
    ).json()["content"]
    # The code goes to the account's own verified number, not to the one in the body.
    assert sent["otp_action"] == "reauthenticate" and text_outbox[-1].to == "+919000000020"
    code = text_code(text_outbox, "+919000000020")
    body = {"otp_token": sent["otp_token"], "otp": wrong(code)}
    assert_error(shopper_api.delete(f"{API}/auth/user/{user_id}", body, format="json"), 400, "invalid_otp")
    assert User.objects.get(pk=user_id).is_active
    body["otp"] = code
    assert shopper_api.delete(f"{API}/auth/user/{user_id}", body, format="json").status_code == 200
    assert not User.objects.get(pk=user_id).is_active


def test_a_guest_cannot_ask_for_a_reauthenticate_code(api, client_for, shopper):
    guest = client_for(None)
    body = {"channel": "email", "email": shopper.email, "otp_action": "reauthenticate"}
    response = guest.post(f"{API}/auth/generate-otp", body, format="json")
    assert response.status_code in (401, 403) and mail.outbox == []


# --- digits of any script ---------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("script", [ARABIC_INDIC, DEVANAGARI, FULL_WIDTH])
def test_a_phone_in_another_scripts_digits_is_the_same_phone(api, shopper, text_outbox, script):
    """An outside attack registered a second, phone-verified account for 9876543210 by typing
    it in Arabic-Indic digits; now every script's digits are read as the one number."""
    typed = shopper.phone.translate(script)
    content = post(api, "/auth/login/phone", {"phone": typed, "country_code": "+91"}).json()["content"]
    code = text_code(text_outbox, f"+91{shopper.phone}")  # sent to the ASCII number, the shopper's
    response = verify(api, content, code.translate(script))  # and the code typed the same way is right
    assert response.status_code == 200, response.json()
    assert response.json()["content"]["user"]["id"] == shopper.id

    registered = post(api, "/auth/register/phone", {"phone": typed, "first_name": "Dup"})
    assert registered.status_code == 200
    assert not any(m.to == f"+91{typed}" for m in text_outbox)
    assert User.objects.filter(phone=shopper.phone).count() == 1
    assert not User.objects.exclude(phone__regex=r"^[0-9]*$").exists()
