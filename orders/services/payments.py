"""Payments: attempts settled by the checkout, a gateway's callback or staff, and retries."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, NotFound

from ..gateways import gateway_get
from ..lifecycle import (
    ORDER_PAID,
    ORDER_RECORD_PAYMENT,
    ORDER_RETRY_PAYMENT,
    PAYMENT_SETTLE,
    is_retry_available,
    payment_latest,
)
from ..models import AttemptStatus, Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from .base import create_with_number, lock_order


def settle_payment(order: Order, payment: Payment, *, succeeded: bool, reference: str = "",
                   reason: str = "", at: datetime | None = None) -> None:
    """Record an attempt's outcome on the attempt and the order (both rows held by the caller)."""
    at = at or timezone.now()
    if succeeded:
        payment.status, payment.payment_reference_number, payment.payment_date = (
            AttemptStatus.SUCCESS, reference, at,
        )
        order.amount_paid += payment.amount
        order.payment_status = (
            PaymentStatus.SUCCESS if order.amount_paid >= order.to_be_paid else PaymentStatus.PARTIALLY_PAID
        )
        order.payment_success_date = at
        if order.payment_status == PaymentStatus.SUCCESS and ORDER_PAID.allows(order):
            order.status = OrderStatus.CONFIRMED
    else:
        payment.status, payment.failure_reason, payment.payment_date = AttemptStatus.FAILED, reason, at
        if order.amount_paid == 0:
            order.payment_status = PaymentStatus.FAILED
    payment.save()
    order.save(update_fields=["amount_paid", "payment_status", "payment_success_date", "status", "modified_at"])


@transaction.atomic
def payment_retry(*, order: Order, payment_method: str | None = None, request=None) -> dict:
    """Start a new payment attempt through the gateway; answers where to send the shopper."""
    order = lock_order(order)
    if not is_retry_available(order):
        raise ORDER_RETRY_PAYMENT.refused(order)
    latest = payment_latest(order)
    method = payment_method or (latest.payment_method if latest else PaymentMethod.CARD)
    if method not in PaymentMethod.values:
        raise InvalidInput.for_field("payment_method", f"Choose one of: {', '.join(PaymentMethod.values)}.")
    if latest is not None and latest.status == AttemptStatus.PENDING:
        settle_payment(order, latest, succeeded=False, reason="Expired")
    gateway = gateway_get()
    payment = create_with_number(
        Payment,
        "PAY",
        order=order,
        amount=order.to_be_paid - order.amount_paid,
        payment_method=method,
        gateway=gateway.name,
        expires_at=timezone.now() + timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES),
    )
    start = gateway.start(payment, request=request)
    return {
        "gateway": start.gateway,
        "payment_url": start.payment_url,
        "request_number": payment.request_number,
        "amount": payment.amount,
        "expires_at": start.expires_at,
    }


def payment_callback(*, data, gateway_name: str | None = None) -> Payment:
    """A gateway reports the outcome of one of its own attempts; each attempt is settled once
    (replays refused)."""
    gateway = gateway_get(gateway_name)
    outcome = gateway.verify_callback(data)
    with transaction.atomic():
        # Only the gateway that started an attempt can vouch for it: another gateway's callback
        # (the test gateway's, say, for a real gateway's attempt) finds nothing.
        payment = (
            Payment.objects.select_for_update()
            .filter(request_number=outcome.request_number, gateway=gateway.name)
            .first()
        )
        if payment is None:
            raise NotFound("Unknown payment attempt.")
        order = lock_order(payment.order)
        PAYMENT_SETTLE.require(payment)
        if payment.expires_at and payment.expires_at < timezone.now():
            settle_payment(order, payment, succeeded=False, reason="Expired")
            return payment
        settle_payment(
            order, payment, succeeded=outcome.succeeded, reference=outcome.reference,
            reason="" if outcome.succeeded else "Declined at the gateway",
        )
    return payment


@transaction.atomic
def payment_record(*, order: Order, succeeded: bool, reference: str = "", reason: str = "") -> Payment:
    """Staff record a payment's outcome (e.g. a bank transfer seen on the statement)."""
    order = lock_order(order)
    ORDER_RECORD_PAYMENT.require(order)
    due = order.to_be_paid - order.amount_paid
    if due <= 0:
        raise DomainError("The order is already paid.", code=ErrorCode.ALREADY_PAID)
    payment = payment_latest(order, status=AttemptStatus.PENDING)
    if payment is None:
        payment = create_with_number(
            Payment, "PAY", order=order, amount=due, payment_method=PaymentMethod.BANK_TRANSFER, gateway="manual",
        )
    settle_payment(order, payment, succeeded=succeeded, reference=reference,
                   reason=reason or "Recorded as failed by staff")
    return payment
