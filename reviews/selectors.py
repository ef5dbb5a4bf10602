"""Review reads."""

from django.db import connections, router
from django.db.models import Count, QuerySet

from catalog.models import Product
from common.sqlrows import Columns, column, table
from orders.models import Order, OrderItem

from .models import ReceivedProduct, Review, ReviewStatus

PRODUCT_REVIEW_SORT_FIELDS = {"created_at": "created_at", "rating": "rating"}
PRODUCT_REVIEW_DEFAULT_SORT = {"created_at": "desc"}


def reviews_for_customer(*, customer) -> QuerySet[Review]:
    return (
        Review.objects.filter(customer=customer)
        .select_related("product", "order")
        .prefetch_related("images")
        .order_by("-created_at", "-pk")
    )


def products_received(*, customer) -> QuerySet[ReceivedProduct]:
    """Who may review what: each product the shopper received (in a delivered shipment) and kept
    (not returned in full), by the rule returns share (`orders.lifecycle.order_items_received`),
    with the most recent order item that brought it. The ready-for-review list (ReadyForReview,
    in its own SQL) and `services.review_submit` both read it; the rows are rebuilt
    by `services.received_products_refresh` whenever a delivery or a return changes them."""
    return ReceivedProduct.objects.filter(customer=customer)


class _ReadySQL:
    """What waits for the shopper's review, written once per database connection alias: each
    product received and kept (`products_received`) and not reviewed, with the order item that
    last brought it (its order's id and number only: what a review names it by), newest first.
    Hand-written because compiling the ORM's query (three joins, a subquery, `only`) cost the
    overview and the reviews page more than running it (issue 28). Each statement takes the
    customer twice, then the window's limit and offset (but the count)."""

    def __init__(self, connection):
        c = connection
        self.item = i = Columns(c, OrderItem, "i")
        self.product = p = Columns(c, Product, "p")
        rp = "rp"
        where = (
            f"{column(c, ReceivedProduct, 'customer', rp)} = %s AND NOT EXISTS (SELECT 1 FROM {table(c, Review)} r "
            f"WHERE {column(c, Review, 'customer', 'r')} = %s "
            f"AND {column(c, Review, 'product', 'r')} = {column(c, ReceivedProduct, 'product', rp)})"
        )
        self.count_sql = f"SELECT COUNT(*) FROM {table(c, ReceivedProduct)} {rp} WHERE {where}"
        self.all_sql = (
            f"SELECT {i.sql}, {p.sql}, {column(c, Order, 'id', 'o')}, {column(c, Order, 'number', 'o')} "
            f"FROM {table(c, ReceivedProduct)} {rp} "
            f"JOIN {table(c, OrderItem)} i ON {i.column(c, 'id')} = {column(c, ReceivedProduct, 'order_item', rp)} "
            f"JOIN {table(c, Order)} o ON {column(c, Order, 'id', 'o')} = {i.column(c, 'order')} "
            f"JOIN {table(c, Product)} p ON {p.column(c, 'id')} = {column(c, ReceivedProduct, 'product', rp)} "
            f"WHERE {where} ORDER BY {column(c, ReceivedProduct, 'order_date', rp)} DESC, "
            f"{column(c, ReceivedProduct, 'order_item', rp)} ASC"
        )
        self.window_sql = f"{self.all_sql} LIMIT %s OFFSET %s"


_READY_SQL: dict[str, _ReadySQL] = {}


def _ready_sql(connection) -> _ReadySQL:
    sql = _READY_SQL.get(connection.alias)
    if sql is None:
        sql = _READY_SQL[connection.alias] = _ReadySQL(connection)
    return sql


def _ready_read(customer, window: tuple[int, int] | None) -> list[OrderItem]:
    connection = connections[router.db_for_read(ReceivedProduct)]
    sql = _ready_sql(connection)
    params = [customer.pk, customer.pk]
    with connection.cursor() as cursor:
        if window is None:
            cursor.execute(sql.all_sql, params)
        else:
            cursor.execute(sql.window_sql, [*params, *window])
        lines = cursor.fetchall()
    items = []
    split = sql.item.width
    product_end = split + sql.product.width
    for line in lines:
        item = sql.item.instance(line[:split], connection)
        item.product = sql.product.instance(line[split:product_end], connection)
        item.order = Order.from_db(connection.alias, ["id", "number"], list(line[product_end:]))
        items.append(item)
    return items


class ReadyForReview:
    """What the shopper may review, as order items (each with its product and its order's id and
    number), newest first, as a sequence Django's Paginator can page: count() and a slice each run
    one statement, whatever the length of the history."""

    def __init__(self, *, customer):
        self.customer = customer

    def count(self) -> int:
        connection = connections[router.db_for_read(ReceivedProduct)]
        with connection.cursor() as cursor:
            cursor.execute(_ready_sql(connection).count_sql, [self.customer.pk, self.customer.pk])
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list[OrderItem]:
        start = window.start or 0
        return _ready_read(self.customer, (window.stop - start, start))


def ready_for_review(*, customer, limit: int | None = None) -> list[OrderItem]:
    """What the shopper may review (ReadyForReview), as order items; the first `limit`."""
    if limit is None:
        return _ready_read(customer, None)
    return ReadyForReview(customer=customer)[:limit]


def approved_reviews_for_product(*, product) -> QuerySet[Review]:
    return (
        Review.objects.filter(product=product, status=ReviewStatus.APPROVED)
        .select_related("customer")
        .prefetch_related("images")
    )


def rating_counts(*, product) -> dict[str, int]:
    counts = dict(
        Review.objects.filter(product=product, status=ReviewStatus.APPROVED)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    return {str(star): counts.get(star, 0) for star in range(1, 6)}
