"""Passkeys (issue 29 item 1), the services: real WebAuthn answers made by a software
authenticator (`softauthn`), checked by py_webauthn: registering, signing in, the challenge
used once, the counter, the wrong site, another shopper's passkey."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts import signin
from accounts.errors import AccountDeactivated
from accounts.models import Passkey
from accounts.services import passkeys as pk
from accounts.tokens import session_new
from common.exceptions import DomainError, InvalidInput, NotFound, Throttled

from .softauthn import SoftAuthenticator

ORIGIN = "http://localhost:8000"
RP = pk.RelyingParty(id="localhost", name="Shop", origins=(ORIGIN,))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def register(user, device=None, name="My phone", rp=RP, origin=ORIGIN):
    device = device or SoftAuthenticator()
    options, key = pk.passkey_register_options(user=user, rp=rp)
    passkey = pk.passkey_register(
        user=user, challenge_key=key, credential=device.create(options, origin=origin), rp=rp, name=name
    )
    return device, passkey


def sign_in(device, rp=RP, origin=ORIGIN, ip="10.0.0.1"):
    options, key = pk.passkey_assertion_options(rp=rp)
    return signin.sign_in_with_passkey(
        credential=device.get(options, origin=origin), challenge_key=key, rp=rp, ip=ip
    ), (options, key)


def test_relying_party_is_the_request_host_without_its_port_or_the_setting(settings):
    settings.WEBAUTHN_RP_ID = ""
    settings.WEBAUTHN_ORIGINS = ["https://www.shop.example"]
    rp = pk.relying_party(host="localhost:8000", secure=False)
    assert rp.id == "localhost"
    assert rp.origins == ("http://localhost:8000", "https://www.shop.example")
    assert pk.relying_party(host="account.shop.example", secure=True).origins[0] == "https://account.shop.example"
    settings.WEBAUTHN_RP_ID = "shop.example"
    assert pk.relying_party(host="account.shop.example", secure=True).id == "shop.example"


def test_register_then_sign_in_with_the_passkey(shopper):
    device, passkey = register(shopper)
    assert passkey.user == shopper and passkey.name == "My phone" and passkey.transports == ["internal"]
    assert passkey.credential_id == device.id
    user, _ = sign_in(device)
    assert user == shopper
    passkey.refresh_from_db()
    assert passkey.sign_count == 1 and passkey.last_used_at is not None


def test_options_ask_for_a_discoverable_passkey_with_user_verification(shopper):
    _, passkey = register(shopper)
    options, _ = pk.passkey_register_options(user=shopper, rp=RP)
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["rp"] == {"id": "localhost", "name": "Shop"}
    assert [c["id"] for c in options["excludeCredentials"]] == [passkey.credential_id]
    login, _ = pk.passkey_assertion_options(rp=RP)
    assert login["allowCredentials"] == [] and login["userVerification"] == "required"


def test_a_sign_in_answer_replayed_is_refused(shopper):
    device, _ = register(shopper)
    options, key = pk.passkey_assertion_options(rp=RP)
    answer = device.get(options, origin=ORIGIN)
    assert signin.sign_in_with_passkey(credential=answer, challenge_key=key, rp=RP, ip="10.0.0.1") == shopper
    with pytest.raises(InvalidInput) as refused:
        signin.sign_in_with_passkey(credential=answer, challenge_key=key, rp=RP, ip="10.0.0.1")
    assert refused.value.code == "invalid_passkey"


def test_a_replay_is_refused_even_for_a_passkey_without_a_counter(shopper):
    # A synced passkey reports 0 every time: only the challenge, used once, stops a replay.
    device, _ = register(shopper, SoftAuthenticator(counts=False))
    options, key = pk.passkey_assertion_options(rp=RP)
    answer = device.get(options, origin=ORIGIN)
    assert signin.sign_in_with_passkey(credential=answer, challenge_key=key, rp=RP, ip="10.0.0.1") == shopper
    with pytest.raises(InvalidInput):
        signin.sign_in_with_passkey(credential=answer, challenge_key=key, rp=RP, ip="10.0.0.1")


def test_a_failed_answer_uses_the_challenge_up_too(shopper):
    device, _ = register(shopper)
    options, key = pk.passkey_assertion_options(rp=RP)
    good = device.get(options, origin=ORIGIN)
    bad = {**good, "response": {**good["response"], "signature": good["response"]["signature"][:-4] + "AAAA"}}
    with pytest.raises(InvalidInput):
        signin.sign_in_with_passkey(credential=bad, challenge_key=key, rp=RP, ip="10.0.0.1")
    with pytest.raises(InvalidInput):
        signin.sign_in_with_passkey(credential=good, challenge_key=key, rp=RP, ip="10.0.0.1")


def test_a_counter_that_goes_back_is_refused_a_synced_passkey_without_one_passes(shopper):
    device, passkey = register(shopper)
    sign_in(device)
    sign_in(device)
    device.sign_count = 1  # a copy of the authenticator, made when it had signed once
    with pytest.raises(InvalidInput):
        sign_in(device)
    assert Passkey.objects.get(pk=passkey.pk).sign_count == 2

    synced, _ = register(shopper, SoftAuthenticator(counts=False), name="Synced")
    for _ in range(2):
        assert sign_in(synced)[0] == shopper


def test_wrong_origin_or_site_is_refused(shopper):
    device, _ = register(shopper)
    with pytest.raises(InvalidInput):
        sign_in(device, origin="https://evil.example")
    with pytest.raises(InvalidInput):
        options, key = pk.passkey_assertion_options(rp=RP)
        signin.sign_in_with_passkey(
            credential=device.get(options, origin=ORIGIN, rp_id="evil.example"), challenge_key=key, rp=RP, ip=None
        )
    options, key = pk.passkey_register_options(user=shopper, rp=RP)
    with pytest.raises(InvalidInput):
        pk.passkey_register(
            user=shopper,
            challenge_key=key,
            credential=SoftAuthenticator().create(options, origin="https://evil.example"),
            rp=RP,
        )


def test_without_user_verification_nothing_passes(shopper):
    options, key = pk.passkey_register_options(user=shopper, rp=RP)
    with pytest.raises(InvalidInput):
        pk.passkey_register(
            user=shopper,
            challenge_key=key,
            credential=SoftAuthenticator().create(options, origin=ORIGIN, flags=0x41),
            rp=RP,
        )
    device, _ = register(shopper)
    options, key = pk.passkey_assertion_options(rp=RP)
    with pytest.raises(InvalidInput):
        signin.sign_in_with_passkey(
            credential=device.get(options, origin=ORIGIN, flags=0x01), challenge_key=key, rp=RP, ip=None
        )


def test_a_registration_challenge_belongs_to_its_shopper(shopper, other_shopper):
    options, key = pk.passkey_register_options(user=shopper, rp=RP)
    with pytest.raises(InvalidInput):
        pk.passkey_register(
            user=other_shopper, challenge_key=key, credential=SoftAuthenticator().create(options, origin=ORIGIN), rp=RP
        )
    assert not Passkey.objects.exists()


def test_the_same_authenticator_twice_is_a_conflict(shopper, other_shopper):
    device, _ = register(shopper)
    options, key = pk.passkey_register_options(user=other_shopper, rp=RP)
    with pytest.raises(DomainError) as conflict:
        pk.passkey_register(
            user=other_shopper, challenge_key=key, credential=device.create(options, origin=ORIGIN), rp=RP
        )
    assert conflict.value.code == "conflict"
    assert Passkey.objects.get().user == shopper


def test_reauthentication_takes_only_the_shoppers_own_passkey(shopper, other_shopper):
    mine, _ = register(shopper)
    theirs, _ = register(other_shopper)
    options, key = pk.passkey_assertion_options(rp=RP, user=shopper)
    assert [c["id"] for c in options["allowCredentials"]] == [mine.id]
    assert (
        pk.passkey_assertion_verify(credential=mine.get(options, origin=ORIGIN), challenge_key=key, rp=RP, user=shopper)
        == shopper
    )
    options, key = pk.passkey_assertion_options(rp=RP, user=shopper)
    with pytest.raises(InvalidInput):
        pk.passkey_assertion_verify(
            credential=theirs.get(options, origin=ORIGIN), challenge_key=key, rp=RP, user=shopper
        )
    # A sign-in's challenge does not confirm a signed-in shopper, nor the other way round.
    options, key = pk.passkey_assertion_options(rp=RP)
    with pytest.raises(InvalidInput):
        pk.passkey_assertion_verify(credential=mine.get(options, origin=ORIGIN), challenge_key=key, rp=RP, user=shopper)
    options, key = pk.passkey_assertion_options(rp=RP, user=shopper)
    with pytest.raises(InvalidInput):
        pk.passkey_assertion_verify(credential=mine.get(options, origin=ORIGIN), challenge_key=key, rp=RP)


def test_reauthentication_options_need_a_passkey(shopper):
    with pytest.raises(DomainError):
        pk.passkey_assertion_options(rp=RP, user=shopper)


@pytest.mark.parametrize(
    "credential",
    [
        None,
        "text",
        [],
        {},
        {"id": 5},
        {"id": "%%%"},
        {"id": "AAAA", "response": "x"},
        {
            "id": "AAAA",
            "rawId": "AAAA",
            "type": "public-key",
            "response": {"clientDataJSON": "!!", "attestationObject": "??"},
        },
        {"id": "A\x00", "response": {}},
        {"id": "AAAA" * 10000},
    ],
)
def test_malformed_credentials_are_refused_as_input(shopper, credential):
    device, _ = register(shopper)
    options, key = pk.passkey_register_options(user=shopper, rp=RP)
    with pytest.raises(InvalidInput):
        pk.passkey_register(user=shopper, challenge_key=key, credential=credential, rp=RP)
    options, key = pk.passkey_assertion_options(rp=RP)
    with pytest.raises(InvalidInput):
        signin.sign_in_with_passkey(credential=credential, challenge_key=key, rp=RP, ip=None)


def test_a_mangled_assertion_of_a_known_passkey_is_refused_as_input(shopper):
    device, _ = register(shopper)
    for field, value in [
        ("clientDataJSON", "!!"),
        ("authenticatorData", "AAAA"),
        ("signature", ""),
        ("userHandle", "%%"),
        ("clientDataJSON", "eyJ0eXBlIjogMX0"),  # {"type": 1}
    ]:
        options, key = pk.passkey_assertion_options(rp=RP)
        answer = device.get(options, origin=ORIGIN)
        answer["response"][field] = value
        with pytest.raises(InvalidInput):
            signin.sign_in_with_passkey(credential=answer, challenge_key=key, rp=RP, ip=None)


def test_bad_challenge_keys_are_refused(shopper):
    device, _ = register(shopper)
    for key in [None, "", "short", "x" * 500, "a\x00" * 20, 12345, ["a"]]:
        options, _ = pk.passkey_assertion_options(rp=RP)
        with pytest.raises(InvalidInput):
            signin.sign_in_with_passkey(
                credential=device.get(options, origin=ORIGIN), challenge_key=key, rp=RP, ip=None
            )


def test_a_passkey_of_a_deactivated_account_says_so_a_closed_one_opens_nothing(shopper):
    device, _ = register(shopper)
    type(shopper).objects.filter(pk=shopper.pk).update(is_active=False, deactivated_at=timezone.now())
    with pytest.raises(AccountDeactivated):
        sign_in(device)
    type(shopper).objects.filter(pk=shopper.pk).update(deactivated_at=None)  # as staff closes one
    with pytest.raises(InvalidInput):
        sign_in(device)


def test_failed_passkeys_lock_the_account_like_wrong_passwords(shopper, settings):
    device, _ = register(shopper)
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        options, key = pk.passkey_assertion_options(rp=RP)
        with pytest.raises(InvalidInput):
            signin.sign_in_with_passkey(
                credential=device.get(options, origin="https://evil.example"), challenge_key=key, rp=RP, ip="10.0.0.9"
            )
    with pytest.raises(Throttled):
        sign_in(device, ip="10.0.0.9")
    with pytest.raises(Throttled):  # the same account's password is locked from there too
        signin.sign_in(password="whatever", ip="10.0.0.9", email=shopper.email)


def test_rename_and_remove_only_ones_own(shopper, other_shopper):
    _, passkey = register(shopper)
    with pytest.raises(NotFound):
        pk.passkey_rename(user=other_shopper, passkey_id=passkey.pk, name="Mine now")
    with pytest.raises(NotFound):
        pk.passkey_remove(
            user=other_shopper, passkey_id=passkey.pk, session=session_new(user=other_shopper, client=None)
        )
    with pytest.raises(NotFound):
        pk.passkey_remove(user=shopper, passkey_id="not-an-id\x00", session=session_new(user=shopper, client=None))
    with pytest.raises(InvalidInput):
        pk.passkey_rename(user=shopper, passkey_id=passkey.pk, name="Laptop\nBcc: x@example.com")
    with pytest.raises(InvalidInput):
        pk.passkey_rename(user=shopper, passkey_id=passkey.pk, name="  ")
    assert pk.passkey_rename(user=shopper, passkey_id=passkey.pk, name="  Work   laptop ").name == "Work laptop"
    pk.passkey_remove(user=shopper, passkey_id=passkey.pk, session=session_new(user=shopper, client=None))
    assert not Passkey.objects.exists()


def test_a_removed_passkey_signs_in_no_more(shopper):
    device, passkey = register(shopper)
    pk.passkey_remove(user=shopper, passkey_id=passkey.pk, session=session_new(user=shopper, client=None))
    with pytest.raises(InvalidInput):
        sign_in(device)


def test_default_names_and_the_limit(shopper, settings, monkeypatch):
    monkeypatch.setattr(pk, "MAX_PASSKEYS", 2)
    _, first = register(shopper, name="")
    assert first.name == "Passkey 1"
    register(shopper, name="")
    with pytest.raises(DomainError) as limit:
        pk.passkey_register_options(user=shopper, rp=RP)
    assert limit.value.code == "limit_exceeded"


def test_racing_requests_with_one_challenge_key_one_wins(shopper):
    """Two answers sent at once with the same key both read the challenge; only one removes it."""
    import threading

    _, key = pk.passkey_assertion_options(rp=RP)
    barrier = threading.Barrier(8)
    results = []

    def take():
        barrier.wait()
        try:
            pk._challenge_take(challenge_key=key, purpose=pk.LOGIN, user=None)
            results.append("taken")
        except InvalidInput:
            results.append("refused")

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused"] * 7 + ["taken"]
