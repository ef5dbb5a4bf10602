from datetime import timedelta

import jwt
import pytest
from django.core import mail
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import AuthSession, OtpToken, User

from common.testing import API, PASSWORD, assert_error

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMS = {
    "ulid", "customer_id", "email", "phone", "first_name", "last_name", "is_logged_in",
    "is_anonymous", "anonymous_id", "customer_group_id", "store_id", "channel", "exp", "iat",
    "jti", "token_type",
}


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def login(api, **credentials):
    return api.post(f"{API}/auth/login/password", credentials, format="json")


# --- guest sessions -----------------------------------------------------------------------


def test_anonymous_gives_a_guest_session_with_the_contract_claims(api):
    response = api.post(f"{API}/auth/anonymous")
    body = response.json()
    assert response.status_code == 200 and body["success"] is True
    content = body["content"]
    assert content["user"]["is_anonymous"] is True and content["user"]["is_logged_in"] is False
    for token in (content["access_token"], content["refresh_token"]):
        payload = claims(token)
        assert set(payload) == CLAIMS
        assert payload["is_anonymous"] is True and payload["customer_id"] is None
        assert payload["ulid"] == content["user"]["id"] == payload["anonymous_id"]
    assert claims(content["refresh_token"])["exp"] > claims(content["access_token"])["exp"]


def test_anonymous_with_a_guest_token_keeps_the_anonymous_id(api, client_for):
    guest = client_for(None)
    response = guest.post(f"{API}/auth/anonymous")
    assert response.json()["content"]["user"]["id"] == guest.pair.session.anonymous_id
    old = AuthSession.objects.get(pk=guest.pair.session.pk)
    assert old.ended_at is not None


def test_anonymous_ignores_an_expired_token(api, client_for):
    guest = client_for(None)
    expired = AccessToken(guest.pair.access_token)
    expired.set_exp(lifetime=timedelta(seconds=-5))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")
    assert api.post(f"{API}/auth/anonymous").status_code == 200


def test_api_key_is_required_on_anonymous_when_configured(api, settings):
    settings.STOREFRONT_API_KEY = "shop-key"
    assert_error(api.post(f"{API}/auth/anonymous"), 401, "unauthorized")
    assert_error(api.post(f"{API}/auth/anonymous", HTTP_X_API_KEY="wrong"), 401, "unauthorized")
    assert api.post(f"{API}/auth/anonymous", HTTP_X_API_KEY="shop-key").status_code == 200


def test_guest_token_cannot_reach_account_endpoints(client_for, shopper):
    guest = client_for(None)
    assert_error(guest.get(f"{API}/auth/user/{shopper.id}"), 403, "forbidden")


# --- registration -------------------------------------------------------------------------


def register(api, headers=None, **body):
    body.setdefault("password", PASSWORD)
    body.setdefault("confirm_password", body["password"])
    return api.post(f"{API}/auth/register/password", body, format="json", headers=headers)


def test_register_with_email_then_verify_creates_a_verified_account(api):
    response = register(api, email="New.Shopper@Example.com", first_name="Ravi")
    content = response.json()["content"]
    assert response.status_code == 200 and content["otp_action"] == "register"
    assert "otp" not in content  # not in debug mode
    assert not User.objects.filter(email="new.shopper@example.com").exists()
    code = mail.outbox[0].body.split()[0]

    response = api.post(
        f"{API}/auth/verify-otp",
        {"otp": code, "otp_token": content["otp_token"], "otp_action": "register"},
        format="json",
    )
    body = response.json()
    assert response.status_code == 200, body
    user = body["content"]["user"]
    assert user["email"] == "new.shopper@example.com" and user["is_email_verified"] is True
    assert user["first_name"] == "Ravi" and user["is_phone_verified"] is False
    assert claims(body["content"]["access_token"])["ulid"] == user["id"]
    assert User.objects.get(pk=user["id"]).check_password(PASSWORD)


def test_register_with_phone_sends_an_sms_and_verifies_the_phone(api, text_outbox):
    content = register(api, phone="9000000001").json()["content"]
    assert text_outbox[0].to == "+919000000001"
    code = text_outbox[0].body.split()[0]
    response = api.post(
        f"{API}/auth/verify-otp",
        {"otp": code, "otp_token": content["otp_token"], "otp_action": "register"},
        format="json",
    )
    user = response.json()["content"]["user"]
    assert user["phone"] == "9000000001" and user["is_phone_verified"] is True
    assert user["country_code"] == "+91" and user["email"] is None


def test_register_debug_mode_returns_the_code_only_in_debug(api, settings):
    settings.DEBUG = False
    content = register(api, {"x-debug-mode": "true"}, email="a@example.com").json()["content"]
    assert "otp" not in content
    settings.DEBUG = True
    content = register(api, {"x-debug-mode": "true"}, email="b@example.com").json()["content"]
    assert content["otp"] == mail.outbox[-1].body.split()[0]


def test_register_refuses_bad_input_with_named_fields(api):
    body = assert_error(register(api, email="x@example.com", confirm_password="other"), 400, "validation_error")
    assert "confirm_password" in body["errors"]
    body = assert_error(register(api, email="x@example.com", password="123", confirm_password="123"), 400, "validation_error")
    assert "password" in body["errors"]
    body = assert_error(register(api, email="not-an-email"), 400, "validation_error")
    assert "email" in body["errors"]
    body = assert_error(register(api, phone="12ab"), 400, "validation_error")
    assert "phone" in body["errors"]
    body = assert_error(register(api), 400, "validation_error")
    assert "email" in body["errors"]
    assert OtpToken.objects.count() == 0


def test_verify_with_a_wrong_code_is_refused_and_creates_nothing(api):
    content = register(api, email="c@example.com").json()["content"]
    right = mail.outbox[0].body.split()[0]
    wrong = "000000" if right != "000000" else "111111"
    response = api.post(
        f"{API}/auth/verify-otp",
        {"otp": wrong, "otp_token": content["otp_token"], "otp_action": "register"},
        format="json",
    )
    assert_error(response, 400, "invalid_otp")
    assert not User.objects.filter(email="c@example.com").exists()
    assert OtpToken.objects.get().attempts == 1


def test_verify_refuses_an_unsupported_action(api):
    response = api.post(
        f"{API}/auth/verify-otp",
        {"otp": "123456", "otp_token": "t", "otp_action": "teleport"},
        format="json",
    )
    assert "otp_action" in assert_error(response, 400, "validation_error")["errors"]


def test_resend_too_soon_is_429_with_retry_after(api):
    register(api, email="d@example.com")
    response = register(api, email="d@example.com")
    assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 30


# --- sign in ------------------------------------------------------------------------------


def test_login_with_email_or_phone(api, shopper):
    for credentials in (
        {"email": "SHOPPER@example.com"},
        {"phone": shopper.phone, "country_code": "+91"},
        {"phone": shopper.phone},
    ):
        response = login(api, password=PASSWORD, **credentials)
        body = response.json()
        assert response.status_code == 200, body
        assert body["content"]["user"]["id"] == shopper.id
        payload = claims(body["content"]["access_token"])
        assert set(payload) == CLAIMS
        assert payload["ulid"] == payload["customer_id"] == shopper.id
        assert payload["is_logged_in"] is True and payload["is_anonymous"] is False
        assert payload["email"] == shopper.email and payload["first_name"] == "Meera"


def test_wrong_credentials_get_one_message_whether_or_not_the_account_exists(api, shopper):
    wrong_password = assert_error(login(api, email=shopper.email, password="nope-nope-1"), 401, "unauthorized")
    no_account = assert_error(login(api, email="ghost@example.com", password="nope-nope-1"), 401, "unauthorized")
    assert wrong_password["message"] == no_account["message"]


def test_inactive_account_cannot_sign_in(api, shopper):
    shopper.is_active = False
    shopper.save()
    assert_error(login(api, email=shopper.email, password=PASSWORD), 401, "unauthorized")


def test_login_from_a_guest_session_carries_the_anonymous_id(client_for, shopper):
    guest = client_for(None)
    response = login(guest, email=shopper.email, password=PASSWORD)
    assert claims(response.json()["content"]["access_token"])["anonymous_id"] == guest.pair.session.anonymous_id


def test_login_without_credentials_is_a_validation_error(api):
    assert_error(login(api), 400, "validation_error")


# --- tokens -------------------------------------------------------------------------------


def refresh(api, token):
    return api.post(f"{API}/auth/refresh-token", {"refresh_token": token}, format="json")


def test_refresh_rotates_and_the_used_token_is_refused(api, shopper):
    first = login(api, email=shopper.email, password=PASSWORD).json()["content"]
    response = refresh(api, first["refresh_token"])
    second = response.json()["content"]
    assert response.status_code == 200
    assert set(second) == {"access_token", "refresh_token"}
    assert second["refresh_token"] != first["refresh_token"]
    assert claims(second["access_token"])["ulid"] == shopper.id
    # The new pair keeps working...
    third = refresh(api, second["refresh_token"])
    assert third.status_code == 200
    # ...but replaying a used refresh token is refused and ends the whole session.
    assert_error(refresh(api, first["refresh_token"]), 401, "unauthorized")
    assert_error(refresh(api, third.json()["content"]["refresh_token"]), 401, "unauthorized")


def test_refresh_token_claims_reflect_current_user_details(api, shopper):
    first = login(api, email=shopper.email, password=PASSWORD).json()["content"]
    shopper.first_name = "Renamed"
    shopper.save()
    second = refresh(api, first["refresh_token"]).json()["content"]
    assert claims(second["access_token"])["first_name"] == "Renamed"


def test_refresh_refuses_garbage_and_access_tokens(api, shopper):
    assert_error(refresh(api, "not-a-jwt"), 401, "unauthorized")
    access = login(api, email=shopper.email, password=PASSWORD).json()["content"]["access_token"]
    assert_error(refresh(api, access), 401, "unauthorized")
    assert_error(api.post(f"{API}/auth/refresh-token", {}, format="json"), 400, "validation_error")


def test_refresh_after_logout_is_refused_and_access_token_too(api, shopper):
    pair = login(api, email=shopper.email, password=PASSWORD).json()["content"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
    assert api.get(f"{API}/auth/user/{shopper.id}").status_code == 200
    response = api.post(f"{API}/auth/logout")
    content = response.json()["content"]
    assert response.status_code == 200
    assert content["user"]["is_anonymous"] is True
    assert claims(content["access_token"])["is_anonymous"] is True
    assert_error(refresh(APIClient(), pair["refresh_token"]), 401, "unauthorized")
    assert_error(api.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")
    # The fresh guest session works.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {content['access_token']}")
    assert refresh(api, content["refresh_token"]).status_code == 200


def test_logout_needs_a_token(api):
    assert_error(api.post(f"{API}/auth/logout"), 401, "unauthorized")


def test_logout_ends_only_that_session(client_for, shopper):
    phone, laptop = client_for(shopper), client_for(shopper)
    phone.post(f"{API}/auth/logout")
    assert laptop.get(f"{API}/auth/user/{shopper.id}").status_code == 200


def test_expired_access_token_is_401(api, client_for, shopper):
    token = AccessToken(client_for(shopper).pair.access_token)
    token.set_exp(lifetime=timedelta(seconds=-1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_error(api.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")


def test_garbled_or_forged_tokens_are_401(api, client_for, shopper):
    good = client_for(shopper).pair.access_token
    forged = jwt.encode({**claims(good)}, "another-signing-key-of-enough-length-000", algorithm="HS256")
    for header in (f"Bearer {good[:-3]}xyz", "Bearer", f"Bearer {good} extra", f"Bearer {forged}", "Bearer \xff"):
        api.credentials(HTTP_AUTHORIZATION=header)
        assert_error(api.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")


def test_refresh_token_is_not_an_access_token(api, client_for, shopper):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {client_for(shopper).pair.refresh_token}")
    assert_error(api.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")


def test_deactivated_user_tokens_stop_working(client_for, shopper):
    client = client_for(shopper)
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    assert_error(client.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")
    assert_error(refresh(APIClient(), client.pair.refresh_token), 401, "unauthorized")


def test_refresh_token_lifetime_is_30_days(client_for, shopper):
    token = RefreshToken(client_for(shopper).pair.refresh_token)
    assert token["exp"] - token["iat"] == 30 * 24 * 3600
    access = AccessToken(client_for(shopper).pair.access_token)
    assert access["exp"] - access["iat"] == 15 * 60


# --- user detail and ownership ------------------------------------------------------------


def test_user_detail_returns_the_contract_user(client_for, shopper):
    response = client_for(shopper).get(f"{API}/auth/user/{shopper.id}")
    user = response.json()["content"]["user"]
    assert set(user) == {
        "id", "first_name", "last_name", "email", "is_email_verified", "phone", "country_code",
        "is_phone_verified", "profile_image_url", "is_anonymous", "is_logged_in", "login_methods",
        "notification_preferences", "customer_id", "customer_group_id", "customer_group",
        "business", "created_at", "modified_at",
    }
    assert user["customer_id"] == user["id"] == shopper.id
    assert user["login_methods"] == ["email", "phone", "whatsapp", "password"]
    assert user["notification_preferences"]["transactional"] == {"email": True, "sms": True, "whatsapp": True}
    assert user["notification_preferences"]["newsletter"] == {"email": False, "sms": False, "whatsapp": False}
    assert user["created_at"].endswith("Z")


def test_ownership_matrix(api, client_for, shopper, make_user):
    other = make_user(email="other@example.com", phone="9111111111")
    mine = client_for(shopper)
    assert mine.get(f"{API}/auth/user/{shopper.id}").status_code == 200
    assert mine.get(f"{API}/auth/user/{shopper.id.lower()}/").status_code == 200
    assert_error(mine.get(f"{API}/auth/user/{other.id}"), 403, "forbidden")
    assert_error(mine.get(f"{API}/auth/user/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 403, "forbidden")
    assert_error(mine.get(f"{API}/auth/user/not-a-ulid"), 404, "not_found")
    assert_error(api.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")


def test_five_wrong_passwords_lock_the_account_for_a_while(api, shopper, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        assert_error(login(api, email=shopper.email, password="wrong-pass-1"), 401, "unauthorized")
    response = login(api, email=shopper.email, password=PASSWORD)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # The shopper, from their own address, is not locked out by a stranger elsewhere.
    assert login(APIClient(REMOTE_ADDR="10.9.9.9"), email=shopper.email, password=PASSWORD).status_code == 200


def test_auth_endpoints_are_rate_limited_per_address(api, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    # DRF reads the rates once at import; a low limit for this test only.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min", "anonymous": "120/min"})
    for n in range(3):  # different addresses: the per-address resend window is not what stops us
        ok = api.post(f"{API}/auth/forgot-password", {"email": f"nobody{n}@example.com"}, format="json")
        assert ok.status_code == 200
    response = api.post(f"{API}/auth/forgot-password", {"email": "nobody9@example.com"}, format="json")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_jwt_key_rotation_keeps_old_tokens_working_until_the_old_key_is_dropped(api, shopper, settings, monkeypatch):
    from rest_framework_simplejwt import state
    from rest_framework_simplejwt.backends import TokenBackend

    old_key = "old-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    new_key = "new-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    # The key is read from the environment when the process starts; here we swap the backend.
    monkeypatch.setattr(state, "token_backend", TokenBackend("HS256", signing_key=old_key))
    pair = login(api, email=shopper.email, password=PASSWORD).json()["content"]
    assert jwt.decode(pair["access_token"], old_key, algorithms=["HS256"])["ulid"] == shopper.id

    monkeypatch.setattr(state, "token_backend", TokenBackend("HS256", signing_key=new_key))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
    assert_error(api.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")  # old key not trusted
    settings.JWT_PREVIOUS_SIGNING_KEYS = [old_key]
    assert api.get(f"{API}/auth/user/{shopper.id}").status_code == 200
    fresh = refresh(APIClient(), pair["refresh_token"]).json()["content"]
    assert jwt.decode(fresh["access_token"], new_key, algorithms=["HS256"])["ulid"] == shopper.id
