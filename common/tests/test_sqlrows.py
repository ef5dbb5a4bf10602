"""common.sqlrows against the ORM itself: what it reads, and the Django internals it leans on.

If a Django upgrade changes how the ORM converts a column or where prefetch_related keeps its
results, these fail by name, before any hand-written read gives a wrong answer.
"""

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from accounts.models import AuthSession, User
from accounts.tokens import session_start
from common.sqlrows import Columns, attach, table
from customers.models import Address, BankAccount
from orders.models import Order, OrderItem, Payment, Refund, Shipment, ShipmentItem
from orders.tests.factories import delivered, orders_in_every_state

pytestmark = pytest.mark.django_db

# Every model whose rows a hand-written read builds (orders.selectors, accounts.tokens), with
# JSON, decimals, datetimes, booleans, nullable foreign keys and choices among their columns.
READ_BY_HAND = (Order, OrderItem, Shipment, ShipmentItem, Payment, Refund, BankAccount, AuthSession, User, Address)


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _select(model, columns: Columns) -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql} FROM {table(connection, model)} t "
            f"ORDER BY {columns.column(connection, model._meta.pk.name)}"
        )
        return cursor.fetchall()


def test_columns_read_every_model_as_the_orm_does(shopper):
    orders_in_every_state(shopper)
    session_start(user=shopper)
    session_start(user=None)
    for model in READ_BY_HAND:
        columns = Columns(connection, model, "t")
        lines = _select(model, columns)
        expected = list(model.objects.order_by("pk"))
        assert lines and len(lines) == len(expected), model
        for line, obj in zip(lines, expected, strict=True):
            built = columns.instance(line, connection)
            assert type(built) is model and _fields(built) == _fields(obj), model
            assert built._state.db == connection.alias and built._state.adding is False


def test_columns_read_chosen_fields_into_rows_by_attribute_name(shopper):
    orders_in_every_state(shopper)
    names = (
        "id",
        "customer_id",
        "number",
        "grand_total",
        "order_date",
        "payment_success_date",
        "has_refund",
        "billing_address",
        "metadata",
    )
    columns = Columns(connection, Order, "t", names)
    assert columns.width == len(names)
    rows = [columns.row(line, connection) for line in _select(Order, columns)]
    assert rows == list(Order.objects.order_by("pk").values(*names))


def test_columns_give_none_for_the_empty_side_of_an_outer_join(shopper):
    guest = session_start(user=None).session
    sessions, users = Columns(connection, AuthSession, "s"), Columns(connection, User, "u")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sessions.sql}, {users.sql} FROM {table(connection, AuthSession)} s LEFT JOIN "
            f"{table(connection, User)} u ON {users.column(connection, 'id')} = {sessions.column(connection, 'user')} "
            f"WHERE {sessions.column(connection, 'id')} = %s",
            [guest.pk],
        )
        line = cursor.fetchone()
    assert sessions.instance(line[: sessions.width], connection).pk == guest.pk
    assert users.instance(line[sessions.width :], connection) is None
    with pytest.raises(ValueError):
        Columns(connection, User, "u", ["email"]).instance(["x@example.com"], connection)


def test_prefetch_related_keeps_its_results_where_attach_puts_them(shopper):
    """attach() writes the attributes prefetch_related writes; this reads them off the real one."""
    order = delivered(shopper)
    prefetched = Order.objects.prefetch_related("items").get(pk=order.pk)
    cached = prefetched._prefetched_objects_cache[OrderItem._meta.get_field("order").remote_field.cache_name]
    assert isinstance(cached, QuerySet)
    assert cached._result_cache == list(order.items.all()) and cached._prefetch_done is True
    assert prefetched.items.all() is cached


def test_attached_objects_answer_like_prefetched_ones(shopper):
    first = delivered(shopper, quantities=(2, 1))
    delivered(shopper)  # another order's items: a relation that lost its scope would show them
    order = Order.objects.get(pk=first.pk)
    items = list(OrderItem.objects.filter(order=order).order_by("pk"))
    attached = attach(order, "items", items)
    with CaptureQueriesContext(connection) as ctx:
        assert attached == items and list(order.items.all()) == items
        assert order.items.count() == 2 and order.items.exists() and len(order.items.all()) == 2
        assert all(item.order is order for item in order.items.all())
        prefetch_related_objects([order], "items")  # seen as done: no query
    assert ctx.captured_queries == []
    assert list(order.items.filter(quantity=2).values_list("order_id", flat=True)) == [first.pk]
    attach(order, "shipments", [])
    with CaptureQueriesContext(connection) as ctx:
        assert list(order.shipments.all()) == [] and not order.shipments.exists()
    assert ctx.captured_queries == []


def test_a_prepared_cursor_is_logged_and_prepared_once_on_postgresql():
    """common.sqlrows.prepared_cursor: its statements show in Django's query log (so the query
    pins count them) and, on PostgreSQL, are planned once per connection after a few runs."""
    from common.sqlrows import prepared_cursor

    sql = f"SELECT COUNT(*) FROM {table(connection, User)} WHERE {connection.ops.quote_name('email')} = %s"
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(6):
            with prepared_cursor(connection) as cursor:
                cursor.execute(sql, ["nobody@example.com"])
                assert cursor.fetchone() == (0,)
    assert len(ctx.captured_queries) == 6
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        assert any('WHERE "email" = $1' in statement for statement in prepared), prepared


def test_fetch_sets_sends_its_statements_together_and_prepared_on_postgresql(monkeypatch):
    """common.sqlrows.fetch_sets: every statement's rows, in order, logged like any query; on
    PostgreSQL all of them inside one pipeline (one round trip), bound on the server."""
    from common.sqlrows import fetch_sets

    sql = f"SELECT COUNT(*) FROM {table(connection, User)} WHERE {connection.ops.quote_name('email')} = %s"
    other = f"SELECT %s, COUNT(*) FROM {table(connection, AuthSession)}"
    pipelines = []
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        real = connection.connection.pipeline

        def spy():
            pipelines.append(1)
            return real()

        monkeypatch.setattr(connection.connection, "pipeline", spy)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(6):
            assert fetch_sets(connection, [(sql, ["nobody@example.com"]), (other, ["x"])]) == [[(0,)], [("x", 0)]]
    assert len(ctx.captured_queries) == 12
    if connection.vendor == "postgresql":
        assert len(pipelines) == 6
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        assert any('WHERE "email" = $1' in statement for statement in prepared), prepared
