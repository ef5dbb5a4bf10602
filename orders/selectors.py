"""Order reads, always scoped to one customer: another shopper's order is simply not found."""

from django.db.models import Prefetch, Q, QuerySet

from common.db import list_db
from common.sqlrows import column_readers, convert
from common.exceptions import NotFound

from .models import Order, OrderItem, OrderReturn, Refund, ReturnItem, Shipment, ShipmentItem

ORDER_SORT_FIELDS = {"order_date": "order_date", "grand_total": "grand_total"}
ORDER_DEFAULT_SORT = {"order_date": "desc"}
RETURN_SORT_FIELDS = {"created_at": "created_at"}
RETURN_DEFAULT_SORT = {"created_at": "desc"}

_RETURN_PREFETCH = [
    Prefetch("items", queryset=ReturnItem.objects.select_related("order_item", "shipment")),
]


# What the order history shows; the address snapshots and other detail columns stay in the
# database (a list page of wide rows costs more to fetch and build than it shows).
ORDER_LIST_COLUMNS = (
    "id", "number", "customer_id", "status", "payment_status", "order_date", "payment_success_date",
    "has_refund", "on_subscription", "grand_total", "loyalty_points_redeemed", "loyalty_points_earned",
    "credit_balance_used", "to_be_paid", "order_items_count", "customer_note", "currency_code", "currency_name",
    "currency_symbol", "created_at", "modified_at",
)
ORDER_ITEM_LIST_COLUMNS = (
    "id", "order_id", "product_ref", "product_name", "product_image_url", "product_type", "sku", "slug",
    "variant_id", "variant_name", "quantity", "free_quantity", "is_free_item", "listing_price", "selling_price",
    "selling_price_excluding_tax", "price_including_tax", "promotion_discount_amount", "coupon_discount_amount",
    "tax_type", "tax_rate", "tax_amount", "backorder", "on_promotion", "on_subscription",
)


def order_list_for_customer(*, customer, statuses: list[str] | None = None) -> QuerySet[Order]:
    orders = (
        Order.objects.filter(customer=customer)
        .only(*ORDER_LIST_COLUMNS)
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.only(*ORDER_ITEM_LIST_COLUMNS).order_by("pk")))
    )
    if statuses:
        orders = orders.filter(status__in=statuses)
    return orders


def order_get_for_customer(*, customer, number: str, detail: bool = True) -> Order:
    """One of the customer's orders with everything its detail page shows, or 404."""
    orders = Order.objects.filter(customer=customer, number=number)
    if detail:
        orders = orders.prefetch_related(
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
    order = orders.first()
    if order is None:
        raise NotFound("Order not found.")
    return order


def returns_for_order(*, order: Order) -> QuerySet[OrderReturn]:
    return order.returns.select_related("order").prefetch_related(*_RETURN_PREFETCH)


def returns_for_customer(*, customer) -> QuerySet[OrderReturn]:
    return OrderReturn.objects.filter(order__customer=customer).select_related("order").prefetch_related(
        *_RETURN_PREFETCH
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
        raise NotFound("Return not found.")
    return found


_HISTORY_SQL: dict[tuple, tuple] = {}


def _history_sql(connection, ordering: tuple[str, ...], statuses: int):
    """The page query for one ordering and number of status filters, built once per process."""
    key = (connection.alias, ordering, statuses)
    if key not in _HISTORY_SQL:
        quote = connection.ops.quote_name
        item_fields = [OrderItem._meta.get_field(name) for name in ORDER_ITEM_LIST_COLUMNS]
        order_fields = [Order._meta.get_field(name) for name in ORDER_LIST_COLUMNS]
        items = column_readers(connection, item_fields, "i")
        orders = column_readers(connection, order_fields, "o")
        where = "customer_id = %s" + (f" AND status IN ({', '.join(['%s'] * statuses)})" if statuses else "")
        inner = ", ".join(f"{quote(Order._meta.get_field(n.lstrip('-')).column)} {'DESC' if n.startswith('-') else 'ASC'}"
                          for n in ordering)
        outer = ", ".join(f"o.{quote(Order._meta.get_field(n.lstrip('-')).column)} "
                          f"{'DESC' if n.startswith('-') else 'ASC'}" for n in ordering)
        table = quote(Order._meta.db_table)
        sql = (
            f"SELECT {', '.join(c for c, _, _ in items + orders)} "
            f"FROM {quote(OrderItem._meta.db_table)} i JOIN {table} o ON o.{quote('id')} = i.{quote('order_id')} "
            f"WHERE i.{quote('order_id')} IN (SELECT {quote('id')} FROM {table} WHERE {where} "
            f"ORDER BY {inner} LIMIT %s OFFSET %s) "
            f"ORDER BY {outer}, i.{quote('id')} ASC"
        )
        count = f"SELECT COUNT(*) FROM {table} WHERE {where}"
        _HISTORY_SQL[key] = (sql, count, items, orders)
    return _HISTORY_SQL[key]


def order_history_page(*, customer, statuses: list[str] | None, params) -> tuple[list[dict], dict]:
    """The hot path of GET /orders: one page of the history as plain rows, in two queries
    (count, then the page's items joined to their orders), whatever the page size or depth.

    The page's order ids are found on the (customer, order_date, id) index alone, so a page deep
    in a long history costs about what the first one does. The SQL is written once per ordering
    (compiling the equivalent ORM query cost more than running it); every order has at least one
    item (order_place refuses an empty order), so joining from the items loses no order.
    """
    from django.db import connections

    from common.pagination import pagination_info

    connection = connections[list_db()]
    tiebreak = "-id" if params.ordering and params.ordering[-1].startswith("-") else "id"
    ordering = (*params.ordering, tiebreak)
    sql, count_sql, item_readers, order_readers = _history_sql(connection, ordering, len(statuses or ()))
    where_params = [customer.pk, *(statuses or ())]
    with connection.cursor() as cursor:
        cursor.execute(count_sql, where_params)
        total = cursor.fetchone()[0]
        cursor.execute(sql, [*where_params, params.limit, params.offset])
        lines = cursor.fetchall()
    split = len(item_readers)
    rows: dict[str, dict] = {}
    for line in lines:
        item = dict(zip(ORDER_ITEM_LIST_COLUMNS, convert(line[:split], item_readers, connection)))
        row = rows.get(item["order_id"])
        if row is None:
            row = rows[item["order_id"]] = dict(
                zip(ORDER_LIST_COLUMNS, convert(line[split:], order_readers, connection))
            )
            row["items"] = []
        row["items"].append(item)
    return list(rows.values()), pagination_info(total=total, params=params)
