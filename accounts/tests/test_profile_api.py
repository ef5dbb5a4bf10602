import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import AuthSession, User
from common.tests.imagefiles import jpeg_with_gps, png_claiming, upload

from common.testing import API, PASSWORD, assert_error

from .test_auth_api import claims

pytestmark = pytest.mark.django_db(transaction=True)


def user_url(user, suffix=""):
    return f"{API}/auth/user/{user.id}{suffix}"


# --- user details -------------------------------------------------------------------------


def test_put_writes_only_writable_fields(client_for, shopper):
    response = client_for(shopper).put(
        user_url(shopper),
        {
            "first_name": "Mira",
            "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV",  # read-only: ignored
            "is_email_verified": False,  # read-only: ignored
            "customer_id": "x",
            "favourite_colour": "teal",  # unknown: ignored
            "notification_preferences": {"newsletter": {"email": True}},
        },
        format="json",
    )
    user = response.json()["content"]["user"]
    assert response.status_code == 200
    assert user["id"] == shopper.id and user["first_name"] == "Mira" and user["last_name"] == "Nair"
    assert user["is_email_verified"] is True
    assert user["notification_preferences"]["newsletter"]["email"] is True


def test_put_with_another_accounts_email_is_409_conflict(client_for, shopper, make_user):
    make_user(email="taken@example.com", phone="9222222222")
    response = client_for(shopper).put(user_url(shopper), {"email": "taken@example.com"}, format="json")
    assert_error(response, 409, "conflict")


def test_put_validation_errors_name_fields(client_for, shopper):
    response = client_for(shopper).put(
        user_url(shopper),
        {"email": "nope", "phone": "12", "notification_preferences": {"promotional": {"sms": "maybe"}}},
        format="json",
    )
    errors = assert_error(response, 400, "validation_error")["errors"]
    assert {"email", "phone", "notification_preferences.promotional.sms"} <= set(errors)


# --- notification preferences -------------------------------------------------------------


def test_notification_preferences_get_and_partial_put(client_for, shopper):
    client = client_for(shopper)
    prefs = client.get(user_url(shopper, "/notification-preferences")).json()["content"]
    assert prefs["notification_preferences"]["transactional"]["email"] is True
    response = client.put(
        user_url(shopper, "/notification-preferences"), {"promotional": {"sms": True}}, format="json"
    )
    prefs = response.json()["content"]["notification_preferences"]
    assert prefs["promotional"] == {"email": False, "sms": True, "whatsapp": False}
    assert prefs["transactional"] == {"email": True, "sms": True, "whatsapp": True}


# --- OTP actions --------------------------------------------------------------------------


def test_update_email_through_generate_and_verify_otp(client_for, shopper, settings):
    settings.DEBUG = True
    client = client_for(shopper)
    response = client.post(
        f"{API}/auth/generate-otp",
        {"channel": "email", "email": "fresh@example.com", "otp_action": "update-email"},
        format="json",
        headers={"x-debug-mode": "true"},
    )
    content = response.json()["content"]
    assert response.status_code == 200 and content["otp_action"] == "update-email"
    response = client.post(
        f"{API}/auth/verify-otp",
        {"otp": content["otp"], "otp_token": content["otp_token"], "otp_action": "update-email"},
        format="json",
    )
    body = response.json()["content"]
    assert response.status_code == 200
    assert body["user"]["email"] == "fresh@example.com" and body["user"]["is_email_verified"] is True
    assert claims(body["access_token"])["email"] == "fresh@example.com"
    # The session continues with the new tokens; its previous refresh token is spent.
    assert AuthSession.objects.filter(user=shopper, ended_at__isnull=True).count() == 1


def test_contact_otp_actions_need_a_signed_in_shopper(api, client_for, shopper):
    body = {"channel": "email", "email": "fresh@example.com", "otp_action": "update-email"}
    assert_error(api.post(f"{API}/auth/generate-otp", body, format="json"), 401, "unauthorized")
    assert_error(client_for(None).post(f"{API}/auth/generate-otp", body, format="json"), 403, "forbidden")


def test_generate_otp_validation(client_for, shopper):
    client = client_for(shopper)
    response = client.post(f"{API}/auth/generate-otp", {"channel": "sms", "otp_action": "update-phone"}, format="json")
    assert "phone" in assert_error(response, 400, "validation_error")["errors"]
    response = client.post(
        f"{API}/auth/generate-otp", {"channel": "email", "email": "a@b.co", "otp_action": "register"}, format="json"
    )
    assert "otp_action" in assert_error(response, 400, "validation_error")["errors"]


# --- passwords ----------------------------------------------------------------------------


def test_change_password_returns_new_tokens_and_ends_other_sessions(client_for, shopper):
    mine, other = client_for(shopper), client_for(shopper)
    response = mine.post(
        f"{API}/auth/change-password",
        {"old_password": PASSWORD, "new_password": "brand-new-pass-77", "confirm_password": "brand-new-pass-77"},
        format="json",
    )
    tokens = response.json()["content"]
    assert response.status_code == 200 and set(tokens) == {"access_token", "refresh_token"}
    assert_error(other.get(user_url(shopper)), 401, "unauthorized")
    assert mine.get(user_url(shopper)).status_code == 200
    # The old refresh token of this session is spent; the new one works.
    refresh = lambda t: APIClient().post(f"{API}/auth/refresh-token", {"refresh_token": t}, format="json")
    assert refresh(tokens["refresh_token"]).status_code == 200


def test_change_password_errors(api, client_for, shopper):
    client = client_for(shopper)
    body = {"old_password": "wrong", "new_password": "brand-new-pass-77", "confirm_password": "brand-new-pass-77"}
    assert_error(client.post(f"{API}/auth/change-password", body, format="json"), 400, "invalid_password")
    body = {"old_password": PASSWORD, "new_password": "brand-new-pass-77", "confirm_password": "other"}
    assert_error(client.post(f"{API}/auth/change-password", body, format="json"), 400, "validation_error")
    assert_error(api.post(f"{API}/auth/change-password", body, format="json"), 401, "unauthorized")
    assert_error(client_for(None).post(f"{API}/auth/change-password", body, format="json"), 403, "forbidden")


def test_forgot_password_answers_the_same_for_unknown_accounts(api, shopper):
    known = api.post(f"{API}/auth/forgot-password", {"email": shopper.email}, format="json").json()
    unknown = api.post(f"{API}/auth/forgot-password", {"email": "ghost@example.com"}, format="json").json()
    assert known["message"] == unknown["message"]
    assert set(known["content"]) == set(unknown["content"]) == {"otp_token", "otp_action"}
    assert len(mail.outbox) == 1


def test_reset_password_flow_signs_in_and_ends_old_sessions(api, client_for, shopper, text_outbox):
    old = client_for(shopper)
    content = api.post(f"{API}/auth/forgot-password", {"phone": shopper.phone}, format="json").json()["content"]
    code = text_outbox[-1].body.split()[0]
    response = api.post(
        f"{API}/auth/reset-password",
        {"otp_token": content["otp_token"], "otp": code, "new_password": "reset-pass-555", "confirm_password": "reset-pass-555"},
        format="json",
    )
    body = response.json()["content"]
    assert response.status_code == 200 and body["user"]["id"] == shopper.id
    assert claims(body["access_token"])["ulid"] == shopper.id
    assert_error(old.get(user_url(shopper)), 401, "unauthorized")
    assert User.objects.get(pk=shopper.pk).check_password("reset-pass-555")


# --- profile image ------------------------------------------------------------------------


def test_profile_image_upload_replace_get_delete(client_for, shopper):
    client = client_for(shopper)
    url = user_url(shopper, "/profile-image")
    assert client.get(url).json()["content"] == {"profile_image_url": None}
    first = client.post(url, {"image": upload(jpeg_with_gps())}, format="multipart").json()["content"]
    assert first["profile_image_url"].startswith("http://testserver/media/profile-images/")
    second = client.put(url, {"image": upload(jpeg_with_gps())}, format="multipart").json()["content"]
    assert second["profile_image_url"] != first["profile_image_url"]
    assert client.get(url).json()["content"] == second
    assert client.get(user_url(shopper)).json()["content"]["user"]["profile_image_url"] == second["profile_image_url"]
    response = client.delete(url)
    assert response.status_code == 200 and "content" not in response.json()
    assert client.get(url).json()["content"] == {"profile_image_url": None}


def test_profile_image_refuses_bad_uploads(client_for, shopper):
    client = client_for(shopper)
    url = user_url(shopper, "/profile-image")
    assert_error(client.post(url, {"image": upload(b"plain text")}, format="multipart"), 400, "invalid_image")
    assert_error(client.post(url, {"image": upload(png_claiming(60000, 60000))}, format="multipart"), 400, "invalid_image")
    assert_error(client.post(url, {}, format="multipart"), 400, "invalid_image")
    assert_error(client.post(url, {"image": "x"}, format="json"), 415, "unsupported_media_type")


# --- ownership matrix ---------------------------------------------------------------------

OWN_ENDPOINTS = [
    ("get", "", None),
    ("put", "", {"first_name": "Hacked"}),
    ("get", "/notification-preferences", None),
    ("put", "/notification-preferences", {"newsletter": {"sms": True}}),
    ("get", "/profile-image", None),
    ("delete", "/profile-image", None),
]


@pytest.mark.parametrize("method, suffix, body", OWN_ENDPOINTS)
def test_profile_ownership_matrix(api, client_for, shopper, other_shopper, method, suffix, body):
    other = other_shopper
    before = User.objects.values().get(pk=other.pk)
    mine = client_for(shopper)
    kwargs = {"format": "json"} if body is not None else {}
    assert getattr(mine, method)(user_url(shopper, suffix), body, **kwargs).status_code == 200
    assert_error(getattr(mine, method)(user_url(other, suffix), body, **kwargs), 403, "forbidden")
    assert_error(getattr(api, method)(user_url(shopper, suffix), body, **kwargs), 401, "unauthorized")
    assert_error(getattr(client_for(None), method)(user_url(shopper, suffix), body, **kwargs), 403, "forbidden")
    assert_error(getattr(mine, method)(f"{API}/auth/user/bad-id{suffix}", body, **kwargs), 404, "not_found")
    assert User.objects.values().get(pk=other.pk) == before


def test_profile_image_upload_to_another_user_is_refused(client_for, shopper, make_user):
    other = make_user(email="other@example.com", phone="9111111111")
    response = client_for(shopper).post(
        user_url(other, "/profile-image"), {"image": upload(jpeg_with_gps())}, format="multipart"
    )
    assert_error(response, 403, "forbidden")
    assert not User.objects.get(pk=other.pk).profile_image
