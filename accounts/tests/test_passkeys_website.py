"""Passkeys on the website: the JSON doors passkeys.js calls (add, sign in), the profile's list
with rename and remove, and the offer after a code sign-in."""

import json

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Passkey

from .softauthn import SoftAuthenticator

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def post_json(client, name, body=None, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), json.dumps(body or {}), content_type="application/json")


def add(client, device=None, name="Phone"):
    device = device or SoftAuthenticator()
    started = post_json(client, "portal:passkey-add-options").json()
    done = post_json(
        client,
        "portal:passkey-add",
        {
            "challenge_key": started["challenge_key"],
            "credential": device.create(started["options"], origin=ORIGIN),
            "name": name,
        },
    )
    assert done.status_code == 201, done.content
    assert done.json()["redirect"] == "/account/profile/#passkeys-h"
    return device


def test_add_on_the_profile_then_sign_in_with_it(signed_in, client, shopper):
    device = add(signed_in)
    page = signed_in.get(reverse("portal:profile"))
    assert "Phone" in page.content.decode() and "Add a passkey" in page.content.decode()
    signed_in.post(reverse("portal:sign-out"))
    assert signed_in.get(reverse("portal:dashboard")).status_code == 302

    started = post_json(client, "portal:sign-in-passkey-options").json()
    answer = device.get(started["options"], origin=ORIGIN)
    signed = post_json(
        client,
        "portal:sign-in-passkey",
        {"challenge_key": started["challenge_key"], "credential": answer, "next": "/account/orders/"},
    )
    assert signed.status_code == 200 and signed.json() == {"redirect": "/account/orders/"}
    assert client.get(reverse("portal:dashboard")).status_code == 200
    # The same answer again: refused, as JSON the page shows.
    again = post_json(
        client, "portal:sign-in-passkey", {"challenge_key": started["challenge_key"], "credential": answer}
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_passkey"


def test_sign_in_goes_nowhere_outside_the_site(client, shopper):
    from accounts.services import passkeys as pk

    device = SoftAuthenticator()
    options, key = pk.passkey_register_options(user=shopper, rp=pk.relying_party(host="testserver", secure=False))
    pk.passkey_register(
        user=shopper,
        challenge_key=key,
        credential=device.create(options, origin=ORIGIN),
        rp=pk.relying_party(host="testserver", secure=False),
    )
    started = post_json(client, "portal:sign-in-passkey-options").json()
    signed = post_json(
        client,
        "portal:sign-in-passkey",
        {
            "challenge_key": started["challenge_key"],
            "credential": device.get(started["options"], origin=ORIGIN),
            "next": "https://evil.example/",
        },
    )
    assert signed.json() == {"redirect": "/account/"}


@pytest.mark.parametrize("body", [b"", b"not json", b"[1,2]", b'{"credential": "x", "challenge_key": null}'])
def test_bad_bodies_are_a_400(client, signed_in, body):
    for name, c in [("portal:sign-in-passkey", client), ("portal:passkey-add", signed_in)]:
        answer = c.post(reverse(name), body, content_type="application/json")
        assert answer.status_code == 400 and answer.json()["code"] == "invalid_passkey"


def test_rename_and_remove_on_the_profile_another_shoppers_is_404(signed_in, client, shopper, other_shopper):
    add(signed_in)
    passkey = Passkey.objects.get()
    renamed = signed_in.post(reverse("portal:passkey-rename", args=[passkey.pk]), {"name": "Laptop"}, follow=True)
    assert "Passkey renamed “Laptop”." in renamed.content.decode()
    bad = signed_in.post(reverse("portal:passkey-rename", args=[passkey.pk]), {"name": "a\nb"}, follow=True)
    assert "on one line" in bad.content.decode()
    assert Passkey.objects.get().name == "Laptop"

    client.force_login(other_shopper)
    assert client.post(reverse("portal:passkey-rename", args=[passkey.pk]), {"name": "Mine"}).status_code == 404
    assert client.post(reverse("portal:passkey-remove", args=[passkey.pk])).status_code == 404
    assert Passkey.objects.filter(name="Laptop").exists()

    client.force_login(shopper)
    removed = client.post(reverse("portal:passkey-remove", args=[passkey.pk]), follow=True)
    assert "Passkey removed" in removed.content.decode()
    assert not Passkey.objects.exists()


def _code_sign_in(client, shopper):
    client.post(reverse("portal:sign-in"), {"username": shopper.email, "password": "", "send_code": "1"})
    code = [m for m in mail.outbox if "is your code" in m.body][-1].body.split()[0]
    return client.post(reverse("portal:sign-in-code"), {"otp": code}, follow=True)


@pytest.mark.django_db(transaction=True)  # the code goes out once its transaction commits
def test_a_passkey_is_offered_after_a_code_sign_in_until_dismissed(client, shopper):
    page = _code_sign_in(client, shopper).content.decode()
    assert "Sign in faster next time: add a passkey" in page
    dismissed = client.post(reverse("portal:passkey-offer-dismiss"), {"next": "/account/orders/"}, follow=True)
    assert dismissed.redirect_chain[-1][0] == "/account/orders/"
    assert "Sign in faster next time" not in dismissed.content.decode()


@pytest.mark.django_db(transaction=True)  # the code goes out once its transaction commits
def test_no_offer_to_an_account_with_a_passkey_and_adding_one_ends_it(client, shopper):
    page = _code_sign_in(client, shopper).content.decode()
    assert "Sign in faster next time" in page
    add(client)
    assert "Sign in faster next time" not in client.get(reverse("portal:dashboard")).content.decode()
    client.post(reverse("portal:sign-out"))
    mail.outbox.clear()
    assert "Sign in faster next time" not in _code_sign_in(client, shopper).content.decode()


def test_support_sees_the_shoppers_passkeys_but_no_key(staff_client, shopper):
    Passkey.objects.create(user=shopper, credential_id="Q1JFRA", public_key=b"\x01secret-key", name="Meera's phone")
    page = staff_client("Support").get(f"/admin/accounts/user/{shopper.pk}/change/").content.decode()
    assert "Meera&#x27;s phone" in page
    assert "Q1JFRA" not in page and "secret-key" not in page


def test_the_json_doors_need_the_csrf_token(shopper):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert post_json(browser, "portal:sign-in-passkey-options").status_code == 403
    assert (
        post_json(browser, "portal:sign-in-passkey", {"challenge_key": "A" * 43, "credential": {}}).status_code == 403
    )
    browser.force_login(shopper)
    assert post_json(browser, "portal:passkey-add-options").status_code == 403
