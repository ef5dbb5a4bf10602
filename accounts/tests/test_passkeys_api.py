"""Passkeys through the API (`/auth/passkeys...`) and the website's JSON doors: the ceremony,
the token answer of a passkey sign-in, another shopper's passkey, a replay, the wrong origin,
malformed input (400, never 500)."""

import pytest
from django.core.cache import cache

from accounts.models import AuthSession, Passkey
from common.testing import API, assert_error

from .softauthn import SoftAuthenticator

ORIGIN = "http://testserver"  # the Django test client's host: the relying party is "testserver"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # challenges and sign-in counters of other tests


def api_register(client, device=None, name="Phone"):
    device = device or SoftAuthenticator()
    started = client.post(f"{API}/auth/passkeys/register/options")
    assert started.status_code == 200, started.json()
    content = started.json()["content"]
    assert content["options"]["rp"]["id"] == "testserver"
    answer = device.create(content["options"], origin=ORIGIN)
    done = client.post(
        f"{API}/auth/passkeys/register",
        {"challenge_key": content["challenge_key"], "credential": answer, "name": name},
        format="json",
    )
    assert done.status_code == 201, done.json()
    return device, done.json()["content"]["passkey"]


def login_options(api):
    content = api.post(f"{API}/auth/passkeys/login/options").json()["content"]
    return content["options"], content["challenge_key"]


def test_register_list_and_sign_in_with_the_same_envelope_as_a_password(api, client_for, shopper):
    me = client_for(shopper)
    device, passkey = api_register(me)
    assert passkey["name"] == "Phone" and passkey["last_used_at"] is None
    listed = me.get(f"{API}/auth/passkeys").json()["content"]["passkeys"]
    assert [p["id"] for p in listed] == [passkey["id"]]

    options, key = login_options(api)
    signed = api.post(
        f"{API}/auth/passkeys/login",
        {"challenge_key": key, "credential": device.get(options, origin=ORIGIN)},
        format="json",
    )
    body = signed.json()
    assert signed.status_code == 200, body
    assert body["message"] == "Signed in."
    assert body["content"]["user"]["id"] == shopper.pk
    assert {"access_token", "refresh_token"} <= set(body["content"])
    # A real session: the token opens the account, and the session row is the shopper's.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['content']['access_token']}")
    assert api.get(f"{API}/auth/user/{shopper.pk}").status_code == 200
    assert AuthSession.objects.filter(user=shopper, ended_at__isnull=True).count() == 2


@pytest.mark.parametrize("counts", [True, False], ids=["counter", "synced-no-counter"])
def test_a_replayed_sign_in_is_refused(api, client_for, shopper, counts):
    device, _ = api_register(client_for(shopper), SoftAuthenticator(counts=counts))
    options, key = login_options(api)
    payload = {"challenge_key": key, "credential": device.get(options, origin=ORIGIN)}
    assert api.post(f"{API}/auth/passkeys/login", payload, format="json").status_code == 200
    assert_error(api.post(f"{API}/auth/passkeys/login", payload, format="json"), 400, "invalid_passkey")


def test_wrong_origin_and_wrong_site_are_refused(api, client_for, shopper):
    me = client_for(shopper)
    device, _ = api_register(me)
    options, key = login_options(api)
    answer = device.get(options, origin="https://evil.example")
    assert_error(
        api.post(f"{API}/auth/passkeys/login", {"challenge_key": key, "credential": answer}, format="json"),
        400,
        "invalid_passkey",
    )
    content = me.post(f"{API}/auth/passkeys/register/options").json()["content"]
    answer = SoftAuthenticator().create(content["options"], origin=ORIGIN, rp_id="evil.example")
    assert_error(
        me.post(
            f"{API}/auth/passkeys/register",
            {"challenge_key": content["challenge_key"], "credential": answer},
            format="json",
        ),
        400,
        "invalid_passkey",
    )
    assert Passkey.objects.count() == 1


def test_an_extra_origin_from_the_setting_is_accepted(api, client_for, shopper, settings):
    settings.WEBAUTHN_ORIGINS = ["https://www.shop.example"]
    device, _ = api_register(client_for(shopper))
    options, key = login_options(api)
    answer = device.get(options, origin="https://www.shop.example")
    signed = api.post(f"{API}/auth/passkeys/login", {"challenge_key": key, "credential": answer}, format="json")
    assert signed.status_code == 200, signed.json()


def test_another_shoppers_passkey_is_not_found(client_for, shopper, other_shopper):
    _, passkey = api_register(client_for(shopper))
    them = client_for(other_shopper)
    assert them.get(f"{API}/auth/passkeys").json()["content"]["passkeys"] == []
    assert_error(them.patch(f"{API}/auth/passkeys/{passkey['id']}", {"name": "x"}, format="json"), 404, "not_found")
    assert_error(them.delete(f"{API}/auth/passkeys/{passkey['id']}"), 404, "not_found")
    assert_error(them.delete(f"{API}/auth/passkeys/not-a-ulid"), 404, "not_found")
    assert Passkey.objects.get().name == "Phone"


def test_rename_and_remove(client_for, shopper):
    me = client_for(shopper)
    device, passkey = api_register(me)
    url = f"{API}/auth/passkeys/{passkey['id']}"
    renamed = me.patch(url, {"name": "Work laptop"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["content"]["passkey"]["name"] == "Work laptop"
    body = assert_error(me.patch(url, {"name": "a\nBcc: x@example.com"}, format="json"), 400, "validation_error")
    assert "name" in body["errors"]
    assert me.delete(url).status_code == 200
    assert not Passkey.objects.exists()
    assert_error(me.delete(url), 404, "not_found")


def test_a_registration_challenge_of_one_shopper_does_not_serve_another(client_for, shopper, other_shopper):
    me, them = client_for(shopper), client_for(other_shopper)
    content = me.post(f"{API}/auth/passkeys/register/options").json()["content"]
    answer = SoftAuthenticator().create(content["options"], origin=ORIGIN)
    assert_error(
        them.post(
            f"{API}/auth/passkeys/register",
            {"challenge_key": content["challenge_key"], "credential": answer},
            format="json",
        ),
        400,
        "invalid_passkey",
    )
    assert not Passkey.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"challenge_key": "x"},
        {"challenge_key": "A" * 40, "credential": "not json"},
        {"challenge_key": "A" * 40, "credential": {"id": "%%%", "response": {}}},
        {"challenge_key": "A" * 40, "credential": {"id": "AAAA", "rawId": "AAAA", "response": {"signature": "!!"}}},
        {"challenge_key": "A\x00" * 20, "credential": {"id": "AAAA"}},
        {"challenge_key": "A" * 40, "credential": {"id": "AAAA"}, "name": "x" * 10000},
        {"challenge_key": ["A"], "credential": [1, 2]},
    ],
)
def test_bad_input_is_a_400_never_a_500(api, client_for, shopper, body):
    me = client_for(shopper)
    api_register(me)
    for client, path in [(api, "login"), (me, "register")]:
        answer = client.post(f"{API}/auth/passkeys/{path}", body, format="json")
        assert answer.status_code == 400, answer.content
        assert answer.json()["code"] in ("validation_error", "invalid_passkey", "bad_request")


def test_bad_base64_in_a_real_ceremony_is_a_400(api, client_for, shopper):
    device, _ = api_register(client_for(shopper))
    options, key = login_options(api)
    answer = device.get(options, origin=ORIGIN)
    answer["response"]["authenticatorData"] = "***not base64***"
    assert_error(
        api.post(f"{API}/auth/passkeys/login", {"challenge_key": key, "credential": answer}, format="json"),
        400,
        "invalid_passkey",
    )


def test_guests_may_not_register_or_list(api, client_for, db):
    guest = client_for(None)
    assert_error(guest.post(f"{API}/auth/passkeys/register/options"), 403, "forbidden")
    assert_error(guest.get(f"{API}/auth/passkeys"), 403, "forbidden")
    assert_error(api.get(f"{API}/auth/passkeys"), 401, "unauthorized")


def test_reauthenticate_options_offer_only_the_shoppers_passkeys(client_for, shopper, other_shopper):
    me = client_for(shopper)
    device, _ = api_register(me)
    api_register(client_for(other_shopper))
    content = me.post(f"{API}/auth/passkeys/reauthenticate/options").json()["content"]
    assert [c["id"] for c in content["options"]["allowCredentials"]] == [device.id]


def test_reauthenticate_options_without_a_passkey_is_a_conflict(client_for, shopper):
    assert_error(client_for(shopper).post(f"{API}/auth/passkeys/reauthenticate/options"), 409, "conflict")


def test_with_redis_down_a_ceremony_is_a_503_and_nothing_is_written(api, client_for, shopper, settings):
    me = client_for(shopper)
    settings.CACHES = {"default": {"BACKEND": "common.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    assert_error(me.post(f"{API}/auth/passkeys/register/options"), 503, "service_unavailable")
    body = {"challenge_key": "A" * 43, "credential": {"id": "AAAA"}}
    assert_error(me.post(f"{API}/auth/passkeys/register", body, format="json"), 503, "service_unavailable")
    assert not Passkey.objects.exists()


@pytest.mark.requires_service("redis")
def test_on_redis_a_challenge_answers_once(api, client_for, shopper, settings):
    import os

    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
            "KEY_PREFIX": "passkey-test",
        }
    }
    device, _ = api_register(client_for(shopper))
    options, key = login_options(api)
    payload = {"challenge_key": key, "credential": device.get(options, origin=ORIGIN)}
    assert api.post(f"{API}/auth/passkeys/login", payload, format="json").status_code == 200
    assert_error(api.post(f"{API}/auth/passkeys/login", payload, format="json"), 400, "invalid_passkey")


def test_erasing_the_account_forgets_its_passkeys(client_for, shopper):
    from accounts.erasure import _erase

    api_register(client_for(shopper))
    _erase(shopper)
    assert not Passkey.objects.exists()


def test_the_data_export_lists_the_passkeys_without_their_keys(client_for, shopper):
    me = client_for(shopper)
    _, passkey = api_register(me, name="Phone")
    export = me.get(f"{API}/auth/user/{shopper.id}/export").json()["content"]["export"]
    assert export["passkeys"] == [passkey]
    assert "public_key" not in str(export["passkeys"])
