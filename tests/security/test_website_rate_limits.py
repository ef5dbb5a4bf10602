"""The website's sign-in, sign-up, code and password-reset forms count against the same
per-address limit as the API's auth endpoints (found attacking the production profile: 40
sign-ups from one address went through the pages in 11 s, and a victim's inbox could be filled
with reset emails)."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import OtpToken
from common.testing import API, PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 30  # AUTH_THROTTLE_RATE's default, 30/min


def register(client, n):
    return client.post(
        "/account/register/",
        {
            "identifier": f"bomb{n}@example.net",
            "password": "Very-long-pass-987!",
            "confirm_password": "Very-long-pass-987!",
        },
    )


def test_sign_ups_from_one_address_stop_at_the_limit():
    client = Client()
    statuses = [register(client, n).status_code for n in range(LIMIT)]
    assert 429 not in statuses
    refused = register(client, LIMIT)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert b"Too many attempts" in refused.content
    assert not OtpToken.objects.filter(target=f"bomb{LIMIT}@example.net").exists()
    # Another address still gets through: the limit is per client address.
    assert register(Client(REMOTE_ADDR="10.1.1.1"), 99).status_code != 429


def test_password_reset_emails_stop_at_the_limit(shopper):
    client = Client()
    for _ in range(LIMIT):
        client.post("/account/password-reset/", {"email": shopper.email})
    sent = len(mail.outbox)
    assert client.post("/account/password-reset/", {"email": shopper.email}).status_code == 429
    assert len(mail.outbox) == sent


def test_the_api_and_the_pages_share_one_budget(shopper):
    client = Client()
    for _ in range(LIMIT):
        client.post(
            f"{API}/auth/login/password", {"email": shopper.email, "password": "wrong"}, content_type="application/json"
        )
    assert client.post("/account/sign-in/", {"username": shopper.email, "password": PASSWORD}).status_code == 429
    # Pages only shown (GET) are not counted.
    assert client.get("/account/sign-in/").status_code == 200
