"""The order events shoppers hear about. `orders.services` calls these inside its transactions
(one line each); each names the order or return and builds what its templates show.

Amounts are written as text with the order's currency symbol: the context is stored as JSON
and rendered later, by a worker, exactly as it was at the event.
"""

from django.urls import reverse

from orders.models import AttemptStatus, Order, OrderStatus, PaymentStatus, RefundMode

from .services import notify


def _money(order, amount) -> str:
    return f"{order.currency_symbol}{amount:,.2f}"


def _order_context(order) -> dict:
    return {
        "order_number": order.number,
        "order_path": reverse("portal:order-detail", args=[order.number]),
        "total": _money(order, order.grand_total),
    }


def payment_settled(*, order, payment) -> None:
    """An attempt's outcome: a paid order is confirmed; a failed attempt invites the shopper
    to pay again (the message is dropped when they already have, see `message_stale`)."""
    if payment.status == AttemptStatus.SUCCESS and order.status == OrderStatus.CONFIRMED:
        notify(customer=order.customer, event="order_confirmed", context=_order_context(order))
    elif payment.status == AttemptStatus.FAILED:
        notify(
            customer=order.customer, event="payment_failed",
            context={**_order_context(order), "amount": _money(order, payment.amount),
                     "payment_number": payment.request_number},
        )


def _refund_destination(refund) -> str:
    if refund.payment_mode == RefundMode.LOYALTY_POINT:
        return "your loyalty points"
    if refund.bank_account_id:
        return f"your bank account {refund.bank_account}"
    return "the card, UPI or wallet you paid with"


def order_cancelled(*, order) -> None:
    refund = order.refunds.order_by("-created_at").first() if order.has_refund else None
    notify(
        customer=order.customer, event="order_cancelled",
        context={**_order_context(order), "refund_amount": _money(order, refund.amount) if refund else "",
                 "refund_to": _refund_destination(refund) if refund else ""},
    )


def shipment_shipped(*, shipment) -> None:
    order = shipment.order
    notify(
        customer=order.customer, event="order_shipped",
        context={**_order_context(order), "courier": shipment.courier_company_name, "awb": shipment.awb_no,
                 "tracking_url": shipment.tracking_url},
    )


def order_delivered(*, order) -> None:
    """Once everything has arrived (a partial delivery is not yet news)."""
    if order.status == OrderStatus.DELIVERED:
        notify(customer=order.customer, event="order_delivered", context=_order_context(order))


def refund_completed(*, refund) -> None:
    order = refund.order
    notify(
        customer=order.customer, event="refund_completed",
        context={**_order_context(order), "refund_number": refund.request_number,
                 "refund_amount": _money(order, refund.amount), "refund_to": _refund_destination(refund),
                 "reference": refund.payment_reference_number},
    )


def return_decided(*, order_return) -> None:
    """Approved or rejected: one template each, with the reason for a rejection."""
    order = order_return.order
    notify(
        customer=order.customer, event=f"return_{order_return.status}",
        context={**_order_context(order), "return_number": order_return.request_number,
                 "reason": order_return.rejection_reason},
    )


def message_stale(message) -> bool:
    """Whether a queued message stopped being true before it went: "payment failed" once the
    order is paid, cancelled or being paid again (a retry settles the abandoned attempt as
    failed, and the shopper is at the gateway already)."""
    if message.event != "payment_failed":
        return False
    order = Order.objects.filter(number=message.context.get("order_number")).first()
    return (
        order is None or order.payment_status == PaymentStatus.SUCCESS or order.status == OrderStatus.CANCELLED
        or order.payments.filter(status=AttemptStatus.PENDING).exists()
    )
