"""Every API route that names a shopper's object, walked from the URL conf: called by another
shopper with the first one's ids, for every method it answers, it is 403 or 404 and nothing
changes. A new route is covered without anyone remembering to add it here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from customers.models import Address, BankAccount
from loyalty.models import PointsEntry
from loyalty.services import points_adjust
from orders import services as orders
from orders.models import Order, OrderReturn, Payment, Refund
from orders.tests.factories import delivered, place, verified_bank_account
from reviews.models import Review

OWNED_PARAMS = {"user_id", "id", "customer_id", "order_number", "address_id", "return_ref", "account_id"}
API_PREFIX = "api/v1/storefront/"


def api_routes():
    """(route template, view class) for every API route with a parameter naming owned data."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                view = getattr(entry.callback, "view_class", None)
                if (route.startswith(API_PREFIX) and not route.endswith("/") and view is not None
                        and OWNED_PARAMS & set(entry.pattern.converters)):
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
    tables = (User, Address, BankAccount, Order, OrderReturn, Payment, Refund, PointsEntry, Review)
    return {model.__name__: sorted(map(str, model.objects.values_list())) for model in tables}


@pytest.fixture
def victim_data(shopper):
    order = delivered(shopper, quantities=(1, 1))
    order_return = orders.return_create(order=order, lines=[orders.ReturnRequestLine(
        order_item=order.items.first(), quantity=1, reason="x", resolution="refund")])
    place(shopper, outcome="failed")
    account = verified_bank_account(shopper)
    points_adjust(customer=shopper, points=10, remarks="x")
    return {
        "user_id": shopper.id, "id": shopper.id, "customer_id": shopper.id, "order_number": order.number,
        "address_id": shopper.addresses.first().id, "return_ref": order_return.request_number,
        "account_id": account.id,
    }


BODIES = {
    "post": {"cancellation_reason": "x", "refund_mode": "original-payment-mode", "reason": "x",
             "return_items": [{"product_id": "x", "quantity": 1, "resolution": "refund", "return_reason": "x"}]},
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
