"""Statement pins for the shopper's writes on an order (issue #28): cancel and ask for a return,
through the API and the website. Each reads the order once, locked, with what its answer shows
(orders.services.order_lock_for_customer), and runs at most 15 statements.

The counts are what the test database sees, savepoints included: the test runs inside a
transaction, so the request's own transaction is a SAVEPOINT/RELEASE pair here (BEGIN/COMMIT in
production, which Django does not log). They are the same on SQLite and PostgreSQL (where the
order's four reads go in one round trip, common.sqlrows.fetch_sets).

Before this change (same scenarios, SQLite and PostgreSQL alike), statements and reads of the
order: API cancel 33/3 (with points), 35/3 (prepaid), 30/3 (unpaid); API return 23/2; website
cancel 38/2, website return 25/2.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.testing import API
from loyalty.models import LoyaltyAccount
from loyalty.services import points_adjust
from notifications.models import Message
from orders.models import Order, OrderReturn, Refund

from .factories import delivered, place

pytestmark = pytest.mark.django_db

MAX_STATEMENTS = 15
CANCEL = {"cancellation_reason": "Changed my mind", "refund_mode": "original-payment-mode"}


def _run(call):
    """The statements of one request. The client has made one before (the shopper looked at the
    order first), so what any request costs the first time (the API's session lookup, cached
    after) is not counted: the pins are the write's."""
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, [q["sql"] for q in queries.captured_queries]


def _order_reads(statements) -> list[str]:
    """The statements whose own FROM is the orders table (not those naming it in a subquery)."""
    table = connection.ops.quote_name(Order._meta.db_table)
    return [s for s in statements if s.startswith("SELECT") and s.split(" FROM ", 1)[1].startswith(table)]


def _assert_read_once_locked(statements):
    reads = _order_reads(statements)
    assert len(reads) == 1, reads
    if connection.features.has_select_for_update:
        assert reads[0].endswith(" FOR UPDATE OF o"), reads[0]


def _pin(statements, expected):
    assert len(statements) == expected, "\n".join(statements)
    assert expected <= MAX_STATEMENTS


def test_api_cancel_of_a_prepaid_order_with_points_refunds_in_14_statements(client_for, shopper):
    """The worst case: money refunded and redeemed points given back (locked with the order's
    ledger in one statement, the entry and the balance in two)."""
    points_adjust(customer=shopper, points=300, remarks="gift")
    order = place(shopper, points=200)
    api = client_for(shopper)
    api.get(f"{API}/orders/{order.number}")
    response, statements = _run(lambda: api.post(f"{API}/orders/{order.number}/cancel", CANCEL, format="json"))
    assert response.status_code == 200, response.content
    _pin(statements, 14)
    _assert_read_once_locked(statements)
    # The answer, built from the order as the cancellation left it, is what a fresh read shows.
    answered = response.json()["content"]["order"]
    fresh = api.get(f"{API}/orders/{order.number}").json()["content"]["order"]
    assert answered == fresh
    assert answered["status"] == "cancelled" and len(answered["refunds"]) == 1
    assert LoyaltyAccount.objects.get(customer=shopper).points_balance == 300  # the 200 redeemed came back
    assert Message.objects.filter(user=shopper, event="order_cancelled").exists()


def test_api_cancel_of_a_prepaid_order_refunds_in_11_statements(client_for, shopper):
    order = place(shopper)
    api = client_for(shopper)
    api.get(f"{API}/orders/{order.number}")
    response, statements = _run(lambda: api.post(f"{API}/orders/{order.number}/cancel", CANCEL, format="json"))
    assert response.status_code == 200, response.content
    _pin(statements, 11)
    _assert_read_once_locked(statements)
    assert response.json()["content"]["order"] == api.get(f"{API}/orders/{order.number}").json()["content"]["order"]
    refund = Refund.objects.get(order=order)
    assert refund.amount == order.amount_paid and Order.objects.get(pk=order.pk).has_refund


def test_api_cancel_of_an_unpaid_order_closes_its_attempt_in_9_statements(client_for, shopper):
    order = place(shopper, outcome="pending")
    api = client_for(shopper)
    api.get(f"{API}/orders/{order.number}")
    response, statements = _run(lambda: api.post(f"{API}/orders/{order.number}/cancel", CANCEL, format="json"))
    assert response.status_code == 200, response.content
    _pin(statements, 9)
    _assert_read_once_locked(statements)
    answered = response.json()["content"]["order"]
    assert answered == api.get(f"{API}/orders/{order.number}").json()["content"]["order"]
    assert [p["payment_status"] for p in answered["payments"]] == ["failed"] and answered["refunds"] == []
    assert not Order.objects.get(pk=order.pk).has_refund


def test_api_return_create_in_12_statements(client_for, shopper):
    order = delivered(shopper, quantities=(2, 1))
    first = order.items.all()[0]
    api = client_for(shopper)
    api.get(f"{API}/orders/{order.number}")
    body = {
        "return_items": [
            {"product_id": first.product_ref, "quantity": 1, "resolution": "refund", "return_reason": "Too small"}
        ]
    }
    response, statements = _run(lambda: api.post(f"{API}/orders/{order.number}/returns", body, format="json"))
    assert response.status_code == 200, response.content
    _pin(statements, 12)
    _assert_read_once_locked(statements)
    created = response.json()["content"]["order_return"]
    fresh = api.get(f"{API}/orders/{order.number}/returns/{created['request_number']}").json()
    assert created == fresh["content"]["order_return"]
    assert created["items"][0]["shipment_number"] == order.shipments.get().reference_number


def test_website_cancel_in_13_statements(signed_in, shopper):
    order = place(shopper)
    signed_in.get(f"/account/orders/{order.number}/")
    response, statements = _run(lambda: signed_in.post(f"/account/orders/{order.number}/cancel/", CANCEL))
    assert response.status_code == 302, response.content
    _pin(statements, 13)  # the browser's user comes with its session (accounts.websessions)
    _assert_read_once_locked(statements)
    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_website_return_create_in_14_statements(signed_in, shopper):
    order = delivered(shopper, quantities=(2, 1))
    first = order.items.all()[0]
    data = {f"qty_{first.pk}": "1", "return_reason": "Wrong item", "resolution": "refund"}
    signed_in.get(f"/account/orders/{order.number}/return/")
    response, statements = _run(lambda: signed_in.post(f"/account/orders/{order.number}/return/", data))
    assert response.status_code == 302, response.content
    _pin(statements, 14)
    _assert_read_once_locked(statements)
    assert OrderReturn.objects.get(order=order).items.get().quantity == 1


# --- the one read's lock ---------------------------------------------------------------------


def test_the_locked_read_lapses_with_its_transaction(shopper):
    from django.db import transaction

    from orders import services
    from orders.locking import lock_held
    from orders.services.base import lock_order

    order = place(shopper)
    with pytest.raises(RuntimeError), transaction.atomic():
        locked = services.order_lock_for_customer(customer=shopper, number=order.number)
        assert lock_held(locked)
        with CaptureQueriesContext(connection) as queries:
            assert lock_order(locked) is locked  # taken as it is: no second read
        assert not queries.captured_queries
        raise RuntimeError("rolled back")
    # Rolled back, the lock is gone (PostgreSQL gives up a savepoint's locks): the order is read
    # and locked again rather than trusted.
    assert not lock_held(locked)
    with CaptureQueriesContext(connection) as queries:
        assert lock_order(locked) is not locked
    assert len(queries.captured_queries) == 1 and "orders_order" in queries.captured_queries[0]["sql"]


def test_another_shoppers_order_is_404_and_nothing_is_written(client_for, shopper, other_shopper):
    theirs = place(other_shopper)
    mine = client_for(shopper)
    for suffix, body in (("/cancel", CANCEL), ("/returns", {"return_items": []})):
        response = mine.post(f"{API}/orders/{theirs.number}{suffix}", body, format="json")
        assert response.status_code == 404
    assert Order.objects.get(pk=theirs.pk).status == "confirmed" and not Refund.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_locked_read_needs_a_transaction(shopper):
    from django.db.transaction import TransactionManagementError

    from orders import services

    order = place(shopper)
    with pytest.raises(TransactionManagementError):  # autocommit: the lock would end with the read
        services.order_lock_for_customer(customer=shopper, number=order.number)


@pytest.mark.requires_service("postgresql")
@pytest.mark.django_db(transaction=True)
def test_the_one_read_locks_the_order_until_the_write_ends(shopper):
    """FOR UPDATE OF o: another transaction cannot lock the order while a cancel holds it."""
    import threading

    from django.db import DatabaseError, connections, transaction

    from orders import services

    order = place(shopper)
    seen = []

    def other_request():
        try:
            with transaction.atomic():
                Order.objects.select_for_update(nowait=True).get(pk=order.pk)
            seen.append("free")
        except DatabaseError:
            seen.append("locked")
        finally:
            connections.close_all()

    def in_another_thread():
        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join()

    with transaction.atomic():
        services.order_lock_for_customer(customer=shopper, number=order.number)
        in_another_thread()
    in_another_thread()
    assert seen == ["locked", "free"]
