"""Order reads, always scoped to one customer: another shopper's order is simply not found."""

from datetime import date

from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.api import site_origin
from common.db import list_db
from common.exceptions import NotFound
from common.jsonshape import columns, to_python, to_sql
from common.renderers import RawJSON
from common.shoptime import shop_days_span
from common.sqlrows import Columns, attach, column, fetch_sets, prepared_cursor, table
from customers.models import BankAccount

from .models import Order, OrderItem, OrderReturn, Payment, Refund, ReturnItem, Shipment, ShipmentItem
from .shapes import ORDER_ITEM_SHAPE, ORDER_LIST_SHAPE

ORDER_SORT_FIELDS = {"order_date": "order_date", "grand_total": "grand_total"}
ORDER_DEFAULT_SORT = {"order_date": "desc"}
RETURN_SORT_FIELDS = {"created_at": "created_at"}
RETURN_DEFAULT_SORT = {"created_at": "desc"}
# The days an order was placed, first and last included, either open (None): days of the shop's
# calendar (orders.filters.OrderFilter's order_date_from / order_date_to).
Placed = tuple[date | None, date | None] | None

_RETURN_PREFETCH = [
    Prefetch("items", queryset=ReturnItem.objects.select_related("order_item", "shipment")),
    "attachments",
]


# The history's rows: the columns its JSON shows (orders.shapes), and those the website reads
# besides (the ids; `delivered_at`, for the return window, and `amount_paid`, for what a retry
# asks, both read by the history's shortcuts: orders_of_rows).
# The address snapshots and other detail columns stay in the database (a list page of wide rows
# costs more to fetch and build than it shows).
ORDER_LIST_COLUMNS = ("id", "customer_id", *columns(ORDER_LIST_SHAPE), "delivered_at", "amount_paid")
ORDER_ITEM_LIST_COLUMNS = ("id", "order_id", *columns(ORDER_ITEM_SHAPE))


def order_get_for_customer(*, customer, number: str, detail: bool = True) -> Order:
    """One of the customer's orders, or 404; with `detail`, with everything its detail page
    shows already loaded (items, shipments with their items, payments, refunds with the bank
    account), in four queries (order_detail_load)."""
    if detail:
        return order_detail_load(customer=customer, number=number)
    order = Order.objects.filter(customer=customer, number=number).first()
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def returns_for_order(*, order: Order) -> QuerySet[OrderReturn]:
    return order.returns.select_related("order", "replacement_order").prefetch_related(*_RETURN_PREFETCH)


def returns_for_customer(*, customer) -> QuerySet[OrderReturn]:
    return (
        OrderReturn.objects.filter(order__customer=customer)
        .select_related("order", "replacement_order")
        .prefetch_related(*_RETURN_PREFETCH)
    )


def return_get_for_order(*, order: Order, reference: str) -> OrderReturn:
    """A return of the order by its number (RET-...) or its id, or 404."""
    reference = str(reference).upper()
    found = (
        returns_for_order(order=order)
        .select_related("replacement_order")
        .prefetch_related(Prefetch("refunds", queryset=Refund.objects.select_related("bank_account")))
        .filter(Q(request_number=reference) | Q(pk=reference))
        .first()
    )
    if found is None:
        raise NotFound(_("Return not found."))
    return found


def _history_where(connection, statuses: int, alias: str, search: bool = False, span=(False, False)) -> str:
    where = f"{column(connection, Order, 'customer', alias)} = %s"
    # The days placed (a range of the (customer, order_date, id) index, so the window stays on it).
    if span[0]:
        where += f" AND {column(connection, Order, 'order_date', alias)} >= %s"
    if span[1]:
        where += f" AND {column(connection, Order, 'order_date', alias)} < %s"
    if statuses:
        where += f" AND {column(connection, Order, 'status', alias)} IN ({', '.join(['%s'] * statuses)})"
    if search:  # the order number, or one of its products' names, contains the words (any case)
        c = connection
        item_of_order = f"{column(c, OrderItem, 'order', 's')} = {column(c, Order, 'id', alias)}"
        where += (
            f" AND (UPPER({column(c, Order, 'number', alias)}) LIKE UPPER(%s) ESCAPE '\\' OR EXISTS (SELECT 1 "
            f"FROM {table(c, OrderItem)} s WHERE {item_of_order} "
            f"AND UPPER({column(c, OrderItem, 'product_name', 's')}) LIKE UPPER(%s) ESCAPE '\\'))"
        )
    return where


def _history_span(connection, placed) -> tuple:
    """The days placed (first, last: shop calendar days, either None) as the UTC moments
    [start, end) the WHERE compares order_date with, written for this database; None for a side
    left open."""
    if not placed:
        return (None, None)
    return tuple(
        None if moment is None else connection.ops.adapt_datetimefield_value(moment)
        for moment in shop_days_span(*placed)
    )


def _history_params(customer, statuses, search, span=(None, None)) -> list:
    """The WHERE's parameters, in its order: the search as a LIKE pattern, its wildcards escaped."""
    params = [customer.pk, *(moment for moment in span if moment is not None), *(statuses or ())]
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    return params


class _HistorySQL:
    """The history's statements for one ordering, number of status filters, search or not and
    sides of the days placed given (`span`), and their columns; built once per process and
    connection alias. Each takes the `where` parameters (_history_params) and, but for the
    count, the window's limit and offset."""

    def __init__(self, connection, ordering: tuple[str, ...], statuses: int, search: bool, span: tuple[bool, bool]):
        c = connection
        self.order = Columns(c, Order, "o", ORDER_LIST_COLUMNS)
        self.item = Columns(c, OrderItem, "i", ORDER_ITEM_LIST_COLUMNS)

        def order_by(alias):
            return ", ".join(
                f"{column(c, Order, n.lstrip('-'), alias)} {'DESC' if n.startswith('-') else 'ASC'}" for n in ordering
            )

        orders_table = table(c, Order)
        # The window's ids from the index alone (h); then those orders' columns (o).
        where = _history_where(c, statuses, "h", search, span)
        window = (
            f"SELECT {column(c, Order, 'id', 'h')} FROM {orders_table} h WHERE {where} "
            f"ORDER BY {order_by('h')} LIMIT %s OFFSET %s"
        )
        self.count_sql = f"SELECT COUNT(*) FROM {orders_table} h WHERE {where}"
        self.page_sql = (
            f"SELECT {self.order.sql} FROM {orders_table} o "
            f"WHERE {column(c, Order, 'id', 'o')} IN ({window}) ORDER BY {order_by('o')}"
        )
        self.items_sql = (
            f"SELECT {self.item.sql} FROM {table(c, OrderItem)} i "
            f"WHERE {self.item.column(c, 'order')} IN ({window}) ORDER BY {self.item.column(c, 'id')}"
        )
        # PostgreSQL only: the count, and the window written as JSON text in ORDER_LIST_SHAPE.
        self.json_sql = None
        if c.vendor == "postgresql":
            self.json_sql = (
                f"SELECT ({self.count_sql}), COALESCE((SELECT json_agg({to_sql(ORDER_LIST_SHAPE, c, Order, 'o')} "
                f"ORDER BY {order_by('o')}) FROM {orders_table} o WHERE {column(c, Order, 'id', 'o')} IN ({window})), "
                f"'[]'::json)::text"
            )


_HISTORY_SQL: dict[tuple, _HistorySQL] = {}


def _history_sql(connection, statuses, ordering, search, span=(None, None)) -> _HistorySQL:
    tiebreak = "-id" if ordering and ordering[-1].startswith("-") else "id"
    sides = (span[0] is not None, span[1] is not None)
    key = (connection.alias, (*ordering, tiebreak), len(statuses or ()), bool(search), sides)
    # The JSON's image URLs are written on SITE_URL (common.api.absolute_url), part of the text.
    cache_key = (*key, site_origin())
    sql = _HISTORY_SQL.get(cache_key)
    if sql is None:
        sql = _HISTORY_SQL[cache_key] = _HistorySQL(connection, *key[1:])
    return sql


def order_history_count(
    *, customer, statuses: list[str] | None = None, search: str | None = None, placed: Placed = None
) -> int:
    connection = connections[list_db()]
    span = _history_span(connection, placed)
    with connection.cursor() as cursor:
        cursor.execute(
            _history_sql(connection, statuses, ("-order_date",), search, span).count_sql,
            _history_params(customer, statuses, search, span),
        )
        return cursor.fetchone()[0]


def _history_read(*, customer, statuses, search, placed, ordering, offset: int, limit: int, count: bool):
    """The window's rows (and the count first, when asked), in one round trip on PostgreSQL."""
    connection = connections[list_db()]
    span = _history_span(connection, placed)
    sql = _history_sql(connection, statuses, ordering, search, span)
    where = _history_params(customer, statuses, search, span)
    statements = [(sql.page_sql, [*where, limit, offset]), (sql.items_sql, [*where, limit, offset])]
    if count:
        statements.insert(0, (sql.count_sql, where))
    results = fetch_sets(connection, statements)
    total = results.pop(0)[0][0] if count else None
    order_lines, item_lines = results
    rows = {}
    for line in order_lines:
        row = sql.order.row(line, connection)
        row["items"] = []
        rows[row["id"]] = row
    for line in item_lines:
        item = sql.item.row(line, connection)
        rows[item["order_id"]]["items"].append(item)
    return list(rows.values()), total


def order_history_rows(
    *,
    customer,
    statuses: list[str] | None = None,
    search: str | None = None,
    placed: Placed = None,
    ordering=("-order_date",),
    offset: int = 0,
    limit: int = 20,
) -> list[dict]:
    """A window of the customer's orders as plain rows (ORDER_LIST_COLUMNS, and `items`: their
    ORDER_ITEM_LIST_COLUMNS), in one round trip (two statements) whatever the window's size or
    depth.

    The window's order ids are found on the (customer, order_date, id) index alone, so a page
    deep in a long history costs about what the first one does. The SQL is written once per
    ordering (compiling the equivalent ORM query cost more than running it). The items come in
    their own statement rather than joined to the orders: repeating each order's columns on
    every item row cost more to read (timestamps above all) than a second statement.
    """
    rows, _ = _history_read(
        customer=customer,
        statuses=statuses,
        search=search,
        placed=placed,
        ordering=tuple(ordering),
        offset=offset,
        limit=limit,
        count=False,
    )
    return rows


def order_history_page(
    *, customer, statuses: list[str] | None, params, search: str | None = None, placed: Placed = None
) -> tuple[list[dict], dict]:
    """The count, and one page of rows (order_history_rows), in one round trip on PostgreSQL."""
    from common.pagination import pagination_info

    rows, total = _history_read(
        customer=customer,
        statuses=statuses,
        search=search,
        placed=placed,
        ordering=tuple(params.ordering),
        offset=params.offset,
        limit=params.limit,
        count=True,
    )
    return rows, pagination_info(total=total, params=params)


def order_history_json(
    *, customer, statuses: list[str] | None, params, search: str | None = None, placed: Placed = None
) -> tuple[list | RawJSON, dict]:
    """GET /orders: one page of the history written in ORDER_LIST_SHAPE (orders.shapes), and its
    pagination. On PostgreSQL one statement counts and writes the page as JSON text, which goes
    into the answer as it is; elsewhere Python writes the same shape from the rows."""
    from common.pagination import pagination_info

    connection = connections[list_db()]
    if connection.vendor != "postgresql":
        rows, pagination = order_history_page(
            customer=customer, statuses=statuses, params=params, search=search, placed=placed
        )
        return [to_python(ORDER_LIST_SHAPE, row) for row in rows], pagination
    span = _history_span(connection, placed)
    sql = _history_sql(connection, statuses, tuple(params.ordering), search, span)
    where = _history_params(customer, statuses, search, span)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql.json_sql, [*where, *where, params.limit, params.offset])
        total, text = cursor.fetchone()
    return RawJSON(text), pagination_info(total=total, params=params)


def orders_of_rows(rows: list[dict]) -> list[Order]:
    """`Order` instances of history rows (ORDER_LIST_COLUMNS), without reading them again: the
    columns the history does not read are deferred, so a rule that reads one costs a query,
    never a wrong answer. For the website's history and overview, whose shortcuts ask
    lifecycle's rules about the orders of the page."""
    attnames = set(ORDER_LIST_COLUMNS)
    names = [f.attname for f in Order._meta.concrete_fields if f.attname in attnames]
    db = list_db()
    return [Order.from_db(db, names, [row[name] for name in names]) for row in rows]


class _PageRelationsSQL:
    """The shipments and the payments of a page's orders, for `count` orders, each in the models'
    own order (created_at, id); built once per database connection alias and count."""

    def __init__(self, connection, count: int):
        c = connection
        marks = ", ".join(["%s"] * count)
        self.columns = {"shipments": Columns(c, Shipment, "x"), "payments": Columns(c, Payment, "x")}
        self.sql = {
            name: (
                f"SELECT {cols.sql} FROM {table(c, cols.model)} x WHERE {cols.column(c, 'order')} IN ({marks}) "
                f"ORDER BY {cols.column(c, 'created_at')}, {cols.column(c, 'id')}"
            )
            for name, cols in self.columns.items()
        }


_PAGE_RELATIONS_SQL: dict[tuple[str, int], _PageRelationsSQL] = {}
PAGE_RELATIONS = ("shipments", "payments")


def orders_attach(orders: list[Order], relations=PAGE_RELATIONS) -> None:
    """`prefetch_related(*relations)` (of "shipments", "payments") for a page of orders
    (orders_of_rows), in one statement each, written once as SQL and sent in one round trip on
    PostgreSQL: compiling the prefetching ORM queries cost the history page more than running
    them (issue 28)."""
    if not orders or not relations:
        return
    connection = connections[router.db_for_read(Order)]
    key = (connection.alias, len(orders))
    sql = _PAGE_RELATIONS_SQL.get(key)
    if sql is None:
        sql = _PAGE_RELATIONS_SQL[key] = _PageRelationsSQL(connection, len(orders))
    ids = [order.pk for order in orders]
    sets = fetch_sets(connection, [(sql.sql[name], ids) for name in relations])
    for name, lines in zip(relations, sets, strict=True):
        found: dict = {order.pk: [] for order in orders}
        for line in lines:
            related = sql.columns[name].instance(line, connection)
            found[related.order_id].append(related)
        for order in orders:
            attach(order, name, found[order.pk])


class OrderHistory:
    """The customer's orders as a sequence Django's Paginator can page through (the website),
    on the same queries as GET /orders: count() and a slice each run one."""

    def __init__(
        self,
        *,
        customer,
        statuses: list[str] | None = None,
        search: str | None = None,
        placed: Placed = None,
        ordering=("-order_date",),
    ):
        self.customer, self.statuses, self.search, self.ordering = customer, statuses, search, tuple(ordering)
        self.placed = placed

    def count(self) -> int:
        return order_history_count(
            customer=self.customer, statuses=self.statuses, search=self.search, placed=self.placed
        )

    def __getitem__(self, window: slice) -> list[dict]:
        start = window.start or 0
        return order_history_rows(
            customer=self.customer,
            statuses=self.statuses,
            search=self.search,
            placed=self.placed,
            ordering=self.ordering,
            offset=start,
            limit=window.stop - start,
        )


class _DetailSQL:
    """The four statements of an order's detail, built once per database connection alias; each
    takes the customer and the order number, so all four go in one round trip. With `lock`, the
    first locks the order's row (FOR UPDATE, where the database has it): the other three run after
    it in the same round trip, so they read what the lock holder sees."""

    def __init__(self, connection, lock: bool = False):
        self.order = o = Columns(connection, Order, "o")
        self.item = i = Columns(connection, OrderItem, "i")
        self.shipment = s = Columns(connection, Shipment, "s")
        self.shipment_item = si = Columns(connection, ShipmentItem, "si")
        self.payment = p = Columns(connection, Payment, "p")
        self.refund = r = Columns(connection, Refund, "r")
        self.bank_account = b = Columns(connection, BankAccount, "b")
        c = connection
        the_order = (
            f"SELECT {column(c, Order, 'id', 'x')} FROM {table(c, Order)} x "
            f"WHERE {column(c, Order, 'customer', 'x')} = %s AND {column(c, Order, 'number', 'x')} = %s"
        )
        # Every order has items (order_place refuses an empty one); the outer join is for safety.
        self.order_sql = (
            f"SELECT {o.sql}, {i.sql} FROM {table(c, Order)} o LEFT JOIN {table(c, OrderItem)} i "
            f"ON {i.column(c, 'order')} = {o.column(c, 'id')} "
            f"WHERE {o.column(c, 'customer')} = %s AND {o.column(c, 'number')} = %s ORDER BY {i.column(c, 'id')}"
        )
        if lock and c.features.has_select_for_update:
            # OF o: the items are the outer join's nullable side, which PostgreSQL will not lock.
            self.order_sql += " FOR UPDATE OF o" if c.features.has_select_for_update_of else " FOR UPDATE"
        self.shipments_sql = (
            f"SELECT {s.sql}, {si.sql} FROM {table(c, Shipment)} s LEFT JOIN {table(c, ShipmentItem)} si "
            f"ON {si.column(c, 'shipment')} = {s.column(c, 'id')} WHERE {s.column(c, 'order')} = ({the_order}) "
            f"ORDER BY {s.column(c, 'created_at')}, {s.column(c, 'id')}, {si.column(c, 'id')}"
        )
        self.payments_sql = (
            f"SELECT {p.sql} FROM {table(c, Payment)} p WHERE {p.column(c, 'order')} = ({the_order}) "
            f"ORDER BY {p.column(c, 'created_at')}, {p.column(c, 'id')}"
        )
        self.refunds_sql = (
            f"SELECT {r.sql}, {b.sql} FROM {table(c, Refund)} r LEFT JOIN {table(c, BankAccount)} b "
            f"ON {b.column(c, 'id')} = {r.column(c, 'bank_account')} WHERE {r.column(c, 'order')} = ({the_order}) "
            f"ORDER BY {r.column(c, 'created_at')}, {r.column(c, 'id')}"
        )


_DETAIL_SQL: dict[tuple[str, bool], _DetailSQL] = {}


# What an order's detail shows besides the order and its items (order_detail_load's `relations`).
DETAIL_RELATIONS = ("shipments", "payments", "refunds")


def order_detail_load(*, customer, number: str, lock: bool = False, relations=DETAIL_RELATIONS) -> Order:
    """GET /orders/{n}'s read: the order and everything it shows, as model instances with their
    relations filled in as prefetch_related would (so the lifecycle checks and
    api.serializers.outputs read them as usual), in four statements written once as SQL
    (compiling the equivalent prefetching ORM queries cost several times more than running
    them), sent in one round trip on PostgreSQL (common.sqlrows.fetch_sets). With `lock`, the
    order's row is locked to the end of the caller's transaction (orders.services.base
    .order_lock_for_customer, the writes' one read of the order)."""
    connection = connections[router.db_for_write(Order) if lock else router.db_for_read(Order)]
    sql = _DETAIL_SQL.get((connection.alias, lock))
    if sql is None:
        sql = _DETAIL_SQL[(connection.alias, lock)] = _DetailSQL(connection, lock=lock)
    key = [customer.pk, number]
    wanted = [("shipments", sql.shipments_sql), ("payments", sql.payments_sql), ("refunds", sql.refunds_sql)]
    wanted = [(name, statement) for name, statement in wanted if name in relations]
    lines, *sets = fetch_sets(connection, [(sql.order_sql, key), *((statement, key) for _, statement in wanted)])
    fetched = dict(zip((name for name, _ in wanted), sets, strict=True))
    if not lines:
        raise NotFound(_("Order not found."))
    split = sql.order.width
    order = sql.order.instance(lines[0][:split], connection)
    # The order is the customer's (the WHERE says so): whatever reads order.customer next (the
    # services, their messages) reads the one already in hand.
    Order._meta.get_field("customer").set_cached_value(order, customer)
    items = [item for line in lines if (item := sql.item.instance(line[split:], connection))]
    attach(order, "items", items)
    if "shipments" in fetched:
        _attach_shipments(order, items, fetched["shipments"], sql, connection)
    if "payments" in fetched:
        attach(order, "payments", [sql.payment.instance(line, connection) for line in fetched["payments"]])
    if "refunds" in fetched:
        _attach_refunds(order, fetched["refunds"], sql, connection)
    return order


def _attach_shipments(order, items, shipment_lines, sql, connection) -> None:
    items_by_id = {item.pk: item for item in items}
    order_item_field = ShipmentItem._meta.get_field("order_item")
    shipments: dict = {}
    split = sql.shipment.width
    for line in shipment_lines:
        shipment_id = line[sql.shipment.pk_index]
        if shipment_id not in shipments:
            shipments[shipment_id] = (sql.shipment.instance(line[:split], connection), [])
        shipment_item = sql.shipment_item.instance(line[split:], connection)
        if shipment_item is not None:
            order_item_field.set_cached_value(shipment_item, items_by_id[shipment_item.order_item_id])
            shipments[shipment_id][1].append(shipment_item)
    for shipment, shipment_items in shipments.values():
        attach(shipment, "items", shipment_items)
    attach(order, "shipments", [shipment for shipment, _ in shipments.values()])


def _attach_refunds(order, refund_lines, sql, connection) -> None:
    bank_account_field = Refund._meta.get_field("bank_account")
    split = sql.refund.width
    refunds = []
    for line in refund_lines:
        refund = sql.refund.instance(line[:split], connection)
        bank_account_field.set_cached_value(refund, sql.bank_account.instance(line[split:], connection))
        refunds.append(refund)
    attach(order, "refunds", refunds)


def order_numbers_of(*, customer, numbers) -> set[str]:
    """Which of these numbers are the customer's orders (the rewards page links those)."""
    return set(Order.objects.filter(customer=customer, number__in=numbers).values_list("number", flat=True))
