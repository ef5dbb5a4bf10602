"""The shopper's active sessions and re-authentication (issue 29 items 2 and 3; ASVS 5.0 7.5.1,
7.5.2, 7.4.3): one list of the apps' and the website's sessions, ending one or all others at
once, serious steps refused (403 `reauthentication_required`) after an old sign-in until the
shopper proves it is them again by password, code or passkey."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import AuthSession, Passkey, SessionKind
from accounts.tokens import user_changed
from common.testing import API, PASSWORD, admin_action, assert_error

from .softauthn import SoftAuthenticator
from .test_code_sign_in import email_code
from .test_passkeys_api import ORIGIN, api_register

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
LAPTOP_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0"
)


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def sign_in(api_client, user, ua=PHONE_UA, ip="203.0.113.7"):
    """A real API sign-in (the password endpoint): the token's session records the client."""
    answer = api_client.post(
        f"{API}/auth/login/password",
        {"email": user.email, "password": PASSWORD},
        format="json",
        HTTP_USER_AGENT=ua,
        REMOTE_ADDR=ip,
    )
    assert answer.status_code == 200, answer.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['content']['access_token']}")
    return api_client


def web_sign_in(user, ua=LAPTOP_UA):
    browser = Client(HTTP_USER_AGENT=ua)
    answer = browser.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content[:500]
    return browser


def age_sign_ins(user, minutes=30):
    """Every session of `user` last authenticated `minutes` ago (the cached rows go too)."""
    AuthSession.objects.filter(user=user).update(authenticated_at=timezone.now() - timedelta(minutes=minutes))
    user_changed(user=user)


def listed(client):
    answer = client.get(f"{API}/auth/sessions")
    assert answer.status_code == 200, answer.json()
    return answer.json()["content"]["sessions"]


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_apps_and_website_sign_ins_with_device_place_and_which_is_this(
    api, shopper, other_shopper, client_for
):
    phone = sign_in(api, shopper)
    web_sign_in(shopper)
    client_for(other_shopper)  # another shopper's session is never listed
    rows = listed(phone)
    assert [(r["kind"], r["is_current"]) for r in rows] == [("app", True), ("web", False)]
    mine, browser = rows
    assert mine["device"] == {
        "label": "Chrome Mobile on Android",
        "browser": "Chrome Mobile",
        "os": "Android",
        "device": "Samsung SM-S911B",
    }
    assert mine["ip"] == "203.0.113.7" and mine["place"] == ""  # no GeoIP file configured
    assert browser["device"]["label"] == "Edge on Windows"
    assert {"signed_in_at", "last_seen_at", "id"} <= set(mine)
    one = phone.get(f"{API}/auth/sessions/{browser['id']}")
    assert one.status_code == 200 and one.json()["content"]["id"] == browser["id"]


def test_a_guest_or_no_token_has_no_sessions_to_list(api, client_for):
    assert api.get(f"{API}/auth/sessions").status_code == 401
    assert client_for(None).get(f"{API}/auth/sessions").status_code in (401, 403)


def test_another_shoppers_session_is_not_found_and_stays_live(shopper, other_shopper, client_for):
    mine, theirs = client_for(shopper), client_for(other_shopper)
    their_id = theirs.pair.session.pk
    assert_error(mine.get(f"{API}/auth/sessions/{their_id}"), 404, "not_found")
    assert_error(mine.delete(f"{API}/auth/sessions/{their_id}"), 404, "not_found")
    assert theirs.get(f"{API}/auth/sessions").status_code == 200


# --- ending sessions ---------------------------------------------------------------------


def test_ending_another_session_signs_it_out_at_once(api, shopper, client_for):
    laptop = client_for(shopper)
    phone = sign_in(api, shopper)
    assert laptop.get(f"{API}/auth/sessions").status_code == 200  # its row is in the cache now
    answer = phone.delete(f"{API}/auth/sessions/{laptop.pair.session.pk}")
    assert answer.status_code == 200, answer.json()
    assert_error(laptop.get(f"{API}/auth/sessions"), 401, "unauthorized")
    assert AuthSession.objects.get(pk=laptop.pair.session.pk).ended_reason == "ended-by-user"
    assert phone.get(f"{API}/auth/sessions").status_code == 200


def test_ending_all_others_keeps_this_one_and_signs_out_the_website(api, shopper, client_for):
    others = [client_for(shopper), client_for(shopper)]
    browser = web_sign_in(shopper)
    assert browser.get("/account/").status_code == 200
    phone = sign_in(api, shopper)
    answer = phone.delete(f"{API}/auth/sessions")
    assert answer.status_code == 200 and answer.json()["content"] == {"ended": 3}
    for other in others:
        assert other.get(f"{API}/auth/sessions").status_code == 401
    # The website's next page signs it out: to the sign-in page.
    page = browser.get("/account/")
    assert page.status_code == 302 and page["Location"].startswith("/account/sign-in/")
    assert [r["is_current"] for r in listed(phone)] == [True]


def test_ending_this_session_is_signing_out_and_needs_no_new_proof(shopper, client_for):
    me = client_for(shopper)
    age_sign_ins(shopper)
    assert me.delete(f"{API}/auth/sessions/{me.pair.session.pk}").status_code == 200
    assert me.get(f"{API}/auth/sessions").status_code == 401


def test_ending_other_sessions_after_an_old_sign_in_needs_a_new_proof(shopper, client_for):
    me, other = client_for(shopper), client_for(shopper)
    age_sign_ins(shopper)
    assert_error(me.delete(f"{API}/auth/sessions/{other.pair.session.pk}"), 403, "reauthentication_required")
    assert_error(me.delete(f"{API}/auth/sessions"), 403, "reauthentication_required")
    assert other.get(f"{API}/auth/sessions").status_code == 200  # nothing ended
    proved = me.post(f"{API}/auth/reauthenticate", {"password": PASSWORD}, format="json")
    assert proved.status_code == 200, proved.json()
    content = proved.json()["content"]
    assert set(content) == {"authenticated_at", "reauthentication_expires_at", "access_token", "refresh_token"}
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {content['access_token']}")  # new tokens, same session
    assert me.delete(f"{API}/auth/sessions").status_code == 200
    assert other.get(f"{API}/auth/sessions").status_code == 401
    # The refresh token from before the proof is spent: presented again, it is a replay, and
    # the session ends (accounts.tokens.session_refresh).
    assert_error(
        me.post(f"{API}/auth/refresh-token", {"refresh_token": me.pair.refresh_token}, format="json"),
        401,
        "unauthorized",
    )


# --- re-authentication -------------------------------------------------------------------


def test_a_fresh_sign_in_changes_the_email_at_once_an_old_one_must_prove_it_first(api, shopper):
    """The SDK's sign-in-then-update flow keeps working; a stolen old session cannot move the
    account to the thief's address."""
    me = sign_in(api, shopper)
    url = f"{API}/auth/user/{shopper.pk}"
    assert me.put(url, {"email": "new@example.com"}, format="json").status_code == 200
    sent = len(mail.outbox)
    age_sign_ins(shopper)
    assert_error(me.put(url, {"email": "thief@example.com"}, format="json"), 403, "reauthentication_required")
    assert_error(me.put(url, {"phone": "9000000777"}, format="json"), 403, "reauthentication_required")
    assert_error(
        me.post(
            f"{API}/auth/generate-otp",
            {"channel": "email", "email": "thief@example.com", "otp_action": "update-email"},
            format="json",
        ),
        403,
        "reauthentication_required",
    )
    assert not [m for m in mail.outbox[sent:] if "thief@example.com" in m.to]
    # Names need no new proof.
    assert me.put(url, {"first_name": "Mira"}, format="json").status_code == 200
    assert me.post(f"{API}/auth/reauthenticate", {"password": PASSWORD}, format="json").status_code == 200
    assert me.put(url, {"email": "thief@example.com"}, format="json").status_code == 200


def test_reauthenticate_with_a_code_sent_to_the_shopper(shopper, client_for, django_capture_on_commit_callbacks):
    me = client_for(shopper)
    age_sign_ins(shopper)
    with django_capture_on_commit_callbacks(execute=True):
        sent = me.post(
            f"{API}/auth/generate-otp",
            {"channel": "email", "email": shopper.email, "otp_action": "reauthenticate"},
            format="json",
        ).json()["content"]
    code = email_code(shopper.email)
    wrong = "0" * 6 if code != "000000" else "1" * 6
    assert_error(
        me.post(f"{API}/auth/reauthenticate", {"otp_token": sent["otp_token"], "otp": wrong}, format="json"),
        400,
        "invalid_otp",
    )
    assert_error(me.delete(f"{API}/auth/sessions"), 403, "reauthentication_required")
    answer = me.post(f"{API}/auth/reauthenticate", {"otp_token": sent["otp_token"], "otp": code}, format="json")
    assert answer.status_code == 200, answer.json()
    assert me.delete(f"{API}/auth/sessions").status_code == 200


def test_reauthenticate_with_a_passkey_and_a_replayed_answer_is_refused(shopper, client_for):
    me = client_for(shopper)
    device, passkey = api_register(me, SoftAuthenticator())
    age_sign_ins(shopper)
    assert_error(me.delete(f"{API}/auth/passkeys/{passkey['id']}"), 403, "reauthentication_required")
    started = me.post(f"{API}/auth/passkeys/reauthenticate/options").json()["content"]
    body = {"challenge_key": started["challenge_key"], "credential": device.get(started["options"], origin=ORIGIN)}
    assert me.post(f"{API}/auth/reauthenticate", body, format="json").status_code == 200
    assert_error(me.post(f"{API}/auth/reauthenticate", body, format="json"), 400, "invalid_passkey")
    assert me.delete(f"{API}/auth/passkeys/{passkey['id']}").status_code == 200
    assert not Passkey.objects.exists()


def test_another_shoppers_passkey_does_not_reauthenticate(shopper, other_shopper, client_for):
    me, them = client_for(shopper), client_for(other_shopper)
    api_register(me, SoftAuthenticator())
    their_device, _ = api_register(them, SoftAuthenticator())
    age_sign_ins(shopper)
    started = me.post(f"{API}/auth/passkeys/reauthenticate/options").json()["content"]
    body = {
        "challenge_key": started["challenge_key"],
        "credential": their_device.get(started["options"], origin=ORIGIN),
    }
    assert_error(me.post(f"{API}/auth/reauthenticate", body, format="json"), 400, "invalid_passkey")
    assert_error(me.delete(f"{API}/auth/sessions"), 403, "reauthentication_required")


def test_wrong_passwords_to_reauthenticate_lock_like_sign_in(shopper, client_for, settings):
    me = client_for(shopper)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert_error(
            me.post(f"{API}/auth/reauthenticate", {"password": "nope"}, format="json"), 400, "invalid_password"
        )
    assert_error(me.post(f"{API}/auth/reauthenticate", {"password": PASSWORD}, format="json"), 429, "throttled")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"password": PASSWORD, "otp_token": "x", "otp": "123456"},
        {"password": "\x00"},
        {"password": ["a"]},
        {"credential": "not json", "challenge_key": "x" * 65},
        {"otp_token": "x" * 1000, "otp": "12"},
    ],
)
def test_reauthenticate_refuses_bad_bodies_with_400(shopper, client_for, body):
    answer = client_for(shopper).post(f"{API}/auth/reauthenticate", body, format="json")
    assert answer.status_code == 400, answer.content


def test_a_guest_cannot_reauthenticate(client_for):
    assert client_for(None).post(f"{API}/auth/reauthenticate", {"password": "x"}, format="json").status_code in (
        401,
        403,
    )


def test_a_password_change_ends_other_sessions_website_too_but_not_this_one(api, shopper):
    browser = web_sign_in(shopper)
    phone = sign_in(api, shopper)
    answer = phone.post(
        f"{API}/auth/change-password",
        {
            "old_password": PASSWORD,
            "new_password": "another-long-passphrase-91",
            "confirm_password": "another-long-passphrase-91",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert browser.get("/account/").status_code == 302


# --- the website ---------------------------------------------------------------------------


def test_a_website_sign_in_is_a_session_and_signing_out_ends_it(shopper):
    browser = web_sign_in(shopper)
    session = AuthSession.objects.get(user=shopper, kind=SessionKind.WEB)
    assert session.user_agent == LAPTOP_UA and session.authenticated_at is not None
    browser.post("/account/sign-out/")
    session.refresh_from_db()
    assert session.ended_at is not None and session.ended_reason == "logout"


def test_the_sessions_page_lists_and_ends_with_a_new_proof_after_an_old_sign_in(api, shopper):
    phone = sign_in(api, shopper)
    browser = web_sign_in(shopper)
    page = browser.get("/account/profile/sessions/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Chrome Mobile on Android" in html and "Edge on Windows" in html and "This browser" in html
    age_sign_ins(shopper)
    refused = browser.post("/account/profile/sessions/end-others/")
    assert refused.status_code == 302 and refused["Location"].startswith("/account/profile/confirm/?next=")
    assert phone.get(f"{API}/auth/sessions").status_code == 200
    confirm = browser.get(refused["Location"])
    assert confirm.status_code == 200 and "Confirm it" in confirm.content.decode()
    wrong = browser.post(refused["Location"], {"confirm-password": "nope", "next": "/account/profile/sessions/"})
    assert wrong.status_code == 400
    proved = browser.post(refused["Location"], {"confirm-password": PASSWORD, "next": "/account/profile/sessions/"})
    assert proved.status_code == 302 and proved["Location"] == "/account/profile/sessions/"
    assert browser.post("/account/profile/sessions/end-others/").status_code == 302
    assert phone.get(f"{API}/auth/sessions").status_code == 401
    assert browser.get("/account/").status_code == 200


def test_the_website_email_change_after_an_old_sign_in_asks_to_confirm_first(shopper):
    browser = web_sign_in(shopper)
    age_sign_ins(shopper)
    sent = len(mail.outbox)
    answer = browser.post("/account/profile/email/change/", {"email": "thief@example.com"})
    assert answer.status_code == 302 and answer["Location"].startswith("/account/profile/confirm/")
    assert len(mail.outbox) == sent


def test_a_confirm_page_next_elsewhere_goes_back_to_the_profile(shopper):
    browser = web_sign_in(shopper)
    answer = browser.post(
        "/account/profile/confirm/", {"confirm-password": PASSWORD, "next": "https://evil.example/steal"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/account/profile/"


def test_a_website_session_of_another_shopper_cannot_be_ended(shopper, other_shopper):
    other_shopper.is_email_verified = True
    other_shopper.save()
    theirs = web_sign_in(other_shopper)
    their_session = AuthSession.objects.get(user=other_shopper, kind=SessionKind.WEB)
    mine = web_sign_in(shopper)
    assert mine.post(f"/account/profile/sessions/{their_session.pk}/end/").status_code == 404
    assert theirs.get("/account/").status_code == 200


# --- staff ---------------------------------------------------------------------------------


def test_staff_see_where_a_shopper_is_signed_in_and_sign_them_out_everywhere(staff_client, shopper, client_for):
    phone = client_for(shopper)
    browser = web_sign_in(shopper)
    manager = staff_client("Managers")
    page = manager.get(f"/admin/accounts/user/{shopper.pk}/change/").content.decode()
    assert "Signed in now" in page and "Edge on Windows" in page
    admin_action(manager, "/admin/accounts/user/", "sign_out_everywhere", [shopper])
    assert phone.get(f"{API}/auth/sessions").status_code == 401
    assert browser.get("/account/").status_code == 302
    assert set(AuthSession.objects.filter(user=shopper).values_list("ended_reason", flat=True)) == {"ended-by-staff"}
    assert type(shopper).objects.get(pk=shopper.pk).is_active  # they may sign in again


def test_support_cannot_sign_shoppers_out(staff_client, shopper, client_for):
    phone = client_for(shopper)
    admin_action(staff_client("Support"), "/admin/accounts/user/", "sign_out_everywhere", [shopper])
    assert phone.get(f"{API}/auth/sessions").status_code == 200


# --- the place -----------------------------------------------------------------------------


def test_the_place_comes_from_a_geoip_city_file(tmp_path, settings, api, shopper):
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City")
    writer.insert_network(
        IPSet(["203.0.113.0/24"]),
        {
            "city": {"names": {"en": "Pune"}},
            "subdivisions": [{"names": {"en": "Maharashtra"}, "iso_code": "MH"}],
            "country": {"names": {"en": "India"}, "iso_code": "IN"},
        },
    )
    path = tmp_path / "city.mmdb"
    writer.to_db_file(str(path))
    settings.GEOIP_DATABASE = str(path)
    phone = sign_in(api, shopper, ip="203.0.113.7")
    sign_in(type(api)(), shopper, ip="198.51.100.9")
    places = {row["ip"]: row["place"] for row in listed(phone)}
    assert places == {"203.0.113.7": "Pune, Maharashtra, India", "198.51.100.9": ""}


def test_an_unreadable_geoip_file_shows_no_place_and_no_error(tmp_path, settings, api, shopper):
    path = tmp_path / "broken.mmdb"
    path.write_bytes(b"not a database")
    settings.GEOIP_DATABASE = str(path)
    assert [row["place"] for row in listed(sign_in(api, shopper))] == [""]
