"""Fulfilment: staff confirm, ship and deliver an order, and complete it once delivered."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput
from loyalty import services as loyalty

from .. import signals
from ..lifecycle import (
    ORDER_COMPLETE,
    ORDER_CONFIRM,
    ORDER_SHIP,
    SHIPMENT_DELIVER,
    SHIPMENT_OUT_FOR_DELIVERY,
    refunded_total,
    return_window_closes,
)
from ..models import ZERO, Order, OrderItem, OrderStatus, Shipment, ShipmentItem, ShipmentStatus
from .base import create_with_number, lock_order, received_changed


@transaction.atomic
def order_confirm(*, order: Order) -> Order:
    order = lock_order(order)
    ORDER_CONFIRM.require(order)
    order.status = OrderStatus.CONFIRMED
    order.save(update_fields=["status", "modified_at"])
    return order


def _shipped_quantities(order: Order) -> dict[str, int]:
    rows = (
        ShipmentItem.objects.filter(shipment__order=order)
        .exclude(shipment__status=ShipmentStatus.CANCELLED)
        .values("order_item_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_item_id"]: row["total"] for row in rows}


@transaction.atomic
def shipment_create(
    *,
    order: Order,
    items: list[tuple[OrderItem, int]] | None = None,
    courier_company_name: str = "",
    awb_no: str = "",
    tracking_url: str = "",
    eta_delivery: datetime | None = None,
    shipping_amount: Decimal = ZERO,
    shipped_at: datetime | None = None,
) -> Shipment:
    """Ship some (or all remaining) items; the order becomes partially shipped or shipped."""
    order = lock_order(order)
    ORDER_SHIP.require(order)
    shipped = _shipped_quantities(order)
    order_items = {item.pk: item for item in order.items.all()}
    remaining = {pk: item.quantity - shipped.get(pk, 0) for pk, item in order_items.items()}
    wanted = items if items is not None else [(order_items[pk], q) for pk, q in remaining.items() if q > 0]
    if not wanted:
        raise DomainError(_("Everything in this order has shipped already."), code=ErrorCode.NOTHING_TO_SHIP)
    for item, quantity in wanted:
        if item.pk not in order_items:
            raise InvalidInput.for_field("items", _("An item is not part of this order."))
        if quantity <= 0 or quantity > remaining[item.pk]:
            raise InvalidInput.for_field(
                "items",
                gettext("At most %(count)s of %(product_name)s can ship.")
                % {"count": remaining[item.pk], "product_name": item.product_name},
            )
    shipment = create_with_number(
        Shipment,
        "SHP",
        order=order,
        status=ShipmentStatus.SHIPPED,
        courier_company_name=courier_company_name,
        awb_no=awb_no,
        tracking_url=tracking_url,
        eta_delivery=eta_delivery,
        shipped_date=shipped_at or timezone.now(),
        shipping_amount=shipping_amount,
    )
    ShipmentItem.objects.bulk_create(
        [ShipmentItem(shipment=shipment, order_item=item, quantity=q) for item, q in wanted]
    )
    for item, quantity in wanted:
        remaining[item.pk] -= quantity
    everything_shipped = all(q == 0 for q in remaining.values())
    if order.status != OrderStatus.PARTIALLY_DELIVERED:
        order.status = OrderStatus.SHIPPED if everything_shipped else OrderStatus.PARTIALLY_SHIPPED
    order.save(update_fields=["status", "modified_at"])
    signals.shipment_shipped.send(sender=Order, shipment=shipment)
    return shipment


def _out_for_delivery(shipment: Shipment) -> None:
    """Send one shipment (locked by the caller, with its order) on its last leg; the shopper is told."""
    shipment.status = ShipmentStatus.OUT_FOR_DELIVERY
    shipment.save(update_fields=["status", "modified_at"])
    signals.shipment_out_for_delivery.send(sender=Order, shipment=shipment)


@transaction.atomic
def shipment_out_for_delivery(*, shipment: Shipment) -> Shipment:
    """The courier has the shipment out for delivery today; the order's status stays."""
    lock_order(shipment.order)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    SHIPMENT_OUT_FOR_DELIVERY.require(shipment)
    _out_for_delivery(shipment)
    return shipment


@transaction.atomic
def order_out_for_delivery(*, order: Order) -> Order:
    """Send every shipment of the order that is on its way out for delivery."""
    order = lock_order(order)
    shipments = [s for s in order.shipments.select_for_update() if SHIPMENT_OUT_FOR_DELIVERY.allows(s)]
    if not shipments:
        raise DomainError(
            _("Nothing of this order is waiting to go out for delivery."), code=ErrorCode.INVALID_TRANSITION
        )
    for shipment in shipments:
        _out_for_delivery(shipment)
    return order


def _products_in(shipments) -> list[str]:
    return list(
        ShipmentItem.objects.filter(shipment__in=shipments).values_list("order_item__product_id", flat=True).distinct()
    )


def _deliver(order: Order, shipment: Shipment, at: datetime) -> None:
    """Mark one shipment delivered (both rows locked by the caller) and bring the order along."""
    shipment.status, shipment.delivered_date = ShipmentStatus.DELIVERED, at
    shipment.save(update_fields=["status", "delivered_date", "modified_at"])
    shipped = _shipped_quantities(order)
    everything_shipped = all(shipped.get(i.pk, 0) >= i.quantity for i in order.items.all())
    undelivered = order.shipments.exclude(status__in=[ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED]).exists()
    order.status = OrderStatus.DELIVERED if everything_shipped and not undelivered else OrderStatus.PARTIALLY_DELIVERED
    order.delivered_at = at
    order.save(update_fields=["status", "delivered_at", "modified_at"])
    signals.order_delivered.send(sender=Order, order=order)


@transaction.atomic
def shipment_deliver(*, shipment: Shipment, delivered_at: datetime | None = None) -> Shipment:
    """Mark a shipment delivered; the order is delivered once everything has arrived."""
    order = lock_order(shipment.order)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    SHIPMENT_DELIVER.require(shipment)
    _deliver(order, shipment, delivered_at or timezone.now())
    received_changed(order, _products_in([shipment]))  # received per shipment (order_items_received)
    return shipment


@transaction.atomic
def order_deliver(*, order: Order, delivered_at: datetime | None = None) -> Order:
    """Mark every shipment of the order that is on its way as delivered."""
    order = lock_order(order)
    shipments = [s for s in order.shipments.select_for_update() if SHIPMENT_DELIVER.allows(s)]
    if not shipments:
        raise DomainError(_("Nothing of this order is on its way."), code=ErrorCode.INVALID_TRANSITION)
    at = delivered_at or timezone.now()
    for shipment in shipments:
        _deliver(order, shipment, at)
    received_changed(order, _products_in(shipments))
    return order


@transaction.atomic
def order_complete(*, order: Order) -> Order:
    """Close a delivered order; it earns loyalty points, pending until the return window ends."""
    order = lock_order(order)
    ORDER_COMPLETE.require(order)
    spend = max(ZERO, order.amount_paid - refunded_total(order))
    entry = loyalty.points_award(
        customer=order.customer,
        order_number=order.number,
        amount=spend,
        savings=order.total_savings,
        clears_at=return_window_closes(order),
    )
    order.status, order.completed_at = OrderStatus.COMPLETE, timezone.now()
    order.loyalty_points_earned = entry.points if entry else 0  # None: the loyalty program is off
    order.save(update_fields=["status", "completed_at", "loyalty_points_earned", "modified_at"])
    signals.points_earned.send(sender=Order, order=order, entry=entry)
    return order
