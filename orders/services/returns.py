"""Returns: the shopper asks, staff approve or reject, receive the items and complete it with a
refund or a free replacement order."""

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput
from common.images import image_normalise
from common.sqlrows import attach
from customers.models import Address
from loyalty import services as loyalty

from .. import signals
from ..lifecycle import (
    MAX_RETURN_COMMENT,
    MAX_RETURN_PHOTOS,
    ORDER_RETURN,
    RETURN_APPROVE,
    RETURN_CANCEL,
    RETURN_COMPLETE,
    RETURN_RECEIVE,
    RETURN_REJECT,
    is_return_window_open,
    return_refund,
    return_takes_photos,
    returnable_quantities,
)
from ..models import (
    ZERO,
    Order,
    OrderItem,
    OrderReturn,
    OrderStatus,
    RefundMode,
    Resolution,
    ReturnAttachment,
    ReturnItem,
    ReturnStatus,
    ShipmentItem,
    ShipmentStatus,
)
from .base import create_with_number, lock_order, order_write, received_changed
from .placement import ADDRESS_SNAPSHOT_FIELDS, OrderLine, Placement, order_place
from .refunds import bank_account_for_refund, normalize_refund_mode, refund_create

# What a return line keeps when the shopper gives no reason (the SDK's return_reason is optional;
# the website's form asks for one).
RETURN_REASON_NOT_GIVEN = "No reason given"


@dataclass
class ReturnRequestLine:
    order_item: OrderItem
    quantity: int
    reason: str
    resolution: str


def order_item_find(
    order: Order, *, product_id: str, variant_id: str | None = None, sku: str | None = None
) -> OrderItem:
    """The order's item a return line names by product (and variant or SKU), or a field error."""
    for item in order.items.all():
        if (
            item.product_ref == str(product_id).upper()
            and (not variant_id or item.variant_id == variant_id)
            and (not sku or item.sku == sku)
        ):
            return item
    raise InvalidInput.for_field(
        "return_items", gettext("Product %(product_id)s is not in this order.") % {"product_id": product_id}
    )


def return_create(
    *, order: Order, lines: list[ReturnRequestLine], pickup_address: dict | None = None, comment: str = ""
) -> OrderReturn:
    """Ask to return delivered items, within the return window, up to what is still returnable;
    `comment` is what the shopper adds in their own words (staff read it beside the reasons).
    Given an order from order_lock_for_customer, the return comes back with everything its
    detail shows (items, their shipments, no photos or refunds yet) without a read."""
    comment = (comment or "").strip()
    if len(comment) > MAX_RETURN_COMMENT:
        raise InvalidInput.for_field(
            "comment",
            gettext("Keep the comment to %(max_return_comment)s characters.")
            % {"max_return_comment": MAX_RETURN_COMMENT},
        )
    if not lines:
        raise InvalidInput.for_field("return_items", _("Choose at least one item to return."))
    with order_write(order) as order:
        ORDER_RETURN.require(order)
        if not is_return_window_open(order):
            raise DomainError(_("The return window for this order has closed."), code=ErrorCode.RETURN_WINDOW_CLOSED)
        available = returnable_quantities(order)
        wanted: dict[str, int] = {}
        for line in lines:
            if line.order_item.order_id != order.pk:
                raise InvalidInput.for_field("return_items", _("An item is not part of this order."))
            if line.resolution not in Resolution.values:
                raise InvalidInput.for_field("resolution", _("Choose refund or replacement."))
            wanted[line.order_item.pk] = wanted.get(line.order_item.pk, 0) + line.quantity
        for pk, quantity in wanted.items():
            if quantity <= 0 or quantity > available.get(pk, 0):
                item = next(line.order_item for line in lines if line.order_item.pk == pk)
                raise DomainError(
                    gettext("You can return at most %(count)s of %(product_name)s.")
                    % {"count": available.get(pk, 0), "product_name": item.product_name},
                    code=ErrorCode.QUANTITY_EXCEEDED,
                )
        order_return = create_with_number(
            OrderReturn, "RET", order=order, pickup_address=pickup_address or None, comment=comment
        )
        order.__dict__.pop("_returnable_quantities", None)  # this return holds some of them now
        delivered_in = _delivered_in(order)
        items = ReturnItem.objects.bulk_create(
            [
                ReturnItem(
                    order_return=order_return,
                    order_item=line.order_item,
                    quantity=line.quantity,
                    reason=(line.reason or "").strip() or RETURN_REASON_NOT_GIVEN,
                    resolution=line.resolution,
                    shipment_id=delivered_in.get(line.order_item.pk),
                )
                for line in lines
            ]
        )
        shipments = _prefetched(order, "shipments")
        if shipments is not None:  # what the answer shows, as return_get_for_order reads it
            by_id = {shipment.pk: shipment for shipment in shipments}
            for item in items:
                item.shipment = by_id.get(item.shipment_id)
            attach(order_return, "items", items)
            attach(order_return, "attachments", [])
            attach(order_return, "refunds", [])
        received_changed(order, [line.order_item.product_id for line in lines])
        signals.return_requested.send(sender=Order, order_return=order_return)
    return order_return


def _prefetched(instance, name: str) -> list | None:
    """`instance.<name>`'s rows when they are loaded already, else None."""
    cached = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    return None if cached is None else list(cached)


def _delivered_in(order: Order) -> dict[str, str]:
    """The delivered shipment each order item came in (by id): from the order's loaded shipments
    when it has them, else one query."""
    shipments = _prefetched(order, "shipments")
    if shipments is None:
        return dict(
            ShipmentItem.objects.filter(shipment__order=order, shipment__status=ShipmentStatus.DELIVERED).values_list(
                "order_item_id", "shipment_id"
            )
        )
    return {
        shipment_item.order_item_id: shipment.pk
        for shipment in shipments
        if shipment.status == ShipmentStatus.DELIVERED
        for shipment_item in shipment.items.all()
    }


def _lock_return(order_return: OrderReturn) -> OrderReturn:
    lock_order(order_return.order)
    return OrderReturn.objects.select_for_update().get(pk=order_return.pk)


def _return_released(order_return: OrderReturn) -> None:
    """A cancelled or rejected return gives its items back to the shopper."""
    received_changed(order_return.order, order_return.items.values_list("order_item__product_id", flat=True))


@transaction.atomic
def return_cancel(*, order_return: OrderReturn, reason: str) -> OrderReturn:
    """The shopper withdraws a return that staff have not acted on."""
    order_return = _lock_return(order_return)
    RETURN_CANCEL.require(order_return)
    order_return.status, order_return.cancelled_at = ReturnStatus.CANCELLED, timezone.now()
    order_return.cancellation_reason = (reason or "").strip()
    order_return.save()
    _return_released(order_return)
    return order_return


@transaction.atomic
def return_approve(*, order_return: OrderReturn) -> OrderReturn:
    order_return = _lock_return(order_return)
    RETURN_APPROVE.require(order_return)
    order_return.status, order_return.approved_at = ReturnStatus.APPROVED, timezone.now()
    order_return.save()
    signals.return_decided.send(sender=Order, order_return=order_return)
    return order_return


@transaction.atomic
def return_reject(*, order_return: OrderReturn, reason: str) -> OrderReturn:
    if not (reason or "").strip():
        raise InvalidInput.for_field("reason", _("Say why the return is rejected."))
    order_return = _lock_return(order_return)
    RETURN_REJECT.require(order_return)
    order_return.status, order_return.rejected_at = ReturnStatus.REJECTED, timezone.now()
    order_return.rejection_reason = reason.strip()
    order_return.save()
    signals.return_decided.send(sender=Order, order_return=order_return)
    _return_released(order_return)
    return order_return


@transaction.atomic
def return_receive(*, order_return: OrderReturn) -> OrderReturn:
    order_return = _lock_return(order_return)
    RETURN_RECEIVE.require(order_return)
    order_return.received_at = timezone.now()
    order_return.save()
    signals.return_received.send(sender=Order, order_return=order_return)
    return order_return


def _snapshot_address(snapshot: dict, customer) -> Address:
    """An unsaved Address carrying an order's snapshot, to copy it onto a replacement order."""
    values = {k: v for k, v in snapshot.items() if k in ADDRESS_SNAPSHOT_FIELDS and k != "id"}
    return Address(customer=customer, **values)


@transaction.atomic
def return_complete(
    *,
    order_return: OrderReturn,
    refund_mode: str = RefundMode.ORIGINAL_PAYMENT_MODE,
    bank_account_id: str | None = None,
) -> OrderReturn:
    """Settle a received return: refund its refund items, send a replacement for the others."""
    order_return = _lock_return(order_return)
    RETURN_COMPLETE.require(order_return)
    order = Order.objects.get(pk=order_return.order_id)
    refund_mode = normalize_refund_mode(refund_mode)
    bank_account = bank_account_for_refund(order, refund_mode, bank_account_id)
    items = list(order_return.items.select_related("order_item__product"))

    back = return_refund(order, items)
    if back.value > 0:
        refund = refund_create(
            order,
            amount=back.amount,
            refund_mode=refund_mode,
            bank_account=bank_account,
            order_return=order_return,
            remarks=f"Return {order_return.request_number}",
        )
        if refund is not None:  # nothing to give back in money when it was all paid in points
            signals.return_refunded.send(sender=Order, order_return=order_return, refund=refund)
        loyalty.points_reverse(
            customer=order.customer,
            order_number=order.number,
            earned_points=math.floor(order.loyalty_points_earned * back.share),
            redeemed_points=back.points,
            spend=back.amount if order.status == OrderStatus.COMPLETE else ZERO,
            reason=f"Return {order_return.request_number}.",
        )

    replacements = [i for i in items if i.resolution == Resolution.REPLACEMENT]
    if replacements:
        replacement = order_place(
            Placement(
                customer=order.customer,
                lines=[
                    OrderLine(product=i.order_item.product, quantity=i.quantity)
                    for i in replacements
                    if i.order_item.product is not None
                ],
                billing_address=_snapshot_address(order.billing_address, order.customer),
                shipping_address=_snapshot_address(order.shipping_address, order.customer),
                free_items=True,
                customer_note=f"Replacement for {order.number} (return {order_return.request_number})",
            )
        )
        Order.objects.filter(pk=replacement.pk).update(replacement_for=order_return)
        order_return.replacement_order = replacement

    order_return.status, order_return.completed_at = ReturnStatus.COMPLETE, timezone.now()
    order_return.save()
    return order_return


def return_photos_normalise(uploads: list) -> list:
    """Clean copies of 1-3 uploaded photos (common.images: checked, re-encoded, no metadata), or
    400/409 before anything is stored: the slow part of adding photos, done before any lock."""
    uploads = [upload for upload in uploads or [] if upload is not None]
    if not uploads:
        raise InvalidInput.for_field("images", _("Choose at least one photo."))
    if len(uploads) > MAX_RETURN_PHOTOS:
        raise _too_many()
    return [image_normalise(upload, max_side=1600) for upload in uploads]


def return_photos_add(*, order_return: OrderReturn, uploads: list | None = None, images: list | None = None):
    """Store clean copies of 1-3 photos of the returned items, while the return is open.

    `uploads` are files as sent; `images` the same already through return_photos_normalise (the
    website normalises before the transaction that creates the return). Every photo is checked
    before anything is stored, so one bad file stores none; the files are saved first and
    deleted again if the rows are not committed.
    """
    if images is None:
        # Refused before any decoding (a closed or full return costs no CPU), and checked again
        # under the lock below, where two uploads at once are serialised.
        _photos_check(order_return, adding=len([u for u in uploads or [] if u is not None]))
        images = return_photos_normalise(uploads)
    field = ReturnAttachment._meta.get_field("image")
    storage = field.storage
    names: list[str] = []
    try:
        for image in images:
            names.append(storage.save(field.generate_filename(None, image.content.name), image.content))
        with transaction.atomic():
            locked = _lock_return(order_return)
            _photos_check(locked, adding=len(names))
            return ReturnAttachment.objects.bulk_create(
                [
                    ReturnAttachment(order_return=locked, customer_id=locked.order.customer_id, image=name)
                    for name in names
                ]
            )
    except Exception:
        for name in names:
            storage.delete(name)
        raise


def _photos_check(order_return: OrderReturn, *, adding: int) -> None:
    """409 unless the return is open and has room for `adding` more photos."""
    if not return_takes_photos(order_return):
        raise DomainError(_("This return is closed: it no longer takes photos."), code=ErrorCode.RETURN_CLOSED)
    if order_return.attachments.count() + adding > MAX_RETURN_PHOTOS:
        raise _too_many()


def _too_many() -> DomainError:
    return DomainError(
        gettext("A return takes at most %(max_return_photos)s photos.") % {"max_return_photos": MAX_RETURN_PHOTOS},
        code=ErrorCode.TOO_MANY_ATTACHMENTS,
        errors={"images": [f"Choose at most {MAX_RETURN_PHOTOS} photos."]},
    )


def return_photos_erase(*, user) -> None:
    """Erasure: the shopper's return photos go (the returns stay, as the shop's records). Their
    files are found and deleted after commit by accounts.erasure (ReturnAttachment.customer)."""
    ReturnAttachment.objects.filter(customer=user).delete()
