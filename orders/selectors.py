"""Order reads, always scoped to one customer: another shopper's order is simply not found."""

from django.db.models import Prefetch, Q, QuerySet

from common.db import list_db
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


def order_history_page(*, customer, statuses: list[str] | None, params) -> tuple[list[dict], dict]:
    """The hot path of GET /orders: one page of the history as plain rows, in two queries
    (count, then the page's items joined to their orders), whatever the page size or depth.

    The page's order ids are found on the (customer, order_date, id) index alone, so a page deep
    in a long history costs about what the first one does.
    """
    from common.pagination import pagination_info

    orders = Order.objects.using(list_db()).filter(customer=customer)
    if statuses:
        orders = orders.filter(status__in=statuses)
    total = orders.count()
    tiebreak = "-pk" if params.ordering and params.ordering[-1].startswith("-") else "pk"
    ordering = [*params.ordering, tiebreak]
    page_ids = orders.order_by(*ordering).values("pk")[params.offset : params.offset + params.limit]
    # Every order has at least one item (order_place refuses an empty order), so joining from
    # the items loses no order.
    item_ordering = [f"{'-' if o.startswith('-') else ''}order__{o.lstrip('-').replace('pk', 'id')}" for o in ordering]
    lines = (
        OrderItem.objects.using(list_db()).filter(order_id__in=page_ids)
        .order_by(*item_ordering, "pk")
        .values(*ORDER_ITEM_LIST_COLUMNS, *(f"order__{c}" for c in ORDER_LIST_COLUMNS))
    )
    rows: dict[str, dict] = {}
    for line in lines:
        row = rows.get(line["order_id"])
        if row is None:
            row = rows[line["order_id"]] = {c: line[f"order__{c}"] for c in ORDER_LIST_COLUMNS}
            row["items"] = []
        row["items"].append(line)
    return list(rows.values()), pagination_info(total=total, params=params)
