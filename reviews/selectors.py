"""Review reads."""

from django.db.models import Count, QuerySet

from catalog.models import Product
from orders.models import OrderItem

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
    with the most recent order item that brought it. The ready-for-review list and `services.review_submit` both read it; the rows are rebuilt
    by `services.received_products_refresh` whenever a delivery or a return changes them."""
    return ReceivedProduct.objects.filter(customer=customer)


def ready_for_review_rows(*, customer) -> QuerySet:
    """Each product the shopper received and kept (`products_received`) and has not reviewed,
    once, with its most recent order, newest first: the stored rows, to page (ready_items turns
    a page of them into order items). One query on the stored rows, so it costs the same whatever
    the length of the history."""
    return (
        products_received(customer=customer)
        .exclude(product__in=Review.objects.filter(customer=customer).values("product"))
        .select_related("order_item__order", "product")
        # Of the order, only what a review names it by: its row is the widest of the four, and
        # reading it whole doubled this list's cost on the overview.
        .only(*_READY_COLUMNS)
        .order_by("-order_date", "order_item_id")
    )


def _columns(model, prefix: str = "") -> list[str]:
    return [f"{prefix}{field.name}" for field in model._meta.concrete_fields]


_READY_COLUMNS = [
    *_columns(ReceivedProduct),
    *_columns(OrderItem, "order_item__"),
    *_columns(Product, "product__"),
    "order_item__order__id",
    "order_item__order__number",
]


def ready_items(rows) -> list[OrderItem]:
    """The order items of ready_for_review_rows (all of them, or a page), each with its product."""
    items = []
    for row in rows:
        item = row.order_item
        item.product = row.product
        items.append(item)
    return items


def ready_for_review(*, customer, limit: int | None = None) -> list[OrderItem]:
    """What the shopper may review (ready_for_review_rows), as order items; the first `limit`."""
    rows = ready_for_review_rows(customer=customer)
    return ready_items(rows if limit is None else rows[:limit])


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
