"""Every page of "My Account" runs a fixed number of SQL statements (issue 28), whatever the size
of the shopper's history: each page is counted for the demo shopper (seed_demo: orders in every
state, addresses, rewards, a review, messages, and the factories' orders in every state with
returns), then again after twenty more orders (placed, failed, shipped, delivered, completed), and both counts must equal the pin. A statement per row (an N+1) would fail the second.

The counts are of a signed-in page once its session is in the cache: the user comes with the
session's row (accounts.websessions), so a page's statements are its own. The profile reads the
password hash (whether there is one to change), which no other page does."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications.models import Message
from orders.models import Order, OrderReturn, OrderStatus
from orders.tests.factories import completed, delivered, orders_in_every_state, place, shipped

pytestmark = pytest.mark.django_db

# page: statements (signed in, session cached)
PINS = {
    "dashboard": 7,
    "orders": 8,  # the "Buy it again" strip's products come from the cache; what is still sold does not
    "orders page 2": 7,
    "orders searched": 7,
    "order": 7,
    "order with a return": 12,
    "return": 10,
    "invoice": 6,
    "addresses": 2,
    "business": 2,
    "wishlist": 1,
    "rewards": 6,
    "reviews": 5,  # each list: its page and its count
    "messages": 2,
    "message": 2,
    "profile": 2,  # has_usable_password(): the deferred password hash
}


def _pages(user) -> dict[str, str]:
    orders = Order.objects.filter(customer=user).order_by("-order_date")
    returned = OrderReturn.objects.filter(order__customer=user).select_related("order").order_by("-created_at").first()
    message = Message.objects.filter(user=user).order_by("-created_at").first()
    return {
        "dashboard": "/account/",
        "orders": "/account/orders/",
        "orders page 2": "/account/orders/?page=2",
        "orders searched": "/account/orders/?search=ORD",
        "order": f"/account/orders/{orders.first().number}/",
        "order with a return": f"/account/orders/{returned.order.number}/",
        "return": f"/account/orders/{returned.order.number}/returns/{returned.request_number}/",
        "invoice": f"/account/orders/{orders.filter(status=OrderStatus.DELIVERED).first().number}/invoice/",
        "addresses": "/account/addresses/",
        "business": "/account/business/",
        "wishlist": "/account/wishlist/",
        "rewards": "/account/rewards/",
        "reviews": "/account/reviews/",
        "messages": "/account/messages/",
        "message": f"/account/messages/{message.pk}/",
        "profile": "/account/profile/",
    }


def _counts(client, pages) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        first = client.get(url)  # the session reaches the cache; lazily built state settles
        assert first.status_code == 200, (name, url, first.status_code)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries.captured_queries)
    return counts


def test_every_page_runs_its_pinned_statements_for_a_short_and_a_long_history(settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example.com/products/{slug}"  # the history's strip on
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # production's (REDIS_URL set)
    call_command("seed_demo", force=True, verbosity=0)
    user = User.objects.get(email="demo@example.com")
    orders_in_every_state(user)  # returns, refunds, partial shipments, a replacement
    client = Client()
    client.force_login(user)
    pages = _pages(user)  # the same orders, return and message both times
    short = _counts(client, pages)
    for _ in range(4):
        place(user, quantities=(2, 1))
        place(user, outcome="failed")
        shipped(user)
        delivered(user)
        completed(user)
    long = _counts(client, pages)
    assert long == short, "a page's statements grew with the history"
    assert short == PINS, repr(short)
