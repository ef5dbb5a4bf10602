"""OrderFilter: the one FilterSet of the order history, for GET /orders and the website's page."""

import pytest
from django.http import QueryDict

from common.exceptions import InvalidInput
from common.testing import API, assert_error
from orders.filters import OrderFilter
from orders.models import OrderStatus
from orders.selectors import OrderHistory

from .factories import delivered, place, shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(shopper, other_shopper):
    """Orders in four statuses, and another shopper's that no filter may show."""
    place(other_shopper)
    return {
        "pending": place(shopper, outcome="failed"),
        "confirmed": place(shopper),
        "shipped": shipped(shopper),
        "delivered": delivered(shopper),
    }


@pytest.mark.parametrize(
    ("query", "statuses"),
    [
        ("", {"pending", "confirmed", "shipped", "delivered"}),
        ("status=shipped", {"shipped"}),
        ("status=pending&status=shipped", {"pending", "shipped"}),
        ("status[]=pending&status[]=delivered", {"pending", "delivered"}),
        ("status=confirmed,shipped", {"confirmed", "shipped"}),
        ("status=pending&status[]=confirmed", {"pending", "confirmed"}),
        ("status=cancelled", set()),
    ],
)
def test_the_selectors_show_the_orders_of_the_statuses_asked(shopper, history, query, statuses):
    expected = {history[status].id for status in statuses}
    orders = OrderHistory(customer=shopper, **OrderFilter(QueryDict(query)).selector_kwargs())
    assert {row["id"] for row in orders[0:50]} == expected and orders.count() == len(expected)


def test_it_filters_no_queryset_the_selectors_are_the_one_place():
    with pytest.raises(TypeError, match="selector_kwargs"):
        _ = OrderFilter(QueryDict("search=tea")).qs


def test_each_status_once_in_the_order_given():
    assert OrderFilter(QueryDict("status=shipped&status[]=pending,shipped")).selector_kwargs() == {
        "statuses": ["shipped", "pending"]
    }
    assert OrderFilter(QueryDict("page=2")).selector_kwargs() == {"statuses": None}


def test_an_unknown_status_is_a_validation_error_naming_the_field():
    with pytest.raises(InvalidInput) as exc:
        OrderFilter(QueryDict("status=shipped&status=lost")).selector_kwargs()
    assert exc.value.errors == {"status": ["Unknown value lost."]}


def test_the_api_filters_through_it(client_for, shopper, history):
    client = client_for(shopper)
    found = client.get(f"{API}/orders", {"user_id": shopper.id, "status": "confirmed,delivered"}).json()
    assert {o["order_number"] for o in found["content"]["orders"]} == {
        history["confirmed"].number,
        history["delivered"].number,
    }
    body = assert_error(
        client.get(f"{API}/orders", {"user_id": shopper.id, "status[]": "lost"}), 400, "validation_error"
    )
    assert body["errors"] == {"status": ["Unknown value lost."]}


def test_the_website_filters_through_it_and_ignores_a_hand_edited_status(client, shopper, history):
    client.force_login(shopper)
    page = client.get("/account/orders/?status=shipped,delivered").content.decode()
    assert history["shipped"].number in page and history["delivered"].number in page
    assert history["confirmed"].number not in page
    page = client.get("/account/orders/?status=lost,shipped").content.decode()
    assert all(order.number in page for order in history.values())


def test_the_schema_documents_the_status_filter_from_it(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    parameters = schema["paths"]["/api/v1/storefront/orders"]["get"]["parameters"]
    status = next(p for p in parameters if p["name"] == "status")
    assert status == {
        "in": "query",
        "name": "status",
        "description": "Repeat for several values; `status[]` works too.",
        "schema": {"type": "array", "items": {"type": "string", "enum": sorted(OrderStatus.values)}},
    }
