"""Order reads, always scoped to one customer: another shopper's order is simply not found."""

from django.db.models import Prefetch, Q, QuerySet

from common.exceptions import NotFound

from .models import Order, OrderItem, OrderReturn, Refund, ReturnItem, Shipment, ShipmentItem

ORDER_SORT_FIELDS = {"order_date": "order_date", "grand_total": "grand_total"}
ORDER_DEFAULT_SORT = {"order_date": "desc"}
RETURN_SORT_FIELDS = {"created_at": "created_at"}
RETURN_DEFAULT_SORT = {"created_at": "desc"}

_RETURN_PREFETCH = [
    Prefetch("items", queryset=ReturnItem.objects.select_related("order_item", "shipment")),
]


def order_list_for_customer(*, customer, statuses: list[str] | None = None) -> QuerySet[Order]:
    orders = Order.objects.filter(customer=customer).prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("pk"))
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
