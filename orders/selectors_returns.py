"""Reads that tell a shopper what happens with a return: what it gives back and where to, where
the items are picked up, the steps it has gone through, and which orders have one under way.

They read what the page has already loaded (the order's refunds, the return's items) and add no
query of their own, except `open_returns_by_order`: one for a whole page of orders, and only
when one of them could have a return.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .lifecycle import (
    ORDER_RETURN,
    REFUND_COUNTED_STATUSES,
    RETURN_CANCEL,
    RETURN_OPEN_STATUSES,
    RETURN_STOPPED_STATUSES,
    refund_destination,
    refund_expected_by,
    return_refund,
    return_window_closes,
)
from .models import ZERO, Order, OrderReturn, Refund, RefundMode, RefundStatus, Resolution, ReturnStatus


@dataclass(frozen=True)
class ReturnStep:
    """One step of a return's timeline; `state` is done, current, upcoming or stopped (the
    return was rejected or cancelled there)."""

    label: str
    date: datetime | None
    state: str


@dataclass(frozen=True)
class ReturnOutcome:
    """What a return gives back: money (and where it goes) and points, settled or expected."""

    amount: Decimal
    destination: str
    points: int
    settled: bool
    # A refund issued but not yet succeeded: "Refund started ..., expected by <date>", never "Refunded".
    started: bool = False
    expected_by: object = None


def return_status_label(status: str) -> str:
    """A return status as shoppers say it ("Requested", not "created"): the model's label."""
    return ReturnStatus(status).label if status in ReturnStatus.values else str(status)


def open_returns_by_order(*, orders) -> dict[str, list[OrderReturn]]:
    """The returns still under way of each of these orders (history rows), oldest first, in one
    query; none when no order among them is in a status a return starts from."""
    order_ids = [order["id"] for order in orders if order["status"] in ORDER_RETURN.sources]
    if not order_ids:
        return {}
    found: dict[str, list[OrderReturn]] = {}
    rows = OrderReturn.objects.filter(order_id__in=order_ids, status__in=RETURN_OPEN_STATUSES)
    for order_return in rows.only("id", "order_id", "request_number", "status").order_by("created_at", "pk"):
        found.setdefault(order_return.order_id, []).append(order_return)
    return found


def open_returns_of_item(item, returns) -> list[OrderReturn]:
    """Which of the order's returns (items prefetched) still under way hold this order item."""
    return [
        r
        for r in returns
        if r.status in RETURN_OPEN_STATUSES and any(line.order_item_id == item.pk for line in r.items.all())
    ]


def return_pickup_address(order_return: OrderReturn, order: Order) -> dict:
    """Where the courier collects the items: the address given with the request, else the
    order's shipping address (as the API documents a null pickup address)."""
    return order_return.pickup_address or order.shipping_address


def return_outcome(order_return: OrderReturn, order: Order) -> ReturnOutcome | None:
    """What the return gives back: its refunds once it is completed, else what completing it
    would give (the money part of the items' value back to the original payment, the points
    part back as points); None when it gives nothing back (a replacement only, or a return
    rejected or cancelled)."""
    if order_return.status in RETURN_STOPPED_STATUSES:
        return None
    back = return_refund(order, order_return.items.all())
    if back.share <= 0:
        return None
    refunds = [
        r for r in order.refunds.all() if r.order_return_id == order_return.pk and r.status in REFUND_COUNTED_STATUSES
    ]
    if refunds:
        succeeded = all(r.status == RefundStatus.SUCCESS for r in refunds)
        return ReturnOutcome(
            amount=sum((r.amount for r in refunds), ZERO),
            destination=refund_destination(refunds[-1]),
            points=back.points,
            settled=succeeded,
            started=not succeeded,
            expected_by=None if succeeded else refund_expected_by(refunds[-1].created_at),
        )
    expected = Refund(payment_mode=RefundMode.ORIGINAL_PAYMENT_MODE)
    return ReturnOutcome(
        amount=back.amount,
        destination=refund_destination(expected),
        points=back.points,
        settled=order_return.status == ReturnStatus.COMPLETE,
    )


def _last_step_label(order_return: OrderReturn) -> str:
    resolutions = {line.resolution for line in order_return.items.all()}
    if resolutions == {Resolution.REPLACEMENT}:
        return "Replacement sent"
    refunds = [r for r in order_return.order.refunds.all() if r.order_return_id == order_return.pk]
    refunded = "Refunded" if all(r.status == RefundStatus.SUCCESS for r in refunds) else "Refund started"
    if resolutions == {Resolution.REFUND}:
        return refunded
    return f"{refunded} and replacement sent"


def return_timeline(order_return: OrderReturn) -> list[ReturnStep]:
    """The steps from the request to the refund or replacement, with their dates where known;
    the latest one reached is current. A rejected or cancelled return stops at that step."""
    r = order_return
    if r.status in RETURN_STOPPED_STATUSES:
        stopped_at = r.rejected_at if r.status == ReturnStatus.REJECTED else r.cancelled_at
        return [
            ReturnStep("Requested", r.created_at, "done"),
            ReturnStep(ReturnStatus(r.status).label, stopped_at, "stopped"),
        ]
    steps = [
        ("Requested", r.created_at),
        ("Approved", r.approved_at),
        ("Picked up", r.received_at),
        (_last_step_label(r), r.completed_at),
    ]
    reached = max(i for i, (_, date) in enumerate(steps) if date is not None or i == 0)
    return [
        ReturnStep(label, date, "done" if i < reached else "current" if i == reached else "upcoming")
        for i, (label, date) in enumerate(steps)
    ]


def return_headline(order_return: OrderReturn, outcome: ReturnOutcome | None) -> tuple[str, str]:
    """The one word a shopper reads about a return, and its tone (good, warn, bad, neutral), for
    its badge and its page's heading alike: a completed return whose refund has not succeeded
    yet reads "Refund started", never "Completed" beside it."""
    if order_return.status in RETURN_STOPPED_STATUSES:
        return ReturnStatus(order_return.status).label, "bad"
    if outcome is not None and outcome.started:
        return "Refund started", "warn"
    if order_return.status == ReturnStatus.COMPLETE:
        return _last_step_label(order_return), "good"
    return ReturnStatus(order_return.status).label, "neutral"


def return_summary(order_return: OrderReturn, order: Order) -> dict:
    """Everything the website says about one return of `order` (loaded with its refunds)."""
    outcome = return_outcome(order_return, order)
    headline, tone = return_headline(order_return, outcome)
    under_way = order_return.status not in RETURN_STOPPED_STATUSES and order_return.status != ReturnStatus.COMPLETE
    return {
        "status_label": ReturnStatus(order_return.status).label,
        "headline": headline,
        "tone": tone,
        "stopped": order_return.status in RETURN_STOPPED_STATUSES,
        "outcome": outcome,
        "pickup_address": return_pickup_address(order_return, order),
        # Only while the return is under way: a finished one has nothing more to send back.
        "window_closes": return_window_closes(order) if under_way else None,
        "timeline": return_timeline(order_return),
        "can_cancel": RETURN_CANCEL.allows(order_return),
        "replacement_order": order_return.replacement_order,
    }
