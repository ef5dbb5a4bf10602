"""Review writes: submitting (only for products the shopper received and kept), changing or
deleting one's own review while it waits for moderation, and moderation.

A product's `average_rating` and `review_count` count approved reviews only; every change of a
review's status recomputes them under a lock on the product row.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from common.errors import ErrorCode
from common.exceptions import DomainError, Forbidden, InvalidInput, NotFound
from common.images import image_normalise
from common.sqlrows import column, table
from orders.lifecycle import order_items_received
from orders.models import Order

from . import selectors
from .models import ReceivedProduct, Review, ReviewImage, ReviewStatus

MAX_TAGS = 10


def product_rating_refresh(product_id: str) -> None:
    """Recompute a product's average and count from its approved reviews (row locked)."""
    Product.objects.select_for_update().filter(pk=product_id).values_list("pk", flat=True).first()
    totals = Review.objects.filter(product_id=product_id, status=ReviewStatus.APPROVED).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    average = Decimal(totals["average"] or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    Product.objects.filter(pk=product_id).update(average_rating=average, review_count=totals["count"])


def _latest_received(*, customer_id=None, product_ids=(), order_number: str | None = None) -> tuple[str, list]:
    """SELECT customer, product, order item, order date: for each product a shopper received and
    kept (`orders.lifecycle.order_items_received`), the most recent order item that brought it.
    For one customer and some of their products (in one order, by number), or for everyone.

    This is the review eligibility rule; ReceivedProduct stores its answer
    (`selectors.products_received`)."""
    items = order_items_received().filter(kept__gt=0, product__isnull=False)
    if customer_id is not None:
        items = items.filter(order__customer_id=customer_id)
    if product_ids:
        items = items.filter(product_id__in=product_ids)
    if order_number is not None:
        items = items.filter(order__number=order_number)
    latest = (
        items.annotate(
            n=Window(
                RowNumber(),
                partition_by=[F("order__customer_id"), F("product_id")],
                order_by=[F("order__order_date").desc(), F("pk").asc()],
            )
        )
        .filter(n=1)
        .order_by()
        .values(
            received_customer=F("order__customer_id"),
            received_product=F("product_id"),
            received_item=F("pk"),
            received_date=F("order__order_date"),
        )
    )
    return latest.query.sql_with_params()


# No savepoint of its own: called inside an order's write (orders.signals.received_changed), it is
# a part of that write, and an error here fails the write whole.
@transaction.atomic(savepoint=False)
def received_products_refresh(*, customer_id=None, product_ids=None) -> None:
    """Bring ReceivedProduct up to date for one shopper (for `product_ids`, or all of theirs), or
    for every shopper when `customer_id` is None (after a bulk load, and the first migration).

    Called whenever what a shopper received changes: a shipment delivered, a return requested,
    cancelled or rejected. The rows are upserted, so two refreshes at once cannot collide.
    """
    product_ids = list(dict.fromkeys(product_ids or []))
    args = [customer_id] if customer_id is not None else []
    select, params = _latest_received(customer_id=customer_id, product_ids=product_ids)
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
            f"NOT IN (SELECT received_customer, received_product FROM ({select}) fresh)",
            [*args, *product_ids, *params],
        )
        cursor.execute(
            f"INSERT INTO {stored} ({customer_col}, {product_col}, {item_col}, {date_col}) "
            # WHERE: SQLite would read the ON of ON CONFLICT as a join's (its documented ambiguity).
            f"SELECT received_customer, received_product, received_item, received_date FROM ({select}) fresh "
            f"WHERE 1 = 1 ON CONFLICT ({customer_col}, {product_col}) DO UPDATE SET "
            f"{item_col} = excluded.{item_col}, {date_col} = excluded.{date_col}",
            params,
        )


def _order_received(*, customer, product: Product, order_number: str | None) -> Order:
    """The order a review cites, by the rule the ready-for-review list reads
    (`selectors.products_received`): by default the most recent order that brought the product,
    or the order named, if it brought the product and the shopper kept it."""
    refused = Forbidden(_("You can review products you have received and kept."), code=ErrorCode.NOT_PURCHASED)
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
    sql, params = _latest_received(customer_id=customer.pk, product_ids=[product.pk], order_number=order_number)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.fetchone() is None:
            raise refused
    return Order.objects.get(customer=customer, number=order_number)


def _clean_tags(tags) -> list[str]:
    tags = [str(t).strip()[:40] for t in (tags or []) if str(t).strip()]
    if len(tags) > MAX_TAGS:
        raise InvalidInput.for_field("tags", gettext("At most %(max_tags)s tags.") % {"max_tags": MAX_TAGS})
    return list(dict.fromkeys(tags))


def _clean_rating_and_text(*, rating, review_text) -> tuple[int, str]:
    """A rating of 1 to 5 stars, and words if the shopper has some: a star-only rating is a review."""
    if not 1 <= int(rating) <= 5:
        raise InvalidInput.for_field("rating", _("Rate from 1 to 5 stars."))
    review_text = (review_text or "").strip()
    if len(review_text) > 5000:
        raise InvalidInput.for_field("review_text", _("Write at most 5000 characters."))
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
        raise InvalidInput.for_field(
            "images", gettext("Add at most %(max_images)s photos.") % {"max_images": Review.MAX_IMAGES}
        )
    tags = _clean_tags(tags)
    order = _order_received(customer=customer, product=product, order_number=order_number)
    if Review.objects.filter(customer=customer, product=product).exists():
        raise DomainError(_("You have already reviewed this product."), code=ErrorCode.ALREADY_REVIEWED)

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
        raise DomainError(_("You have already reviewed this product."), code=ErrorCode.ALREADY_REVIEWED) from None
    except Exception:
        for name in stored:
            storage.delete(name)
        raise
    return review


def _own_pending_review(*, customer, review_id) -> Review:
    """The shopper's review, row locked, if it may still change (`Review.can_change`)."""
    review = Review.objects.select_for_update().filter(customer=customer, pk=review_id).first()
    if review is None:
        raise NotFound(_("Review not found."))
    if not review.can_change:
        raise DomainError(
            _("This review has been checked already, so it can no longer be changed."),
            code=ErrorCode.INVALID_TRANSITION,
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
