"""Cancelling an order before it ships: open attempts closed, what was paid refunded, points
given back."""

from django.db import transaction
from django.utils import timezone

from common.exceptions import InvalidInput
from loyalty import services as loyalty

from .. import signals
from ..lifecycle import ORDER_CANCEL, PAYMENT_SETTLE, is_cancellation_allowed, refunded_total
from ..models import AttemptStatus, Order, OrderStatus, RefundMode
from .base import lock_order
from .refunds import bank_account_for_refund, normalize_refund_mode, refund_create


@transaction.atomic
def order_cancel(
    *,
    order: Order,
    reason: str,
    refund_mode: str = RefundMode.ORIGINAL_PAYMENT_MODE,
    bank_account_id: str | None = None,
    feedback: str = "",
) -> Order:
    """Cancel before shipping: what was paid is refunded, points are given back."""
    if not (reason or "").strip():
        raise InvalidInput.for_field("cancellation_reason", "Tell us why you cancel.")
    refund_mode = normalize_refund_mode(refund_mode)
    order = lock_order(order)
    if not is_cancellation_allowed(order):
        raise ORDER_CANCEL.refused(order)
    bank_account = bank_account_for_refund(order, refund_mode, bank_account_id)
    now = timezone.now()
    for attempt in order.payments.filter(status__in=PAYMENT_SETTLE.sources):
        attempt.status, attempt.failure_reason = AttemptStatus.FAILED, "Order cancelled"
        attempt.save(update_fields=["status", "failure_reason", "modified_at"])
    refund_create(
        order,
        amount=order.amount_paid - refunded_total(order),
        refund_mode=refund_mode,
        bank_account=bank_account,
        remarks="Order cancelled",
    )
    loyalty.points_reverse(
        customer=order.customer,
        order_number=order.number,
        earned_points=order.loyalty_points_earned,
        redeemed_points=order.loyalty_points_redeemed,
        reason="Order cancelled.",
    )
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now
    order.cancellation_reason, order.feedback = reason.strip(), (feedback or "").strip()
    order.save(update_fields=["status", "cancelled_at", "cancellation_reason", "feedback", "modified_at"])
    signals.order_cancelled.send(sender=Order, order=order)
    return order
