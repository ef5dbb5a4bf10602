"""Cancelling an order before it ships: open attempts closed, what was paid refunded, points
given back."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import InvalidInput
from loyalty import services as loyalty

from .. import signals
from ..lifecycle import ORDER_CANCEL, PAYMENT_SETTLE, is_cancellation_allowed, refunded_total
from ..models import AttemptStatus, Order, OrderStatus, Payment, RefundMode
from .base import order_write
from .refunds import bank_account_for_refund, normalize_refund_mode, refund_create


def order_cancel(
    *,
    order: Order,
    reason: str,
    refund_mode: str = RefundMode.ORIGINAL_PAYMENT_MODE,
    bank_account_id: str | None = None,
    feedback: str = "",
) -> Order:
    """Cancel before shipping: what was paid is refunded, points are given back. Given an order
    from order_lock_for_customer, it is updated in place (relations too): the answer reads it."""
    if not (reason or "").strip():
        raise InvalidInput.for_field("cancellation_reason", _("Tell us why you cancel."))
    refund_mode = normalize_refund_mode(refund_mode)
    with order_write(order) as order:
        if not is_cancellation_allowed(order):
            raise ORDER_CANCEL.refused(order)
        bank_account = bank_account_for_refund(order, refund_mode, bank_account_id)
        now = timezone.now()
        # The attempts still open, closed in one statement (the prefetched ones updated alike).
        open_attempts = [p for p in order.payments.all() if p.status in PAYMENT_SETTLE.sources]
        if open_attempts:
            Payment.objects.filter(pk__in=[p.pk for p in open_attempts]).update(
                status=AttemptStatus.FAILED, failure_reason="Order cancelled", modified_at=now
            )
            for attempt in open_attempts:
                attempt.status, attempt.failure_reason, attempt.modified_at = (
                    AttemptStatus.FAILED,
                    "Order cancelled",
                    now,
                )
        refund_create(
            order,
            amount=order.amount_paid - refunded_total(order),
            refund_mode=refund_mode,
            bank_account=bank_account,
            remarks="Order cancelled",
            order_saved_after=True,
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
        order.save(
            update_fields=["status", "cancelled_at", "cancellation_reason", "feedback", "has_refund", "modified_at"]
        )
        signals.order_cancelled.send(sender=Order, order=order)
    return order
