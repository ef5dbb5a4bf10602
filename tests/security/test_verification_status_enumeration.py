"""Issue 27.4: `POST /auth/verified-email-phone` (the SDK's check-verification-status) must not
tell a stranger whether an address has an account, by the registration's rule (issue 16.5).

It answers only about the caller's own account: a signed-in shopper learns which of the given
addresses are their own verified ones; an address of someone else's account is answered like an
address nobody has, and a guest (or no token) always gets empty lists.
"""

import pytest

from accounts.api.serializers import MAX_ADDRESSES_CHECKED
from common.testing import API, assert_error

pytestmark = pytest.mark.django_db

PATH = f"{API}/auth/verified-email-phone"


def check(client, **body):
    return client.post(PATH, body, format="json")


def test_the_shopper_learns_about_their_own_addresses(client_for, shopper):
    response = check(
        client_for(shopper),
        email=["SHOPPER@example.com", "someone@example.com"],
        phone=["+91 91234 56780", "9000000001", "not a phone"],
    )
    assert response.status_code == 200
    assert response.json() == {
        "message": "OK",
        "success": True,
        "content": {"verified_phone": ["+91 91234 56780"], "verified_email": ["SHOPPER@example.com"]},
    }


def test_an_unverified_own_address_is_not_listed(client_for, make_user):
    user = make_user(email="half@example.com", phone="9000000077", is_phone_verified=True)
    content = check(client_for(user), email=["half@example.com"], phone=["9000000077"]).json()["content"]
    assert content == {"verified_phone": ["9000000077"], "verified_email": []}


@pytest.mark.parametrize("who", ["nobody", "guest", "other shopper"])
def test_a_known_address_answers_like_an_unknown_one(api, client_for, shopper, other_shopper, who):
    caller = {"nobody": api, "guest": client_for(None), "other shopper": client_for(other_shopper)}[who]
    known = check(caller, email=[shopper.email], phone=[shopper.phone])
    unknown = check(caller, email=["newcomer@example.com"], phone=["9000000001"])
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known.json()["content"] == {"verified_phone": [], "verified_email": []}


def test_bad_input_is_a_clear_400(client_for, shopper):
    client = client_for(shopper)
    too_many = [f"a{i}@example.com" for i in range(MAX_ADDRESSES_CHECKED + 1)]
    assert_error(check(client, email=too_many), 400, "validation_error")
    assert_error(check(client, email="shopper@example.com"), 400, "validation_error")  # not a list
    assert_error(check(client, email=["shop\x00per@example.com"]), 400, "bad_request")
    assert_error(check(client, phone=["9" * 500]), 400, "validation_error")
    assert check(client).json()["content"] == {"verified_phone": [], "verified_email": []}


def test_it_is_rate_limited_like_the_other_auth_endpoints(api, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    # DRF reads the rates once at import; a low limit for this test only.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min", "anonymous": "120/min"})
    assert [check(api, email=["a@example.com"]).status_code for _ in range(2)] == [200, 200]
    assert_error(check(api, email=["a@example.com"]), 429, "throttled")
