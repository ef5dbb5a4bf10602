"""Review reads."""

from django.db.models import Count, Max, Q, QuerySet, Sum

from orders.models import RETURN_HOLDING_STATUSES, OrderItem, ReturnItem

from .models import Review, ReviewStatus
from .services import RECEIVED_STATUSES

PRODUCT_REVIEW_SORT_FIELDS = {"created_at": "created_at", "rating": "rating"}
PRODUCT_REVIEW_DEFAULT_SORT = {"created_at": "desc"}


def reviews_for_customer(*, customer) -> QuerySet[Review]:
    return (
        Review.objects.filter(customer=customer)
        .select_related("product", "order")
        .prefetch_related("images")
        .order_by("-created_at", "-pk")
    )


def ready_for_review(*, customer) -> list[OrderItem]:
    """Each product the shopper received and has not reviewed (nor returned in full), once,
    with its most recent order. Three small queries, whatever the length of the history: the
    database finds each product's latest purchase, Python only sees one row per product."""
    fully_returned = [
        item_id
        for item_id, quantity, returned in ReturnItem.objects.filter(
            order_return__order__customer=customer, order_return__status__in=RETURN_HOLDING_STATUSES
        )
        .values("order_item")
        .annotate(total=Sum("quantity"))
        .values_list("order_item", "order_item__quantity", "total")
        if returned >= quantity
    ]
    received = (
        OrderItem.objects.filter(order__customer=customer, order__status__in=RECEIVED_STATUSES, product__isnull=False)
        .exclude(product__in=Review.objects.filter(customer=customer).values("product"))
        .exclude(pk__in=fully_returned)
    )
    latest = received.values("product_id").annotate(last=Max("order__order_date"))
    wanted = Q(pk__in=[])
    for row in latest:
        wanted |= Q(product_id=row["product_id"], order__order_date=row["last"])
    chosen: dict[str, OrderItem] = {}
    for item in received.filter(wanted).select_related("order", "product").order_by("-order__order_date", "pk"):
        chosen.setdefault(item.product_id, item)
    return list(chosen.values())


def approved_reviews_for_product(*, product) -> QuerySet[Review]:
    return Review.objects.filter(product=product, status=ReviewStatus.APPROVED).select_related(
        "customer"
    ).prefetch_related("images")


def rating_counts(*, product) -> dict[str, int]:
    counts = dict(
        Review.objects.filter(product=product, status=ReviewStatus.APPROVED)
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    return {str(star): counts.get(star, 0) for star in range(1, 6)}
