import pytest
from rest_framework.test import APIClient

from accounts.services import user_create
from accounts.tokens import session_start

API = "/api/v1/storefront"
PASSWORD = "correct-horse-42"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_user(db):
    def make(email="shopper@example.com", phone="9123456780", **fields):
        return user_create(password=fields.pop("password", PASSWORD), email=email, phone=phone, **fields)

    return make


@pytest.fixture
def shopper(make_user):
    return make_user(first_name="Meera", last_name="Nair", is_email_verified=True)


@pytest.fixture
def client_for():
    """An API client holding a fresh session's access token for `user` (None: a guest)."""

    def make(user):
        pair = session_start(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access_token}")
        client.pair = pair
        return client

    return make
