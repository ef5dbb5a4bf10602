"""The order history's days placed (`order_date_from`, `order_date_to`): days of the shop's
calendar, both included, applied once in the history's SQL for GET /orders and the website."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings

from common.exceptions import InvalidInput
from common.testing import API, assert_error, statements
from orders.filters import OrderFilter
from orders.models import Order
from orders.selectors import OrderHistory, _history_params, _history_span, _history_sql

from .factories import place, shipped

pytestmark = pytest.mark.django_db


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# Moments around the shop's (IST, UTC+5:30) midnights, and the shop day each falls on.
MOMENTS = {
    "3rd_last": at(2026, 12, 3, 18, 29, 59, 999999),  # 3 Dec, 11:59:59.999999 pm IST
    "4th_first": at(2026, 12, 3, 18, 30),  # 4 Dec, 12:00 am IST
    "5th_early": at(2026, 12, 4, 20, 0),  # 4 Dec in UTC, but 5 Dec, 1:30 am IST
    "5th_last": at(2026, 12, 5, 18, 29, 59, 999999),
    "6th_first": at(2026, 12, 5, 18, 30),
}


@pytest.fixture
def placed(shopper, other_shopper):
    """The shopper's orders at those moments (the 5th's early one shipped), and another
    shopper's on the same days, which no range may show."""
    for moment in MOMENTS.values():
        place(other_shopper, order_date=moment)
    orders = {name: place(shopper, order_date=moment) for name, moment in MOMENTS.items() if name != "5th_early"}
    orders["5th_early"] = shipped(shopper, order_date=MOMENTS["5th_early"])
    return orders


def history_numbers(client, shopper, query: str) -> tuple[set[str], int]:
    response = client.get(f"{API}/orders?user_id={shopper.id}&limit=50&{query}")
    assert response.status_code == 200, response.json()
    content = response.json()["content"]
    return {o["order_number"] for o in content["orders"]}, content["pagination"]["total_records"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", set(MOMENTS)),
        ("order_date_from=2026-12-05&order_date_to=2026-12-05", {"5th_early", "5th_last"}),
        ("order_date_from=2026-12-04&order_date_to=2026-12-04", {"4th_first"}),
        ("order_date_to=2026-12-04", {"3rd_last", "4th_first"}),
        ("order_date_from=2026-12-05", {"5th_early", "5th_last", "6th_first"}),
        ("order_date_from=2026-12-03&order_date_to=2026-12-06", set(MOMENTS)),
        ("order_date_from=2026-12-07", set()),
        ("order_date_from=0001-01-01&order_date_to=9999-12-31", set(MOMENTS)),  # the ends of the calendar
        ("order_date_from=2026-12-05&order_date_to=2026-12-05&status=shipped", {"5th_early"}),
        ("order_date_from=2026-12-05&order_date_to=2026-12-05&status=confirmed", {"5th_last"}),
        ("order_date_to=2026-12-05&search=ORD", {"3rd_last", "4th_first", "5th_early", "5th_last"}),
        ("order_date_from=2026-12-05&search=nothing-like-this", set()),
        ("order_date_from=&order_date_to=", set(MOMENTS)),  # empty: no filter, as the website sends it
    ],
)
def test_the_api_and_the_page_show_the_orders_placed_on_those_shop_days(
    client_for, signed_in, shopper, placed, query, expected
):
    """Whole days of the shop's calendar, both ends included: an order at 8 pm UTC on the 4th
    was placed on the 5th in India. The page reads the same rows as the API."""
    numbers = {placed[name].number for name in expected}
    assert history_numbers(client_for(shopper), shopper, query) == (numbers, len(numbers))
    orders = OrderHistory(customer=shopper, **OrderFilter(QueryDict(query)).selector_kwargs())
    assert {row["number"] for row in orders[0:50]} == numbers and orders.count() == len(numbers)
    page = signed_in.get(f"/account/orders/?{query}").content.decode()
    assert {order.number for order in placed.values() if order.number in page} == numbers


def test_the_days_follow_the_shops_time_zone(client_for, shopper, placed):
    """In London the same moments fall on other days: 8 pm UTC on the 4th is the 4th there."""
    client = client_for(shopper)
    with override_settings(SHOP_TIME_ZONE="Europe/London"):
        assert history_numbers(client, shopper, "order_date_from=2026-12-04&order_date_to=2026-12-04") == (
            {placed["5th_early"].number},
            1,
        )
    with override_settings(SHOP_TIME_ZONE="America/Los_Angeles"):  # UTC-8: 18:30 UTC on the 5th is the 5th
        assert history_numbers(client, shopper, "order_date_from=2026-12-05&order_date_to=2026-12-05")[0] == {
            placed["5th_last"].number,
            placed["6th_first"].number,
        }


def test_another_shoppers_orders_never_show_whatever_the_range(client_for, shopper, other_shopper, placed):
    theirs = set(Order.objects.filter(customer=other_shopper).values_list("number", flat=True))
    client = client_for(shopper)
    for query in ("order_date_from=2026-12-01", "order_date_to=2026-12-31", "order_date_from=2026-12-05"):
        assert not history_numbers(client, shopper, query)[0] & theirs
    # and their own user_id is still refused, dates or not
    response = client.get(f"{API}/orders", {"user_id": other_shopper.id, "order_date_from": "2026-12-01"})
    assert response.status_code == 403 and response.json()["success"] is False


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01",
        "2026-02-30",
        "2026-00-10",
        "04/12/2026",  # a day or a month first? Only ISO is read
        "2026-1-5",
        "20261204",
        "2026-W49-5",
        "2026-12-04T10:00:00",
        "0000-01-01",  # before year 1
        "10000-01-01",  # after year 9999
        "-2026-12-04",
        "99999999999999999999-01-01",
        "２０２６-１２-０４",  # full-width digits
        "٢٠٢٦-١٢-٠٤",  # Arabic-Indic digits
        "2026-12-04" * 100,
    ],
)
@pytest.mark.parametrize("field", ["order_date_from", "order_date_to"])
def test_a_date_that_is_not_one_is_a_validation_error_naming_the_field(client_for, shopper, field, value):
    body = assert_error(
        client_for(shopper).get(f"{API}/orders", {"user_id": shopper.id, field: value}), 400, "validation_error"
    )
    assert body["errors"] == {field: ["Enter a date as YYYY-MM-DD."]}
    assert body["message"] == f"{field}: Enter a date as YYYY-MM-DD."


@pytest.mark.parametrize("value", ["2026-12-04\x00", "\x00", "2026-12\x00-04"])
def test_a_nul_character_is_refused_before_the_filter_and_the_filter_refuses_it_too(client_for, shopper, value):
    """Every NUL in a query string is a 400 `bad_request` before any view runs (common.middleware,
    the one rule for every endpoint and page); the filter would refuse it too, naming the field."""
    query = {"user_id": shopper.id, "order_date_from": value}
    body = assert_error(client_for(shopper).get(f"{API}/orders", query), 400, "bad_request")
    assert "NUL" in body["message"]
    with pytest.raises(InvalidInput) as refused:
        OrderFilter(QueryDict(mutable=True) | {"order_date_to": value}).selector_kwargs()
    assert refused.value.errors == {"order_date_to": ["Enter a date as YYYY-MM-DD."]}


def test_a_last_day_before_the_first_is_a_validation_error_naming_it(client_for, shopper, placed):
    client = client_for(shopper)
    query = {"user_id": shopper.id, "order_date_from": "2026-12-05", "order_date_to": "2026-12-04"}
    body = assert_error(client.get(f"{API}/orders", query), 400, "validation_error")
    assert body["errors"] == {"order_date_to": ["The last day is before the first (order_date_from)."]}
    assert body["message"].startswith("order_date_to: ")
    # the same day twice is a one-day range
    assert history_numbers(client, shopper, "order_date_from=2026-12-06&order_date_to=2026-12-06")[1] == 1


def test_the_filter_gives_the_selectors_shop_days():
    assert OrderFilter(QueryDict("order_date_from=2026-12-04")).selector_kwargs() == {
        "statuses": None,
        "placed": (date(2026, 12, 4), None),
    }
    assert OrderFilter(QueryDict("order_date_to= 2026-12-04 ")).selector_kwargs()["placed"] == (None, date(2026, 12, 4))
    assert "placed" not in OrderFilter(QueryDict("order_date_from=")).selector_kwargs()


def test_the_schema_documents_both_days_as_dates(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/storefront/orders"]["get"]["parameters"]}
    for name, side in (("order_date_from", "on or after"), ("order_date_to", "on or before")):
        assert parameters[name]["schema"] == {"type": "string", "format": "date"}
        assert parameters[name]["in"] == "query" and not parameters[name].get("required")
        assert side in parameters[name]["description"] and "YYYY-MM-DD" in parameters[name]["description"]


@pytest.mark.parametrize("count", [1, 30])
def test_the_api_query_count_is_unchanged_by_a_range(client_for, shopper, django_assert_num_queries, count):
    for _ in range(count):
        place(shopper, order_date=MOMENTS["5th_early"])
    client = client_for(shopper)
    query = {"user_id": shopper.id, "limit": 50, "order_date_from": "2026-12-05", "order_date_to": "2026-12-05"}
    client.get(f"{API}/orders", query)  # the session is in the cache from now on
    with django_assert_num_queries(statements(postgresql=1, other=3)):
        response = client.get(f"{API}/orders", query)
    assert response.json()["content"]["pagination"]["total_records"] == count


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_query_count_is_unchanged_by_a_range(signed_in, shopper, django_assert_num_queries, count):
    """As orders.tests.test_views.test_history_query_count: the session with its user, count, the
    page, its items and its shipments."""
    for _ in range(count):
        place(shopper, order_date=MOMENTS["5th_early"])
    with django_assert_num_queries(5):
        page = signed_in.get("/account/orders/?order_date_from=2026-12-05&order_date_to=2026-12-05&status=confirmed")
    assert page.content.decode().count('class="card order-row"') == min(count, 10)


def test_the_window_and_the_count_read_the_customer_date_index_alone(shopper):
    """The range is a range of (customer, order_date, id): the window's ids and the count come
    from the index, without reading the table (README "Performance")."""
    place(shopper, order_date=MOMENTS["5th_early"])
    span = _history_span(connection, (date(2026, 12, 5), date(2026, 12, 6)))
    sql = _history_sql(connection, None, ("-order_date",), None, span)
    where = _history_params(shopper, None, None, span)
    for statement, params in ((sql.count_sql, where), (sql.page_sql, [*where, 20, 0])):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")  # as on a table too big to read whole
                cursor.execute(f"EXPLAIN {statement}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Index Only Scan using orders_customer_date_idx" in plan, plan
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", params)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                assert "USING COVERING INDEX orders_customer_date_idx" in plan, plan


@pytest.mark.requires_service("postgresql")
def test_the_json_postgresql_writes_for_a_range_is_what_python_writes(shopper, placed):
    """GET /orders' page is written by PostgreSQL (one statement, the range's parameters in both
    its count and its window); the same rows written by Python are the same JSON."""
    import json

    from common.jsonshape import to_python
    from common.pagination import parse_list_params
    from orders.selectors import ORDER_DEFAULT_SORT, ORDER_SORT_FIELDS, order_history_json, order_history_rows
    from orders.shapes import ORDER_LIST_SHAPE

    spans = [(date(2026, 12, 5), None), (None, date(2026, 12, 4)), (date(2026, 12, 4), date(2026, 12, 5))]
    for span in spans:
        for statuses in (None, ["confirmed"], ["shipped", "confirmed"]):
            for search in (None, "ORD"):
                for page in (1, 2):
                    params = parse_list_params(
                        {"page": page, "limit": 2}, sort_fields=ORDER_SORT_FIELDS, default_sort=ORDER_DEFAULT_SORT
                    )
                    filters = {"statuses": statuses, "search": search, "placed": span}
                    got, pagination = order_history_json(customer=shopper, params=params, **filters)
                    rows = order_history_rows(
                        customer=shopper, ordering=tuple(params.ordering), offset=params.offset, limit=2, **filters
                    )
                    case = (span, statuses, search, page)
                    assert json.loads(got.text) == [to_python(ORDER_LIST_SHAPE, row) for row in rows], case
                    assert pagination["total_records"] == OrderHistory(customer=shopper, **filters).count(), case
    assert pagination["total_records"] == 3  # the last case: the 4th and the 5th, both statuses: three


# --- the website -----------------------------------------------------------------------------


def test_the_page_has_labelled_date_fields_that_keep_the_range(signed_in, shopper, placed):
    html = signed_in.get("/account/orders/?order_date_from=2026-12-04&order_date_to=2026-12-05&sort=oldest").content
    html = html.decode()
    assert '<label for="order_date_from" class="small muted">From</label>' in html
    assert '<label for="order_date_to" class="small muted">To</label>' in html
    assert 'id="order_date_from" type="date" name="order_date_from" value="2026-12-04"' in html
    assert 'id="order_date_to" type="date" name="order_date_to" value="2026-12-05"' in html
    # the sort holds within the range, and the status chips keep it
    assert html.index(placed["4th_first"].number) < html.index(placed["5th_last"].number)
    assert (
        'href="?order_date_from=2026-12-04&amp;order_date_to=2026-12-05&amp;sort=oldest&amp;status=cancelled"' in html
    )


def test_the_pages_links_keep_the_range(signed_in, shopper):
    for _ in range(11):
        place(shopper, order_date=MOMENTS["5th_early"])
    place(shopper, order_date=MOMENTS["6th_first"])  # outside the range: would make a 13th
    html = signed_in.get("/account/orders/?order_date_from=2026-12-05&order_date_to=2026-12-05").content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?order_date_from=2026-12-05&amp;order_date_to=2026-12-05&amp;page=2" rel="next"' in html
    second = signed_in.get("/account/orders/?order_date_from=2026-12-05&order_date_to=2026-12-05&page=2")
    assert second.content.decode().count('class="card order-row"') == 1


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("order_date_from=2026-12-10&order_date_to=2026-12-12", "No orders placed 10 Dec 2026 to 12 Dec 2026"),
        ("order_date_from=2026-12-10&order_date_to=2026-12-10", "No orders placed on 10 Dec 2026"),
        ("order_date_from=2026-12-10", "No orders placed on or after 10 Dec 2026"),
        ("order_date_to=2026-12-01", "No orders placed on or before 1 Dec 2026"),
        ("order_date_from=2026-12-05&status=cancelled", "No “cancelled” orders placed on or after 5 Dec 2026"),
        ("order_date_to=2026-12-06&search=kettle", "No orders matching “kettle” placed on or before 6 Dec 2026"),
    ],
)
def test_the_empty_state_names_the_range_and_clears_it(signed_in, shopper, placed, query, named):
    html = signed_in.get(f"/account/orders/?{query}").content.decode()
    assert f"<strong>{named}</strong>" in html
    assert 'href="/account/orders/">Clear filters' in html and "Go to the shop" in html.split("Clear filters")[1]


@pytest.mark.parametrize(
    "query",
    [
        "order_date_from=2026-12-06&order_date_to=2026-12-04",
        "order_date_from=2026-02-30",
        "order_date_to=2026-12-4",
    ],
)
def test_dates_that_make_no_range_say_so_and_show_every_order(signed_in, shopper, placed, query):
    response = signed_in.get(f"/account/orders/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dates-error" role="alert">Check the dates: “To” must be the same day as “From” or later.' in html
    assert 'aria-invalid="true" aria-describedby="dates-error"' in html
    assert all(order.number in html for order in placed.values())
    # the fields keep what was typed, to be corrected (escaped, as any value)
    assert f'name="order_date_from" value="{QueryDict(query).get("order_date_from", "")}"' in html
    # a hand-edited status is still ignored without a word about dates
    assert 'role="alert"' not in signed_in.get("/account/orders/?status=lost").content.decode()


def test_a_hand_edited_date_is_kept_escaped(signed_in, shopper):
    html = signed_in.get('/account/orders/?order_date_from="><b>x').content.decode()
    assert 'name="order_date_from" value="&quot;&gt;&lt;b&gt;x"' in html and "<b>x" not in html
    assert 'role="alert">Check the dates' in html
