"""The hand-written SQL reads of orders.selectors give what the ORM gives, row for row."""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from orders.models import Order, OrderItem, OrderStatus, Refund, Shipment, ShipmentItem
from orders.selectors import (
    ORDER_ITEM_LIST_COLUMNS,
    ORDER_LIST_COLUMNS,
    ORDER_SORT_FIELDS,
    OrderHistory,
    order_get_for_customer,
    order_history_count,
    order_history_rows,
    orders_attach,
    orders_of_rows,
)

from .factories import delivered, orders_in_every_state, place

pytestmark = pytest.mark.django_db

# GET /orders' JSON is written by PostgreSQL there, and by Python elsewhere (common.jsonshape):
# comparing the two needs PostgreSQL (the one missing-service policy, common.testing).
requires_postgresql = pytest.mark.requires_service("postgresql")

ORDERINGS = [(f"-{field}",) for field in ORDER_SORT_FIELDS] + [(field,) for field in ORDER_SORT_FIELDS]
STATUS_FILTERS = [None, *([status] for status in OrderStatus.values), ["pending", "shipped", "cancelled"]]


def _orm_history(customer, statuses, ordering):
    tiebreak = "-pk" if ordering[-1].startswith("-") else "pk"
    orders = Order.objects.filter(customer=customer).order_by(*ordering, tiebreak)
    if statuses:
        orders = orders.filter(status__in=statuses)
    return orders


def test_history_rows_are_the_orms_for_every_sort_and_status_filter(shopper, other_shopper):
    orders_in_every_state(shopper)
    place(other_shopper)  # never in the shopper's rows
    for ordering in ORDERINGS:
        for statuses in STATUS_FILTERS:
            expected = _orm_history(shopper, statuses, ordering)
            rows = order_history_rows(customer=shopper, statuses=statuses, ordering=ordering, limit=100)
            case = (ordering, statuses)
            assert [{k: v for k, v in row.items() if k != "items"} for row in rows] == list(
                expected.values(*ORDER_LIST_COLUMNS)
            ), case
            for row in rows:
                assert row["items"] == list(
                    OrderItem.objects.filter(order_id=row["id"]).order_by("pk").values(*ORDER_ITEM_LIST_COLUMNS)
                ), case
            assert order_history_count(customer=shopper, statuses=statuses) == expected.count(), case
    assert {row["status"] for row in order_history_rows(customer=shopper, limit=100)} == set(OrderStatus.values)


def test_history_windows_and_the_websites_pages_are_slices_of_one_ordering(shopper):
    orders_in_every_state(shopper)
    numbers = list(_orm_history(shopper, None, ("grand_total",)).values_list("number", flat=True))
    pages = [
        order_history_rows(customer=shopper, ordering=("grand_total",), offset=offset, limit=7)
        for offset in range(0, len(numbers), 7)
    ]
    assert [row["number"] for page in pages for row in page] == numbers
    history = OrderHistory(customer=shopper, statuses=["delivered", "complete"])
    assert history.count() == 2 and [row["number"] for row in history[0:2]] == list(
        _orm_history(shopper, ["delivered", "complete"], ("-order_date",)).values_list("number", flat=True)
    )


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_detail_load_is_the_orms_prefetch_for_every_order_state(shopper, django_assert_num_queries):
    orm = Order.objects.prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("pk")),
        Prefetch(
            "shipments",
            queryset=Shipment.objects.prefetch_related(
                Prefetch("items", queryset=ShipmentItem.objects.select_related("order_item"))
            ),
        ),
        "payments",
        Prefetch("refunds", queryset=Refund.objects.select_related("bank_account")),
    )
    for expected in orm.filter(pk__in=[order.pk for order in orders_in_every_state(shopper)]):
        with django_assert_num_queries(4):  # one round trip on PostgreSQL (fetch_sets)
            loaded = order_get_for_customer(customer=shopper, number=expected.number)
        with django_assert_num_queries(0):
            assert _fields(loaded) == _fields(expected), expected.status
            for name in ("items", "payments", "refunds", "shipments"):
                assert [_fields(o) for o in getattr(loaded, name).all()] == [
                    _fields(o) for o in getattr(expected, name).all()
                ], (expected.status, name)
            for got, want in zip(loaded.shipments.all(), expected.shipments.all(), strict=True):
                assert [(_fields(si), _fields(si.order_item)) for si in got.items.all()] == [
                    (_fields(si), _fields(si.order_item)) for si in want.items.all()
                ]
            for got, want in zip(loaded.refunds.all(), expected.refunds.all(), strict=True):
                assert (got.bank_account and _fields(got.bank_account)) == (
                    want.bank_account and _fields(want.bank_account)
                )


def test_detail_load_keeps_relations_scoped(shopper):
    """The loaded relations behave like prefetched ones: no query to read them, and a filter on
    them still narrows to this order's rows."""
    first = delivered(shopper)
    delivered(shopper)  # another order, so that a filter that lost its scope would show
    item_count = first.items.count()
    order = order_get_for_customer(customer=shopper, number=first.number)
    with CaptureQueriesContext(connection) as ctx:
        shipments = list(order.shipments.all())
        shipment_items = list(shipments[0].items.all())
        assert shipments[0].order is order and shipment_items[0].shipment is shipments[0]
        assert {si.order_item.order_id for si in shipment_items} == {order.pk}
        assert len(order.items.all()) == item_count and order.payments.all()
    assert ctx.captured_queries == []
    assert set(order.items.filter(quantity__gte=1).values_list("order_id", flat=True)) == {first.pk}


def test_another_shoppers_order_is_not_found(shopper, other_shopper):
    from common.exceptions import NotFound

    theirs = place(other_shopper)
    for detail in (True, False):
        with pytest.raises(NotFound):
            order_get_for_customer(customer=shopper, number=theirs.number, detail=detail)


@requires_postgresql
def test_the_history_written_by_postgresql_is_what_python_writes(shopper):
    """GET /orders' JSON: on PostgreSQL the database writes it (one statement, common.jsonshape);
    Python writes the same shape from the same rows (as it does on other databases). The two
    compared on PostgreSQL, for every sort, status filter, search and window, with the edge cases
    of JSON and dates: quotes, backslashes and non-ASCII text, empty optional text (null), a
    missing date (null), whole-second and fractional timestamps, and a window past the end."""
    import json
    from datetime import UTC, datetime

    from common.jsonshape import to_python
    from common.pagination import parse_list_params
    from common.renderers import RawJSON
    from orders.selectors import ORDER_DEFAULT_SORT, ORDER_SORT_FIELDS, order_history_json
    from orders.shapes import ORDER_LIST_SHAPE

    orders = orders_in_every_state(shopper)
    Order.objects.filter(pk=orders[0].pk).update(
        order_date=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), customer_note='He said "ring twice" \\ ₹ नमस्ते'
    )
    Order.objects.filter(pk=orders[1].pk).update(
        order_date=datetime(2026, 1, 2, 3, 4, 5, 120, tzinfo=UTC), payment_success_date=None, customer_note=""
    )
    OrderItem.objects.filter(order=orders[2]).update(
        product_name="Tab\there \u2028 <b>", variant_name="", variant_id="", product_image_url="/media/p.webp"
    )
    OrderItem.objects.filter(order=orders[3]).update(variant_id="v-1", variant_name="Large")
    searches = [None, "product", orders[4].number[-6:].lower(), "nothing-like-this"]

    written = []
    for sort in [json.dumps({field: way}) for field in ORDER_SORT_FIELDS for way in ("asc", "desc")]:
        for statuses in STATUS_FILTERS:
            for search in searches:
                for page in (1, 2, 40):
                    params = parse_list_params(
                        {"sort_by": sort, "page": page, "limit": 7},
                        sort_fields=ORDER_SORT_FIELDS,
                        default_sort=ORDER_DEFAULT_SORT,
                    )
                    got, pagination = order_history_json(
                        customer=shopper, statuses=statuses, search=search, params=params
                    )
                    assert isinstance(got, RawJSON)
                    got = json.loads(got.text)
                    rows = order_history_rows(
                        customer=shopper,
                        statuses=statuses,
                        search=search,
                        ordering=tuple(params.ordering),
                        offset=params.offset,
                        limit=params.limit,
                    )
                    case = (sort, statuses, search, page)
                    assert got == [to_python(ORDER_LIST_SHAPE, row) for row in rows], case
                    assert pagination["total_records"] == order_history_count(
                        customer=shopper, statuses=statuses, search=search
                    ), case
                    written += got
    assert page == 40 and got == []
    # What the comparisons covered: every status, and both null and given for each optional member.
    assert {order["status"] for order in written} == set(OrderStatus.values)
    items = [item for order in written for item in order["order_items"]]
    for name in ("payment_success_date", "customer_note"):
        assert {order[name] is None for order in written} == {True, False}, name
    for name in ("variant_id", "variant_name", "product_image_url"):
        assert {item[name] is None for item in items} == {True, False}, name


@requires_postgresql
def test_postgresql_and_python_write_a_null_of_every_column_alike():
    """No column of the history's shape is nullable today but its dates; whichever becomes so,
    the two writers agree on it: null, whatever its kind."""
    import json

    from common.jsonshape import Field, columns, to_python, to_sql
    from common.sqlrows import column
    from orders.shapes import ORDER_ITEM_SHAPE, ORDER_LIST_SHAPE

    for model, shape in ((Order, ORDER_LIST_SHAPE), (OrderItem, ORDER_ITEM_SHAPE)):
        names = ("id", *columns(shape))
        nulls = ", ".join(
            f"NULL::{model._meta.get_field(name).db_type(connection)} AS {column(connection, model, name)}"
            for name in names
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {to_sql(shape, connection, model, 'o')}::text FROM (SELECT {nulls}) o")
            written = json.loads(cursor.fetchone()[0])
        assert written == to_python(shape, {**dict.fromkeys(names), "items": []}), model
        fields = {part.name for part in shape if isinstance(part, Field)}
        assert {value for name, value in written.items() if name in fields} == {None}, model


@requires_postgresql
def test_the_planner_expects_a_customer_to_have_many_orders():
    """Migration 0009: a generic plan of the history (GET /orders is a prepared statement)
    expects 200 orders per customer, not orders ÷ customers; at 1M orders that estimate made the
    count read the non-deduplicated orders_customer_total_idx (76 pages instead of 7)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attoptions FROM pg_attribute WHERE attrelid = 'orders_order'::regclass AND attname = 'customer_id'"
        )
        assert "n_distinct=-0.005" in cursor.fetchone()[0]


def test_a_pages_orders_from_its_rows_with_their_shipments_and_payments_are_the_orms(
    shopper, other_shopper, django_assert_num_queries
):
    """The history's shortcuts read the page's own rows as orders (orders_of_rows: the columns
    the history did not read are deferred) and their shipments and payments in two statements
    (orders_attach): what the ORM's prefetch gives, in its order, with
    the back reference set, and nothing of another order's."""
    orders_in_every_state(shopper)
    orders_in_every_state(other_shopper)
    rows = order_history_rows(customer=shopper, limit=50)
    with django_assert_num_queries(0):
        orders = orders_of_rows(rows)
    assert [o.pk for o in orders] == [row["id"] for row in rows]
    with django_assert_num_queries(2):  # one round trip on PostgreSQL (fetch_sets)
        orders_attach(orders)
    alone = orders_of_rows(rows)
    with django_assert_num_queries(1):
        orders_attach(alone, relations=("payments",))
    assert [[_fields(p) for p in o.payments.all()] for o in alone] == [
        [_fields(p) for p in o.payments.all()] for o in orders
    ]
    expected = Order.objects.prefetch_related("shipments", "payments").in_bulk([o.pk for o in orders])
    with django_assert_num_queries(0):
        for order in orders:
            want = expected[order.pk]
            for name in ORDER_LIST_COLUMNS:
                assert getattr(order, name) == getattr(want, name), name
            for relation in ("shipments", "payments"):
                assert [_fields(o) for o in getattr(order, relation).all()] == [
                    _fields(o) for o in getattr(want, relation).all()
                ], relation
            assert all(s.order is order for s in order.shipments.all())
    assert any(order.shipments.all() for order in orders) and any(order.payments.all() for order in orders)
    # A column the history does not read is loaded when asked, never guessed.
    assert orders[0].get_deferred_fields() and orders[0].billing_address == expected[orders[0].pk].billing_address
