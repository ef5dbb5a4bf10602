""" "Buy it again": the products a shopper has paid for, one per product, most recent purchase
first (GET /orders/buy-it-again and the strip on the website's order history).

One statement answers a page and its count: a window function keeps each product's most recent
line, and the count of those rides along in the same row set (an outer join onto the page, so an
empty page past the end still says how many there are). It reads one shopper's orders through
the (customer, order_date, id) index of the order history and their lines through the lines'
order index, so its cost follows the size of that shopper's history, not the table's (README
"Performance" has the PostgreSQL plan at a million orders).
"""

from dataclasses import dataclass

from django.db import connections

from catalog.models import Product
from common.db import list_db
from common.pagination import ListParams, pagination_info
from common.sqlrows import Columns, column, table

from .models import Order, OrderItem, OrderStatus, PaymentStatus

# What a row shows (the SDK's BuyOrderItemAgain, and the website's card and link).
BUY_AGAIN_COLUMNS = (
    "product_ref",
    "product_name",
    "product_image_url",
    "slug",
    "variant_id",
    "variant_name",
    "selling_price",
    "listing_price",
)


@dataclass(frozen=True)
class BuyAgainItem:
    product_id: str
    product_name: str
    product_image_url: str
    slug: str
    variant_id: str
    variant_name: str
    selling_price: object
    listing_price: object


class _BuyAgainSQL:
    def __init__(self, connection):
        c = connection
        self.inner = Columns(c, OrderItem, "i", BUY_AGAIN_COLUMNS)
        self.outer = Columns(c, OrderItem, "p", BUY_AGAIN_COLUMNS)
        o_id, i_id = column(c, Order, "id", "o"), column(c, OrderItem, "id", "i")
        # Paid orders (not cancelled: money given back is not a purchase), lines that were
        # bought (a free gift was not) of a product the catalog still has and still sells (as the
        # wishlist takes only products on sale).
        bought = (
            f"SELECT {self.inner.sql}, {column(c, Order, 'order_date', 'o')} AS bought_at, "
            f"{o_id} AS bought_order, {i_id} AS bought_line, ROW_NUMBER() OVER (PARTITION BY "
            f"{column(c, OrderItem, 'product_ref', 'i')} ORDER BY {column(c, Order, 'order_date', 'o')} DESC, "
            f"{o_id} DESC, {i_id} DESC) AS nth "
            f"FROM {table(c, Order)} o JOIN {table(c, OrderItem)} i ON {column(c, OrderItem, 'order', 'i')} = {o_id} "
            f"JOIN {table(c, Product)} pr ON {column(c, Product, 'id', 'pr')} = {column(c, OrderItem, 'product', 'i')} "
            f"WHERE {column(c, Order, 'customer', 'o')} = %s AND {column(c, Order, 'payment_status', 'o')} = %s "
            f"AND {column(c, Order, 'status', 'o')} <> %s AND {column(c, OrderItem, 'is_free_item', 'i')} = %s "
            f"AND {column(c, Product, 'active', 'pr')} = %s"
        )
        newest = "p.bought_at DESC, p.bought_order DESC, p.bought_line DESC"
        self.sql = (
            f"WITH latest AS (SELECT * FROM ({bought}) b WHERE b.nth = 1) "
            f"SELECT t.total, {self.outer.sql} FROM (SELECT COUNT(*) AS total FROM latest) t LEFT JOIN "
            f"(SELECT * FROM latest p ORDER BY {newest} LIMIT %s OFFSET %s) p ON 1 = 1 ORDER BY {newest}"
        )


_SQL: dict[str, _BuyAgainSQL] = {}


def buy_again_page(*, customer, params: ListParams) -> tuple[list[BuyAgainItem], dict]:
    """One page of the products the customer bought, each once, at its latest purchase (its
    variant and prices then), newest first, and the pagination: one query."""
    connection = connections[list_db()]
    sql = _SQL.get(connection.alias)
    if sql is None:
        sql = _SQL[connection.alias] = _BuyAgainSQL(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.sql,
            [customer.pk, PaymentStatus.SUCCESS, OrderStatus.CANCELLED, False, True, params.limit, params.offset],
        )
        lines = cursor.fetchall()
    total = lines[0][0] if lines else 0
    items = []
    for line in lines:
        if line[1] is None:  # the outer join's empty side: a page past the end
            continue
        row = sql.outer.row(line[1:], connection)
        items.append(BuyAgainItem(product_id=row.pop("product_ref"), **row))
    return items, pagination_info(total=total, params=params)
