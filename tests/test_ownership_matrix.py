"""Every API route that names a shopper or a shopper's object, walked from the URL conf: called
by another shopper with the first one's ids, for every method it answers, it is 403 or 404 and
nothing changes. The shopper may be named in the path (`{user_id}`), the query (`?user_id=`) or
the body (`user_id`): one permission, `common.permissions.IsOwner`, checks all three. A new route
is covered without anyone remembering to add it here."""

from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Passkey, User
from catalog.models import WishlistItem
from catalog.services import wishlist_add
from customers.documents import document_create, kyc_document_list, kyc_documents_seed
from customers.models import Address, BankAccount, Document
from loyalty.models import PointsEntry
from loyalty.services import points_adjust
from orders import services as orders
from orders.models import Order, OrderReturn, Payment, Refund
from orders.tests.factories import delivered, place, verified_bank_account
from reviews.models import Review

OWNED_PARAMS = {
    "user_id",
    "id",
    "customer_id",
    "order_number",
    "address_id",
    "return_ref",
    "account_id",
    "document_id",
    "passkey_id",
}
API_PREFIX = "api/v1/storefront/"


def api_routes(names_owned_data=lambda pattern, view: bool(OWNED_PARAMS & set(pattern.converters))):
    """(route template, view class) for every API route with a parameter naming owned data."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                view = getattr(entry.callback, "view_class", None)
                if (
                    route.startswith(API_PREFIX)
                    and not route.endswith("/")
                    and view is not None
                    and names_owned_data(entry.pattern, view)
                ):
                    found.append((route, view))

    walk(get_resolver().url_patterns, "")
    return found


ROUTES = api_routes()


def test_the_walk_finds_the_routes():
    routes = {route for route, _ in ROUTES}
    assert len(routes) >= 20
    assert "api/v1/storefront/orders/<str:order_number>/cancel" in routes
    assert "api/v1/storefront/customers/<ulid:user_id>/bank-accounts/<ulid:account_id>" in routes


def _snapshot():
    tables = (
        User,
        Address,
        BankAccount,
        Document,
        Order,
        OrderReturn,
        Payment,
        Refund,
        PointsEntry,
        Review,
        WishlistItem,
        Passkey,
    )
    return {model.__name__: sorted(map(str, model.objects.values_list())) for model in tables}


@pytest.fixture
def victim_data(shopper):
    order = delivered(shopper, quantities=(1, 1))
    order_return = orders.return_create(
        order=order,
        lines=[orders.ReturnRequestLine(order_item=order.items.first(), quantity=1, reason="x", resolution="refund")],
    )
    place(shopper, outcome="failed")
    account = verified_bank_account(shopper)
    points_adjust(customer=shopper, points=10, remarks="x")
    kyc_documents_seed()
    pan_type = kyc_document_list().get(document_type="pan")
    document = document_create(customer=shopper, kyc_document_id=pan_type.id, document_number="ABCPE1234F")
    wishlist_add(customer=shopper, product_id=order.items.first().product_id)
    passkey = Passkey.objects.create(user=shopper, credential_id="AAAA", public_key=b"key", name="Phone")
    return {
        "user_id": shopper.id,
        "id": shopper.id,
        "customer_id": shopper.id,
        "order_number": order.number,
        "address_id": shopper.addresses.first().id,
        "return_ref": order_return.request_number,
        "account_id": account.id,
        "document_id": document.id,
        "passkey_id": passkey.id,
    }


BODIES = {
    "post": {
        "cancellation_reason": "x",
        "refund_mode": "original-payment-mode",
        "reason": "x",
        "return_items": [{"product_id": "x", "quantity": 1, "resolution": "refund", "return_reason": "x"}],
        "rating": 5,
        "review_text": "x",
    },
    "put": {"first_name": "Mallory", "city": "Nowhere", "bank_name": "Evil", "newsletter": {"email": True}},
}


@pytest.mark.django_db
@pytest.mark.parametrize("route, view", ROUTES, ids=[r for r, _ in ROUTES])
def test_another_shopper_gets_403_or_404_and_changes_nothing(route, view, victim_data, other_shopper, client_for):
    url = "/" + route
    for name in OWNED_PARAMS:
        for converter in ("ulid", "str"):
            url = url.replace(f"<{converter}:{name}>", str(victim_data[name]))
    assert "<" not in url, url
    intruder = client_for(other_shopper)
    before = _snapshot()
    methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
    assert methods
    for method in methods:
        body = BODIES.get(method)
        response = getattr(intruder, method)(url, body, format="json") if body else getattr(intruder, method)(url)
        assert response.status_code in (403, 404), (method, url, response.status_code, response.content[:200])
        assert response.json()["success"] is False
    assert _snapshot() == before


# --- the shopper named in the query or the body ------------------------------------------------

BODY_METHODS = ("post", "put", "patch")
QUERY_OR_BODY_ROUTES = api_routes(
    lambda pattern, view: bool(getattr(view, "owner_query_param", None) or getattr(view, "owner_body_field", None))
)


def test_the_walk_finds_the_query_and_body_forms():
    routes = {route for route, _ in QUERY_OR_BODY_ROUTES}
    assert {"api/v1/storefront/orders", "api/v1/storefront/catalog/products/<str:product_id>/reviews"} <= routes


def _naming(view, method: str, user_id: str) -> tuple[dict, dict | None]:
    """The query and body of a request that names `user_id` where `view` reads its shopper."""
    query = {view.owner_query_param: user_id} if getattr(view, "owner_query_param", None) else {}
    body = BODIES.get(method)
    if getattr(view, "owner_body_field", None) and method in BODY_METHODS:
        body = {**(body or {}), view.owner_body_field: user_id}
    return query, body


def _call(client, method: str, url: str, query: dict, body: dict | None):
    if method == "get":
        return client.get(url, query)
    return getattr(client, method)(f"{url}?{urlencode(query)}" if query else url, body, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize("route, view", QUERY_OR_BODY_ROUTES, ids=[r for r, _ in QUERY_OR_BODY_ROUTES])
def test_another_shoppers_id_in_the_query_or_body_is_403_and_changes_nothing(
    route, view, victim_data, other_shopper, client_for
):
    # The intruder received the product too, so only the id they give can make it a refusal.
    product = delivered(other_shopper, quantities=(1,)).items.get().product
    url = "/" + route.replace("<str:product_id>", product.pk)
    assert "<" not in url, url
    intruder = client_for(other_shopper)
    # The methods whose requests name a shopper: all of them with a query parameter, those with a
    # body with a body field (the public GET of a product's reviews names nobody).
    named = [
        m
        for m in ("get", "post", "put", "patch", "delete")
        if hasattr(view, m)
        and (
            getattr(view, "owner_query_param", None) or (getattr(view, "owner_body_field", None) and m in BODY_METHODS)
        )
    ]
    assert named
    before = _snapshot()
    for method in named:
        response = _call(intruder, method, url, *_naming(view, method, victim_data["user_id"]))
        assert response.status_code == 403 and response.json()["code"] == "forbidden", (method, url, response.content)
    assert _snapshot() == before
    for method in named:  # their own id: the same request goes through
        response = _call(intruder, method, url, *_naming(view, method, other_shopper.id))
        assert response.status_code == 200, (method, url, response.content[:300])


QUERY_ROUTES = [(route, view) for route, view in QUERY_OR_BODY_ROUTES if getattr(view, "owner_query_param", None)]


@pytest.mark.django_db
@pytest.mark.parametrize("route, view", QUERY_ROUTES, ids=[r for r, _ in QUERY_ROUTES])
def test_a_query_that_names_no_shopper_is_a_validation_error(route, view, shopper, client_for):
    response = client_for(shopper).get("/" + route)
    assert response.status_code == 400 and view.owner_query_param in response.json()["errors"]
