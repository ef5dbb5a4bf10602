"""The order events shoppers hear about: one handler per signal of `orders.signals` (connected by
`order_events_connect`, from NotificationsConfig.ready()), run inside the order service's
transaction; each names the order or return and builds what its templates show. The scheduled ones (points expiring, review reminders) are called by the beat jobs with a
`once_key`, so each is written once however often its job runs.

Amounts are written as text with the order's currency symbol, and days and times as the shop's
clock reads them (common.shoptime: "5 Dec 2026", "7:18 pm IST"): the context is stored as JSON and
rendered later, by a worker, exactly as it was at the event. A message that says where an order
stands says it with the website's words (`headline`, orders.headlines.delivery_headline).
"""

import functools

from django.urls import reverse
from django.utils import translation

from accounts.language import language_of
from common.money import money_text
from common.shoptime import date_text
from orders import signals as order_signals
from orders.headlines import delivery_headline
from orders.lifecycle import REFUND_TIMING, is_payment_cancelled, refund_expected_by, return_window_closes
from orders.lifecycle import refund_destination as _refund_destination
from orders.models import AttemptStatus, OrderStatus

from .models import Kind
from .services import notify


def in_shoppers_language(handler):
    """An event's handler runs in the language of the shopper it writes to: the context it keeps
    for the message (dates, where a refund goes, how long it takes) is in their words, not those of
    the request or worker that raised the event (a staff member's, a gateway's)."""

    @functools.wraps(handler)
    def run(**kwargs):
        with translation.override(language_of(_recipient(kwargs))):
            return handler(**kwargs)

    return run


def _recipient(kwargs):
    if kwargs.get("customer") is not None:
        return kwargs["customer"]
    if kwargs.get("order") is not None:
        return kwargs["order"].customer
    for key in ("shipment", "refund", "order_return"):
        if kwargs.get(key) is not None:
            return kwargs[key].order.customer
    return None


def _money(order, amount) -> str:
    return money_text(amount, order.currency_symbol)


def _order_context(order) -> dict:
    return {
        "order_number": order.number,
        "order_path": reverse("portal:order-detail", args=[order.number]),
        "total": _money(order, order.grand_total),
    }


def _status_context(order) -> dict:
    """An order's context with where it stands, in the words its page shows at this moment."""
    with translation.override(language_of(order.customer)):  # the shopper's words, not the request's
        return {**_order_context(order), "headline": delivery_headline(order).text}


@in_shoppers_language
def payment_settled(*, order, payment) -> None:
    """An attempt's outcome: a paid order is confirmed; a failed attempt invites the shopper
    to pay again (the message is dropped when they already have, see `message_stale`). One the
    shopper cancelled to pay another way did not fail: they are paying already."""
    if payment.status == AttemptStatus.SUCCESS and order.status == OrderStatus.CONFIRMED:
        notify(customer=order.customer, event="order_confirmed", context=_status_context(order))
    elif payment.status == AttemptStatus.FAILED and not is_payment_cancelled(payment):
        notify(
            customer=order.customer,
            event="payment_failed",
            context={
                **_status_context(order),
                "amount": _money(order, payment.amount),
                "payment_number": payment.request_number,
            },
        )


@in_shoppers_language
def order_cancelled(*, order) -> None:
    # The newest refund, from the refunds already loaded when they are (the cancel's answer's).
    refunds = list(order.refunds.all()) if order.has_refund else []
    refund = max(refunds, key=lambda r: (r.created_at, r.pk)) if refunds else None
    notify(
        customer=order.customer,
        event="order_cancelled",
        context={
            **_status_context(order),
            "refund_amount": _money(order, refund.amount) if refund else "",
            "refund_to": _refund_destination(refund) if refund else "",
        },
    )


def _shipment_context(shipment) -> dict:
    return {
        **_status_context(shipment.order),
        "courier": shipment.courier_company_name,
        "awb": shipment.awb_no,
        "tracking_url": shipment.tracking_url,
    }


@in_shoppers_language
def shipment_shipped(*, shipment) -> None:
    """A replacement order's shipment says which return it replaces."""
    order = shipment.order
    context = _shipment_context(shipment)
    replaced = order.replacement_for
    if replaced is not None:
        context.update(return_number=replaced.request_number, original_order_number=replaced.order.number)
    notify(customer=order.customer, event="replacement_shipped" if replaced else "order_shipped", context=context)


@in_shoppers_language
def shipment_out_for_delivery(*, shipment) -> None:
    """Arriving today: the shopper can be in, with the courier's tracking at hand."""
    notify(customer=shipment.order.customer, event="order_out_for_delivery", context=_shipment_context(shipment))


@in_shoppers_language
def order_delivered(*, order) -> None:
    """Once everything has arrived (a partial delivery is not yet news), with the last day a
    return can be asked for."""
    if order.status == OrderStatus.DELIVERED:
        return_by = date_text(return_window_closes(order))
        notify(
            customer=order.customer, event="order_delivered", context={**_status_context(order), "return_by": return_by}
        )


def _refund_context(refund) -> dict:
    order = refund.order
    return {
        **_order_context(order),
        "refund_number": refund.request_number,
        "refund_amount": _money(order, refund.amount),
        "refund_to": _refund_destination(refund),
        "refund_timing": str(REFUND_TIMING),  # in the shopper's words, now (in_shoppers_language)
        "reference": refund.payment_reference_number,
    }


@in_shoppers_language
def refund_started(*, refund) -> None:
    """The refund is on its way: staff issued it, or the gateway accepted it."""
    context = {**_refund_context(refund), "expected_by": date_text(refund_expected_by(refund.created_at))}
    notify(customer=refund.order.customer, event="refund_started", context=context)


@in_shoppers_language
def refund_completed(*, refund) -> None:
    notify(customer=refund.order.customer, event="refund_completed", context=_refund_context(refund))


def _return_context(order_return) -> dict:
    return {**_order_context(order_return.order), "return_number": order_return.request_number}


@in_shoppers_language
def return_requested(*, order_return) -> None:
    notify(customer=order_return.order.customer, event="return_requested", context=_return_context(order_return))


@in_shoppers_language
def return_decided(*, order_return) -> None:
    """Approved or rejected: one template each, with the reason for a rejection."""
    notify(
        customer=order_return.order.customer,
        event=f"return_{order_return.status}",
        context={**_return_context(order_return), "reason": order_return.rejection_reason},
    )


@in_shoppers_language
def return_received(*, order_return) -> None:
    notify(customer=order_return.order.customer, event="return_received", context=_return_context(order_return))


@in_shoppers_language
def return_refunded(*, order_return, refund) -> None:
    """A completed return's refund items: how much goes back, and where."""
    notify(
        customer=order_return.order.customer,
        event="return_refunded",
        context={**_refund_context(refund), "return_number": order_return.request_number},
    )


@in_shoppers_language
def points_earned(*, order, entry) -> None:
    """A completed order's points, and the day they can be spent (its return window's end).
    Nothing for an order that earned none (`entry` None: the program is off)."""
    if entry is None or entry.points <= 0:
        return
    notify(
        customer=order.customer,
        event="points_earned",
        context={
            **_order_context(order),
            "points": entry.points,
            "spendable_on": date_text(entry.clears_at),
        },
    )


@in_shoppers_language
def points_expiring(*, customer, points: int, expires_on, once_key: str) -> list:
    """Points about to expire, once per expiring batch (`once_key`): answers the messages
    written (none when this batch was told before)."""
    return notify(
        customer=customer,
        event="points_expiring",
        once_key=once_key,
        context={"points": points, "expires_on": date_text(expires_on), "loyalty_path": reverse("portal:loyalty")},
    )


@in_shoppers_language
def review_reminder(*, order, products, once_key: str) -> list:
    """Promotional: the products of a delivered order still waiting for the shopper's review.
    Answers the messages written (none when this order was reminded before)."""
    return notify(
        customer=order.customer,
        event="review_reminder",
        kind=Kind.PROMOTIONAL,
        once_key=once_key,
        context={
            **_order_context(order),
            "products": [p.name for p in products],
            "reviews_path": reverse("portal:reviews"),
        },
    )


def order_events_connect() -> None:
    """Connect a handler above to each order event of the same name (`orders.signals.SHOPPER_EVENTS`)."""
    for name in order_signals.SHOPPER_EVENTS:
        getattr(order_signals, name).connect(
            _receiver(globals()[name]), weak=False, dispatch_uid=f"notifications.events.{name}"
        )


def _receiver(handler):
    def receive(sender, signal, **kwargs):
        handler(**kwargs)

    return receive
