"""Review reads."""

from django.db.models import Count, QuerySet, Sum

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
    with its most recent order. Three light queries, whatever the length of the history."""
    candidates = (
        OrderItem.objects.filter(order__customer=customer, order__status__in=RECEIVED_STATUSES, product__isnull=False)
        .exclude(product__in=Review.objects.filter(customer=customer).values("product"))
        .order_by("-order__order_date", "pk")
        .values_list("pk", "product_id", "quantity")
    )
    returned = dict(
        ReturnItem.objects.filter(
            order_return__order__customer=customer, order_return__status__in=RETURN_HOLDING_STATUSES
        )
        .values("order_item")
        .annotate(total=Sum("quantity"))
        .values_list("order_item", "total")
    )
    chosen: dict[str, str] = {}  # product -> its most recent order item not returned in full
    for item_id, product_id, quantity in candidates:
        if product_id not in chosen and returned.get(item_id, 0) < quantity:
            chosen[product_id] = item_id
    items = OrderItem.objects.filter(pk__in=list(chosen.values())).select_related("order", "product")
    return sorted(items, key=lambda item: (item.order.order_date, item.pk), reverse=True)


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
