"""What a shopper reads about an order's delivery: ONE rule, called by every page, email and the admin.

The latest shipment speaks first ("Out for delivery", "Arriving Sat 6 Dec", "Delivered 1 Dec"); without
one, the order's own state does ("Awaiting payment", "Payment failed", "Confirmed", "Preparing to ship", "Cancelled").
"Delivered" and "Complete" are merged for shoppers: both read "Delivered" (complete only means the
return window closed, which is not news to a shopper).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.shoptime import day_month_text, weekday_day_month_text
from orders.models import Order, OrderStatus, PaymentStatus, ShipmentStatus

GOOD, WARN, BAD, NEUTRAL = "good", "warn", "bad", "neutral"
# On its way (shipped, arriving, out for delivery): the colour the order page's shipment badges
# give those states (templates/account/_status.html), so the header and the shipment agree.
INFO = "info"


@dataclass(frozen=True)
class Headline:
    text: str
    tone: str  # good / warn / bad / info / neutral: the badge colour by meaning

    def __str__(self) -> str:
        return self.text


def latest_shipment(order: Order):
    """The newest shipment, from `order.shipments.all()` so a prefetch keeps lists at flat queries."""
    shipments = [s for s in order.shipments.all() if s.status != ShipmentStatus.CANCELLED]
    return max(shipments, key=lambda s: (s.shipped_date or s.created_at, s.pk), default=None)


def delivery_headline(order: Order, *, payment_waiting: bool = False) -> Headline:
    """`payment_waiting`: an attempt is still open at the gateway (lifecycle.payment_attempt_open,
    which the caller knows from the payment prompt): then the order reads "Payment waiting", not
    "Payment failed" beside "Your payment is waiting for you"."""
    status = order.status
    if status == OrderStatus.CANCELLED:
        return Headline(_("Cancelled"), NEUTRAL)
    if status in (OrderStatus.DRAFT, OrderStatus.PENDING) and payment_waiting:
        return Headline(_("Payment waiting"), WARN)
    if status in (OrderStatus.DRAFT, OrderStatus.PENDING) and order.payment_status == PaymentStatus.FAILED:
        return Headline(_("Payment failed"), BAD)
    if status in (OrderStatus.DRAFT, OrderStatus.PENDING) and order.payment_status != PaymentStatus.SUCCESS:
        return Headline(_("Awaiting payment"), WARN)
    shipment = latest_shipment(order)
    if shipment is not None:
        s = shipment.status
        if s == ShipmentStatus.DELIVERED or status in (OrderStatus.DELIVERED, OrderStatus.COMPLETE):
            when = shipment.delivered_date
            return Headline(_("Delivered %(day)s") % {"day": day_month_text(when)} if when else _("Delivered"), GOOD)
        if s == ShipmentStatus.OUT_FOR_DELIVERY:
            return Headline(_("Out for delivery"), INFO)
        if s == ShipmentStatus.DELIVERY_ATTEMPTED:
            return Headline(_("Delivery attempted"), WARN)
        if s in (ShipmentStatus.UNDELIVERED, ShipmentStatus.RETURN_TO_ORIGIN, ShipmentStatus.LOST):
            return Headline(shipment.get_status_display(), BAD)
        if s in (ShipmentStatus.SHIPPED, ShipmentStatus.IN_TRANSIT):
            if shipment.eta_delivery:
                return Headline(_("Arriving %(day)s") % {"day": weekday_day_month_text(shipment.eta_delivery)}, INFO)
            return Headline(_("Shipped"), INFO)
    if status in (OrderStatus.DELIVERED, OrderStatus.COMPLETE):
        return Headline(_("Delivered"), GOOD)
    if status == OrderStatus.AWAITING_APPROVAL:
        return Headline(_("Awaiting confirmation"), NEUTRAL)
    if status in (OrderStatus.UNDELIVERED, OrderStatus.RETURN_TO_ORIGIN):
        return Headline(order.get_status_display(), BAD)
    if status == OrderStatus.CONFIRMED:
        return Headline(_("Confirmed"), NEUTRAL)
    return Headline(_("Preparing to ship"), NEUTRAL)


class _Shipments(list):
    def all(self):
        return self


def headlines_for_rows(rows: list[dict], *, waiting=frozenset(), shipments=None) -> dict[int, Headline]:
    """The headline of each order-history row (dicts with id, status, payment_status), by order id:
    one query for all their shipments, none when there are no rows or `shipments` (by order id,
    already read for the page) holds every row's."""
    from types import SimpleNamespace

    from orders.models import Shipment

    if not rows:
        return {}
    known = shipments or {}
    by_order: dict[int, _Shipments] = {row["id"]: _Shipments(known.get(row["id"], ())) for row in rows}
    unread = [row["id"] for row in rows if row["id"] not in known]
    if unread:
        for shipment in Shipment.objects.filter(order_id__in=unread):
            by_order[shipment.order_id].append(shipment)
    return {
        row["id"]: delivery_headline(
            SimpleNamespace(
                status=row["status"],
                payment_status=row.get("payment_status", ""),
                shipments=by_order[row["id"]],
                get_status_display=lambda row=row: OrderStatus(row["status"]).label,
            ),
            payment_waiting=row["id"] in waiting,
        )
        for row in rows
    }


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done" | "current" | "upcoming"
    date: object = None


_STOPPED = {
    OrderStatus.CANCELLED,
    OrderStatus.DRAFT,
    OrderStatus.PENDING,
    OrderStatus.UNDELIVERED,
    OrderStatus.PARTIALLY_UNDELIVERED,
    OrderStatus.RETURN_TO_ORIGIN,
    OrderStatus.PARTIALLY_RETURN_TO_ORIGIN,
}


def order_steps(order: Order) -> list[Step]:
    """The order page's tracker, from the same facts as the headline: Placed -> Confirmed ->
    Shipped -> Out for delivery -> Delivered, each done (with its date where one is kept), the
    current one, or still to come. None for an order that waits for its money or stopped: its
    headline says all there is."""
    status = order.status
    if status in _STOPPED:
        return []
    live = [s for s in order.shipments.all() if s.status != ShipmentStatus.CANCELLED]
    shipped_dates = [s.shipped_date for s in live if s.shipped_date]
    delivered = status in (OrderStatus.DELIVERED, OrderStatus.COMPLETE)
    out = delivered or any(s.status == ShipmentStatus.OUT_FOR_DELIVERY for s in live)
    shipped = out or bool(shipped_dates) or status in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED)
    reached = [
        (_("Placed"), True, order.order_date),
        (_("Confirmed"), status != OrderStatus.AWAITING_APPROVAL, order.payment_success_date),
        (_("Shipped"), shipped, min(shipped_dates) if shipped_dates else None),
        (_("Out for delivery"), out, None),
        (_("Delivered"), delivered, order.delivered_at),
    ]
    last = max(i for i, (_label, done, _date) in enumerate(reached) if done)
    steps = []
    for i, (label, _done, date) in enumerate(reached):
        if i < last or (i == last == len(reached) - 1):
            state = "done"
        else:
            state = "current" if i == last else "upcoming"
        steps.append(Step(label, state, date if i <= last else None))
    return steps
