"""The account API (CONTRACT.md sections 3 to 5): guest and customer sessions, tokens,
registration and codes; the user, their profile, picture and passwords; leaving (erasure) and
taking one's data along (export)."""

from datetime import timedelta

import jwt
import pytest
from django.core import mail
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import AuthSession, OtpToken, User
from catalog.models import WishlistItem
from catalog.services import wishlist_add
from common.testing import API, PASSWORD, assert_error
from common.tests.imagefiles import jpeg_with_gps, png_claiming, upload
from customers.models import Address, BankAccount, Subscription
from customers.tests.factories import make_address, make_product
from orders import services as orders
from orders.models import Order
from orders.tests.factories import delivered, place, verified_bank_account
from reviews.models import Review
from reviews.services import review_approve, review_submit

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMS = {
    "ulid",
    "customer_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "is_logged_in",
    "is_anonymous",
    "anonymous_id",
    "customer_group_id",
    "store_id",
    "channel",
    "exp",
    "iat",
    "jti",
    "token_type",
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
    body = assert_error(
        register(api, email="x@example.com", password="123", confirm_password="123"), 400, "validation_error"
    )
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
        "id",
        "first_name",
        "last_name",
        "email",
        "is_email_verified",
        "phone",
        "country_code",
        "is_phone_verified",
        "profile_image_url",
        "is_anonymous",
        "is_logged_in",
        "login_methods",
        "notification_preferences",
        "customer_id",
        "customer_group_id",
        "customer_group",
        "business",
        "created_at",
        "modified_at",
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
    make_user(email="taken@example.com", phone="9222222222", is_email_verified=True)
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
    response = client.put(user_url(shopper, "/notification-preferences"), {"promotional": {"sms": True}}, format="json")
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


def test_change_password_ends_every_session_and_returns_a_new_ones_tokens(client_for, shopper):
    """Other sessions end, and so does this one: its old access token (which a thief may hold) is
    refused at once; the answer's tokens are a new session's."""
    mine, other = client_for(shopper), client_for(shopper)
    response = mine.post(
        f"{API}/auth/change-password",
        {"old_password": PASSWORD, "new_password": "brand-new-pass-77", "confirm_password": "brand-new-pass-77"},
        format="json",
    )
    tokens = response.json()["content"]
    assert response.status_code == 200 and set(tokens) == {"access_token", "refresh_token"}
    assert_error(other.get(user_url(shopper)), 401, "unauthorized")
    assert_error(mine.get(user_url(shopper)), 401, "unauthorized")
    mine.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert mine.get(user_url(shopper)).status_code == 200

    # The old refresh token of this session is spent; the new one works.
    def refresh(token):
        return APIClient().post(f"{API}/auth/refresh-token", {"refresh_token": token}, format="json")

    assert_error(refresh(mine.pair.refresh_token), 401, "unauthorized")
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
        {
            "otp_token": content["otp_token"],
            "otp": code,
            "new_password": "reset-pass-555",
            "confirm_password": "reset-pass-555",
        },
        format="json",
    )
    body = response.json()["content"]
    assert response.status_code == 200 and body["user"]["id"] == shopper.id
    assert claims(body["access_token"])["ulid"] == shopper.id
    assert_error(old.get(user_url(shopper)), 401, "unauthorized")
    assert User.objects.get(pk=shopper.pk).check_password("reset-pass-555")


# --- profile image ------------------------------------------------------------------------


def test_profile_image_upload_replace_get_delete(client_for, shopper, settings):
    settings.SITE_URL = "https://account.example.com"  # media URLs are answered on it
    client = client_for(shopper)
    url = user_url(shopper, "/profile-image")
    assert client.get(url).json()["content"] == {"profile_image_url": None}
    first = client.post(url, {"image": upload(jpeg_with_gps())}, format="multipart").json()["content"]
    assert first["profile_image_url"].startswith("https://account.example.com/media/profile-images/")
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
    assert_error(
        client.post(url, {"image": upload(png_claiming(60000, 60000))}, format="multipart"), 400, "invalid_image"
    )
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


# --- leaving: erasure and export ------------------------------------------------------------


@pytest.fixture
def full_account(shopper):
    from accounts.services import profile_image_set

    profile_image_set(user=shopper, upload=upload(jpeg_with_gps()))
    order = delivered(shopper, quantities=(1,))
    product = order.items.get().product
    review_approve(review=review_submit(customer=shopper, product=product, rating=5, review_text="Great"))
    account = verified_bank_account(shopper)
    orders.order_cancel(order=place(shopper), reason="x", refund_mode="bank-transfer", bank_account_id=account.id)
    home = make_address(shopper, nickname="Second")
    Subscription.objects.create(customer=shopper, product=make_product(9), shipping_address=home, billing_address=home)
    wishlist_add(customer=shopper, product_id=product.pk)
    return {"order": order, "product": product}


def test_erase_removes_personal_data_and_keeps_the_books(client_for, shopper, full_account):
    client = client_for(shopper)
    assert_error(
        client.delete(f"{API}/auth/user/{shopper.id}", {"password": "wrong"}, format="json"), 400, "invalid_password"
    )
    response = client.delete(f"{API}/auth/user/{shopper.id}", {"password": PASSWORD}, format="json")
    assert response.status_code == 200 and "content" not in response.json()

    user = User.objects.get(pk=shopper.pk)
    assert not user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name, user.phone, user.profile_image.name or None) == ("", "", None, None)
    assert user.email.endswith("@erased.invalid")
    assert not Address.objects.filter(customer=user).exists()
    husk = BankAccount.objects.get(customer=user)  # a refund points at it
    assert husk.account_number == "9012" and husk.account_name == ""
    assert not Review.objects.filter(customer=user).exists()
    assert not WishlistItem.objects.filter(customer=user).exists()
    full_account["product"].refresh_from_db()
    assert full_account["product"].review_count == 0
    assert not Subscription.objects.filter(customer=user, status="active").exists()
    assert not AuthSession.objects.filter(user=user, ended_at__isnull=True).exists()
    kept = Order.objects.get(pk=full_account["order"].pk)
    assert kept.shipping_address["first_name"] == "Meera"  # the order keeps its snapshot
    assert_error(client.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")
    assert_error(login(APIClient(), email="shopper@example.com", password=PASSWORD), 401, "unauthorized")


def test_export_has_everything_and_no_full_account_number(client_for, shopper, full_account):
    client = client_for(shopper)
    response = client.get(f"{API}/auth/user/{shopper.id}/export")
    export = response.json()["content"]["export"]
    # Each app adds its part through its erasure module, in INSTALLED_APPS order: the keys as before.
    assert list(export) == [
        "user",
        "passkeys",
        "wishlist",
        "addresses",
        "bank_accounts",
        "documents",
        "orders",
        "loyalty",
        "loyalty_points_activity",
        "reviews",
        "messages",
    ]
    assert export["user"]["email"] == "shopper@example.com" and len(export["orders"]) == 2
    # The orders as the history shows them: one producer for the shape, whoever asks.
    assert export["orders"] == client.get(f"{API}/orders", {"user_id": shopper.id}).json()["content"]["orders"]
    assert export["reviews"][0]["rating"] == 5 and export["addresses"]
    assert [(w["product_id"], w["product_name"]) for w in export["wishlist"]] == [
        (full_account["product"].pk, full_account["product"].name)
    ]
    assert "123456789012" not in response.content.decode()
