"""Review writes: submitting (only for products the shopper received and kept), changing or
deleting one's own review while it waits for moderation, and moderation.

A product's `average_rating` and `review_count` count approved reviews only; every change of a
review's status recomputes them under a lock on the product row.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from catalog.models import Product
from common.errors import ErrorCode
from common.exceptions import DomainError, Forbidden, InvalidInput, NotFound
from common.images import image_normalise
from common.sqlrows import column, table
from orders.lifecycle import RETURN_HOLDING_STATUSES
from orders.models import Order, OrderItem, OrderReturn, OrderStatus, ReturnItem

from . import selectors
from .models import ReceivedProduct, Review, ReviewImage, ReviewStatus

RECEIVED_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETE)
MAX_TAGS = 10


def product_rating_refresh(product_id: str) -> None:
    """Recompute a product's average and count from its approved reviews (row locked)."""
    Product.objects.select_for_update().filter(pk=product_id).values_list("pk", flat=True).first()
    totals = Review.objects.filter(product_id=product_id, status=ReviewStatus.APPROVED).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    average = Decimal(totals["average"] or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    Product.objects.filter(pk=product_id).update(average_rating=average, review_count=totals["count"])


def _latest_received_sql(*, customer: bool, products: int, order: bool = False) -> tuple[str, list]:
    """SELECT customer, product, order item, order date: for each product a shopper received and
    kept (not returned in full), the most recent order item that brought it. For one customer
    and some of their products (in one order, by number), or for everyone.

    This is the review eligibility rule; ReceivedProduct stores its answer
    (`selectors.products_received`)."""
    c = connection

    def marks(n):
        return ", ".join(["%s"] * n)

    customer_id, product_id = column(c, Order, "customer", "o"), column(c, OrderItem, "product", "i")
    item_id, order_date = column(c, OrderItem, "id", "i"), column(c, Order, "order_date", "o")
    returned = (
        f"SELECT SUM({column(c, ReturnItem, 'quantity', 'ri')}) FROM {table(c, ReturnItem)} ri "
        f"JOIN {table(c, OrderReturn)} r ON {column(c, OrderReturn, 'id', 'r')} = {column(c, ReturnItem, 'order_return', 'ri')} "
        f"WHERE {column(c, ReturnItem, 'order_item', 'ri')} = {item_id} "
        f"AND {column(c, OrderReturn, 'status', 'r')} IN ({marks(len(RETURN_HOLDING_STATUSES))})"
    )
    where = [
        f"{column(c, Order, 'status', 'o')} IN ({marks(len(RECEIVED_STATUSES))})",
        f"{product_id} IS NOT NULL",
        f"{column(c, OrderItem, 'quantity', 'i')} > COALESCE(({returned}), 0)",
    ]
    params = [*RECEIVED_STATUSES, *RETURN_HOLDING_STATUSES]
    if customer:
        where.append(f"{customer_id} = %s")
    if products:
        where.append(f"{product_id} IN ({marks(products)})")
    if order:
        where.append(f"{column(c, Order, 'number', 'o')} = %s")
    sql = (
        f"SELECT customer_id, product_id, order_item_id, order_date FROM ("
        f"SELECT {customer_id} AS customer_id, {product_id} AS product_id, {item_id} AS order_item_id, "
        f"{order_date} AS order_date, ROW_NUMBER() OVER (PARTITION BY {customer_id}, {product_id} "
        f"ORDER BY {order_date} DESC, {item_id}) AS n "
        f"FROM {table(c, OrderItem)} i JOIN {table(c, Order)} o ON {column(c, Order, 'id', 'o')} = "
        f"{column(c, OrderItem, 'order', 'i')} WHERE {' AND '.join(where)}) latest WHERE n = 1"
    )
    return sql, params


@transaction.atomic
def received_products_refresh(*, customer_id=None, product_ids=None) -> None:
    """Bring ReceivedProduct up to date for one shopper (for `product_ids`, or all of theirs), or
    for every shopper when `customer_id` is None (after a bulk load, and the first migration).

    Called whenever what a shopper received changes: a shipment delivered, a return requested,
    cancelled or rejected. The rows are upserted, so two refreshes at once cannot collide.
    """
    product_ids = list(dict.fromkeys(product_ids or []))
    args = [customer_id] if customer_id is not None else []
    select, params = _latest_received_sql(customer=customer_id is not None, products=len(product_ids))
    params += args + product_ids
    customer_col, product_col, item_col, date_col = (
        column(connection, ReceivedProduct, name) for name in ("customer", "product", "order_item", "order_date")
    )
    scope = ([f"{customer_col} = %s"] if customer_id is not None else []) + (
        [f"{product_col} IN ({', '.join(['%s'] * len(product_ids))})"] if product_ids else []
    )
    stored = table(connection, ReceivedProduct)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {stored} WHERE {' AND '.join(scope) or '1 = 1'} AND ({customer_col}, {product_col}) "
            f"NOT IN (SELECT customer_id, product_id FROM ({select}) fresh)",
            [*args, *product_ids, *params],
        )
        cursor.execute(
            f"INSERT INTO {stored} ({customer_col}, {product_col}, {item_col}, {date_col}) {select} "
            f"ON CONFLICT ({customer_col}, {product_col}) DO UPDATE SET "
            f"{item_col} = excluded.{item_col}, {date_col} = excluded.{date_col}",
            params,
        )


def _order_received(*, customer, product: Product, order_number: str | None) -> Order:
    """The order a review cites, by the rule the ready-for-review list reads
    (`selectors.products_received`): by default the most recent order that brought the product,
    or the order named, if it brought the product and the shopper kept it."""
    refused = Forbidden("You can review products you have received and kept.", code=ErrorCode.NOT_PURCHASED)
    received = (
        selectors.products_received(customer=customer)
        .filter(product=product)
        .select_related("order_item__order")
        .first()
    )
    if received is None:
        raise refused
    order = received.order_item.order
    if not order_number or order_number == order.number:
        return order
    # An older order of the same product: the same rule, asked for that order alone.
    sql, params = _latest_received_sql(customer=True, products=1, order=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, customer.pk, product.pk, order_number])
        if cursor.fetchone() is None:
            raise refused
    return Order.objects.get(customer=customer, number=order_number)


def _clean_tags(tags) -> list[str]:
    tags = [str(t).strip()[:40] for t in (tags or []) if str(t).strip()]
    if len(tags) > MAX_TAGS:
        raise InvalidInput.for_field("tags", f"At most {MAX_TAGS} tags.")
    return list(dict.fromkeys(tags))


def _clean_rating_and_text(*, rating, review_text) -> tuple[int, str]:
    """A rating of 1 to 5 stars, and words if the shopper has some: a star-only rating is a review."""
    if not 1 <= int(rating) <= 5:
        raise InvalidInput.for_field("rating", "Rate from 1 to 5 stars.")
    review_text = (review_text or "").strip()
    if len(review_text) > 5000:
        raise InvalidInput.for_field("review_text", "Write at most 5000 characters.")
    return int(rating), review_text


def review_submit(
    *,
    customer,
    product: Product,
    rating: int,
    review_text: str = "",
    order_number: str | None = None,
    tags=None,
    images=(),
) -> Review:
    """Submit a review of a received product; pending until staff approve it (unless auto-approve)."""
    rating, review_text = _clean_rating_and_text(rating=rating, review_text=review_text)
    images = list(images or [])
    if len(images) > Review.MAX_IMAGES:
        raise InvalidInput.for_field("images", f"Add at most {Review.MAX_IMAGES} photos.")
    tags = _clean_tags(tags)
    order = _order_received(customer=customer, product=product, order_number=order_number)
    if Review.objects.filter(customer=customer, product=product).exists():
        raise DomainError("You have already reviewed this product.", code=ErrorCode.ALREADY_REVIEWED)

    # Check every photo before storing anything.
    prepared = []
    for upload in images:
        standard = image_normalise(upload, max_side=1024)
        upload.seek(0)
        thumbnail = image_normalise(upload, max_side=256)
        prepared.append((standard, thumbnail))

    stored: list[tuple] = []
    storage = ReviewImage._meta.get_field("standard").storage
    try:
        with transaction.atomic():
            review = Review.objects.create(
                customer=customer,
                product=product,
                order=order,
                rating=rating,
                review_text=review_text,
                tags=tags,
                status=ReviewStatus.APPROVED if settings.REVIEWS_AUTO_APPROVE else ReviewStatus.PENDING,
            )
            for position, (standard, thumbnail) in enumerate(prepared):
                image = ReviewImage(review=review, position=position)
                image.standard.save(standard.content.name, standard.content, save=False)
                stored.append(image.standard.name)
                image.thumbnail.save(thumbnail.content.name, thumbnail.content, save=False)
                stored.append(image.thumbnail.name)
                image.save()
            if review.status == ReviewStatus.APPROVED:
                product_rating_refresh(product.pk)
    except IntegrityError:
        for name in stored:
            storage.delete(name)
        raise DomainError("You have already reviewed this product.", code=ErrorCode.ALREADY_REVIEWED) from None
    except Exception:
        for name in stored:
            storage.delete(name)
        raise
    return review


def _own_pending_review(*, customer, review_id) -> Review:
    """The shopper's review, row locked, if it may still change (`Review.can_change`)."""
    review = Review.objects.select_for_update().filter(customer=customer, pk=review_id).first()
    if review is None:
        raise NotFound("Review not found.")
    if not review.can_change:
        raise DomainError(
            "This review has been checked already, so it can no longer be changed.", code=ErrorCode.INVALID_TRANSITION
        )
    return review


@transaction.atomic
def review_update(*, customer, review_id, rating: int, review_text: str = "") -> Review:
    """Change the stars and words of one's own review while it is pending (the submit rules)."""
    rating, review_text = _clean_rating_and_text(rating=rating, review_text=review_text)
    review = _own_pending_review(customer=customer, review_id=review_id)
    review.rating, review.review_text = rating, review_text
    review.save(update_fields=["rating", "review_text", "modified_at"])
    return review


@transaction.atomic
def review_delete(*, customer, review_id) -> None:
    """Delete one's own pending review (and its photos, once the delete commits); the product
    goes back to the shopper's "waiting for your review" list. A pending review counts in no
    product's rating, so none changes."""
    review = _own_pending_review(customer=customer, review_id=review_id)
    files = [f for image in review.images.all() for f in (image.standard, image.thumbnail) if f]
    review.delete()
    transaction.on_commit(lambda: _files_delete(files))


def _files_delete(files) -> None:
    for stored in files:
        stored.storage.delete(stored.name)


@transaction.atomic
def review_approve(*, review: Review, staff=None) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status == ReviewStatus.APPROVED:
        return review
    review.status, review.moderated_at, review.moderated_by = ReviewStatus.APPROVED, timezone.now(), staff
    review.rejection_reason = ""
    review.save()
    product_rating_refresh(review.product_id)
    return review


@transaction.atomic
def review_reject(*, review: Review, reason: str = "", staff=None) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    review.status, review.moderated_at, review.moderated_by = ReviewStatus.REJECTED, timezone.now(), staff
    review.rejection_reason = (reason or "").strip()
    review.save()
    product_rating_refresh(review.product_id)
    return review
