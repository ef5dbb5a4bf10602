"""Bulk seeding for the benchmark stays reachable through `seed_demo`, with its deep shopper."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from common.testing import API
from orders.models import Order
from reviews.selectors import ready_for_review

# VACUUM (after a COPY on PostgreSQL) cannot run inside the transaction of an ordinary test.
pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_writes_bulk_shoppers_and_the_deep_one(settings, api):
    settings.DEBUG = True
    out = StringIO()
    call_command(
        "seed_demo",
        "--customers",
        "3",
        "--orders-per-customer",
        "4",
        "--deep-orders",
        "10",
        stdout=out,
        stderr=StringIO(),
    )
    assert "Bulk data: 3 customers, 18 orders" in out.getvalue()

    deep = User.objects.get(email="bench-0@example.com")
    assert Order.objects.filter(customer=deep).count() == 10
    assert Order.objects.filter(customer__email="bench-2@example.com").count() == 4
    for order in Order.objects.filter(number__startswith="ORD-U"):
        assert order.grand_total == order.subtotal_including_tax + order.shipping_amount_including_tax
        assert order.items.count() == order.order_items_count == 2
    assert ready_for_review(customer=deep)  # received products are stored after the load

    # The benchmark signs in as the deep shopper and reads their history through the API.
    login = api.post(
        f"{API}/auth/login/password", {"email": "bench-0@example.com", "password": "bench-pass-123"}, format="json"
    )
    assert login.status_code == 200, login.json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['content']['access_token']}")
    listed = api.get(f"{API}/orders", {"user_id": deep.id, "limit": 5}).json()["content"]
    assert listed["pagination"]["total_records"] == 10 and len(listed["orders"]) == 5
    number = listed["orders"][0]["order_number"]
    assert api.get(f"{API}/orders/{number}").json()["content"]["order"]["order_number"] == number
