""" "Buy it again": the products a shopper has paid for, one per product, most recent purchase
first (GET /orders/buy-it-again and the strip on the website's order history).

One statement answers a page and its count: a window function keeps each product's most recent
line, and the count of those rides along in the same row set (an outer join onto the page, so an
empty page past the end still says how many there are). It reads one shopper's orders through
the (customer, order_date, id) index of the order history and their lines through the lines'
order index, so its cost follows the size of that shopper's history, not the table's (README
"Performance" has the PostgreSQL plan at a million orders).

The list is kept per shopper in the shared cache (BOUGHT_CACHE_SECONDS), dropped when one of
their payments settles or an order is cancelled (orders.signals, connected in OrdersConfig) and
when their data is erased: for a long history the statement reads every paid order, which was
most of the order history page's time (issue 28: ~18 ms of ~33 ms for a 5,000-order shopper).
Whether a product is still sold is read fresh on each call, by primary key.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections, transaction

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
        # bought (a free gift was not) of a product the catalog still has; whether it is still
        # sold (the wishlist's rule too) is read on each call, by buy_again_page.
        bought = (
            f"SELECT {self.inner.sql}, {column(c, Order, 'order_date', 'o')} AS bought_at, "
            f"{o_id} AS bought_order, {i_id} AS bought_line, ROW_NUMBER() OVER (PARTITION BY "
            f"{column(c, OrderItem, 'product_ref', 'i')} ORDER BY {column(c, Order, 'order_date', 'o')} DESC, "
            f"{o_id} DESC, {i_id} DESC) AS nth "
            f"FROM {table(c, Order)} o JOIN {table(c, OrderItem)} i ON {column(c, OrderItem, 'order', 'i')} = {o_id} "
            f"JOIN {table(c, Product)} pr ON {column(c, Product, 'id', 'pr')} = {column(c, OrderItem, 'product', 'i')} "
            f"WHERE {column(c, Order, 'customer', 'o')} = %s AND {column(c, Order, 'payment_status', 'o')} = %s "
            f"AND {column(c, Order, 'status', 'o')} <> %s AND {column(c, OrderItem, 'is_free_item', 'i')} = %s"
        )
        newest = "p.bought_at DESC, p.bought_order DESC, p.bought_line DESC"
        # Every product bought, each at its latest purchase, newest first (paged in Python: the
        # whole list is what the cache keeps).
        self.sql = f"SELECT {self.outer.sql} FROM ({bought}) p WHERE p.nth = 1 ORDER BY {newest}"


_SQL: dict[str, _BuyAgainSQL] = {}


BOUGHT_CACHE_SECONDS = 15 * 60


def _cache_key(customer_id) -> str:
    return f"orders:buy-again:{customer_id}"


def _bought(customer) -> list[BuyAgainItem]:
    """Every product the customer paid for and kept, newest purchase first, sold or not."""
    key = _cache_key(customer.pk)
    items = cache.get(key)
    if items is not None:
        return items
    connection = connections[list_db()]
    sql = _SQL.get(connection.alias)
    if sql is None:
        sql = _SQL[connection.alias] = _BuyAgainSQL(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql.sql, [customer.pk, PaymentStatus.SUCCESS, OrderStatus.CANCELLED, False])
        lines = cursor.fetchall()
    items = []
    for line in lines:
        row = sql.outer.row(line, connection)
        items.append(BuyAgainItem(product_id=row.pop("product_ref"), **row))
    cache.set(key, items, BOUGHT_CACHE_SECONDS)
    return items


def buy_again_forget(*, customer_id) -> None:
    """Drop the customer's kept list: now, and again once the transaction that changed what they
    bought commits (a read between the two may have kept the old list)."""
    key = _cache_key(customer_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def buy_again_page(*, customer, params: ListParams) -> tuple[list[BuyAgainItem], dict]:
    """One page of the products the customer bought and the shop still sells, each once, at its
    latest purchase (its variant and prices then), newest first, and the pagination."""
    bought = _bought(customer)
    if bought:
        sold = set(
            Product.objects.using(list_db())
            .filter(pk__in=[item.product_id for item in bought], active=True)
            .values_list("pk", flat=True)
        )
        bought = [item for item in bought if item.product_id in sold]
    page = bought[params.offset : params.offset + params.limit]
    return page, pagination_info(total=len(bought), params=params)
