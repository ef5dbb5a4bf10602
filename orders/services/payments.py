"""Payments: attempts settled by the checkout, a gateway's callback or staff, and retries."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, NotFound

from .. import signals
from ..gateways import GatewayOutcome, gateway_get
from ..lifecycle import (
    ORDER_PAID,
    ORDER_RECORD_PAYMENT,
    ORDER_RETRY_PAYMENT,
    PAYMENT_CANCEL,
    PAYMENT_CANCELLED_REASON,
    PAYMENT_SETTLE,
    is_retry_available,
    payment_attempt_open,
    payment_latest,
    refunded_total,
)
from ..models import (
    ZERO,
    AttemptStatus,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundMode,
)
from ..numbers import new_number
from .base import create_with_number, gateway_event_first, lock_order
from .refunds import refund_create, refund_gateway_settle

logger = logging.getLogger(__name__)


def settle_payment(
    order: Order,
    payment: Payment,
    *,
    succeeded: bool,
    reference: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> None:
    """Record an attempt's outcome on the attempt and the order (both rows held by the caller)."""
    at = at or timezone.now()
    if succeeded:
        payment.status, payment.payment_reference_number, payment.payment_date = (
            AttemptStatus.SUCCESS,
            reference,
            at,
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
    signals.payment_settled.send(sender=Order, order=order, payment=payment)


def payments_expire(*, now: datetime | None = None) -> int:
    """Settle as failed every attempt left pending past its expiry (the shopper walked away from
    the gateway), so the order can be paid again at once and the shopper is told, with a link to
    pay. The beat job runs it; answers how many it settled.

    Each goes through `settle_payment` under the order's lock, as a late callback would: one the
    gateway settled meanwhile is left alone, so a second run changes nothing.
    """
    now = now or timezone.now()
    due = list(Payment.objects.filter(status=AttemptStatus.PENDING, expires_at__lt=now).values_list("pk", flat=True))
    return sum(_payment_expire(payment_id, now) for payment_id in due)


@transaction.atomic
def _payment_expire(payment_id: str, now: datetime) -> bool:
    order = lock_order(Payment.objects.select_related("order").get(pk=payment_id).order)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if not PAYMENT_SETTLE.allows(payment) or payment.expires_at >= now:
        return False
    settle_payment(order, payment, succeeded=False, reason="Expired", at=now)
    return True


def _retry_method(order: Order, payment_method: str | None) -> str:
    """The method a retry on `order` uses, once the lifecycle allows one (refusals raise)."""
    if not is_retry_available(order):
        raise ORDER_RETRY_PAYMENT.refused(order)
    latest = payment_latest(order)
    method = payment_method or (latest.payment_method if latest else PaymentMethod.CARD)
    if method not in PaymentMethod.values:
        raise InvalidInput.for_field(
            "payment_method", gettext("Choose one of: %(values)s.") % {"values": ", ".join(PaymentMethod.values)}
        )
    return method


def payment_retry(*, order: Order, payment_method: str | None = None, request=None) -> dict:
    """Start a new payment attempt through the gateway; answers where to send the shopper.

    The gateway is asked first, outside any transaction (a real one is a network call); the
    attempt is written only once it answered, after the checks are made again under the order's
    lock. A gateway that fails or times out leaves nothing behind, and the retry can be repeated.
    """
    order = Order.objects.get(pk=order.pk)
    method = _retry_method(order, payment_method)
    gateway = gateway_get()
    payment = Payment(
        order=order,
        request_number=new_number("PAY"),
        amount=order.to_be_paid - order.amount_paid,
        payment_method=method,
        gateway=gateway.name,
        expires_at=timezone.now() + timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES),
    )
    start = gateway.start(payment, request=request)
    with transaction.atomic():
        order = lock_order(order)
        _retry_method(order, payment_method)
        if order.to_be_paid - order.amount_paid != payment.amount:
            raise DomainError(_("The amount to pay changed; please try again."), code=ErrorCode.CONFLICT)
        latest = payment_latest(order)
        if latest is not None and latest.status == AttemptStatus.PENDING:
            settle_payment(order, latest, succeeded=False, reason="Expired")
        payment.order, payment.gateway_order_id = order, start.gateway_order_id
        payment.save(force_insert=True)
    return {
        **start.client,
        "gateway": start.gateway,
        "payment_url": start.payment_url,
        "request_number": payment.request_number,
        "amount": payment.amount,
        "expires_at": start.expires_at,
    }


@transaction.atomic
def payment_request_cancel(*, order: Order) -> Payment:
    """The shopper gives up the attempt still open at its gateway, to pay another way at once
    (POST /orders/{n}/cancel-payment-request, the website's "Pay another way"). Answers the
    attempt, now failed; a retry is offered at once (lifecycle.is_retry_available).

    Neither gateway has anything to call: the test gateway's page refuses a settled attempt, and
    Razorpay's API has no way to cancel an order (an unpaid one simply expires), so the attempt
    is closed here and the next retry creates a new Razorpay order. A payment Razorpay still
    takes on the closed attempt is not lost: payment_gateway_settle keeps it, and refunds what
    the order no longer needs. Two requests at once: the second finds nothing open (409).
    """
    order = lock_order(order)
    if order.payment_status == PaymentStatus.SUCCESS:
        raise DomainError(_("The order is paid already."), code=ErrorCode.ALREADY_PAID)
    attempt = payment_attempt_open(order)
    if attempt is None:
        raise DomainError(_("This order has no payment in progress to cancel."), code=ErrorCode.NO_OPEN_PAYMENT)
    attempt = Payment.objects.select_for_update().get(pk=attempt.pk)
    PAYMENT_CANCEL.require(attempt)
    settle_payment(order, attempt, succeeded=False, reason=PAYMENT_CANCELLED_REASON)
    return attempt


def _late_capture_keep(order: Order, payment: Payment, outcome: GatewayOutcome) -> None:
    """The gateway took money on an attempt we had closed already (cancelled by the shopper, run
    out of time, or superseded by a retry): the money is never lost. It is recorded on the
    attempt (so the order counts it, and one still unpaid is paid by it); whatever the order
    does not need (paid by another attempt meanwhile, or cancelled) goes back to the same payment
    at once, as a refund through the gateway. An attempt still open elsewhere on a now paid order
    is closed, so it cannot take the money twice. Both rows are held by the caller."""
    logger.warning(
        "%s took payment %s on closed attempt %s of %s: kept, the excess refunded",
        payment.gateway,
        outcome.reference,
        payment.request_number,
        order.number,
    )
    payment.failure_reason = ""
    settle_payment(order, payment, succeeded=True, reference=outcome.reference)
    if order.payment_status == PaymentStatus.SUCCESS:
        for other in order.payments.select_for_update().filter(status=AttemptStatus.PENDING):
            settle_payment(order, other, succeeded=False, reason="The order was paid by another attempt")
    if order.status == OrderStatus.CANCELLED:
        needed = ZERO
    else:
        needed = order.to_be_paid
    excess = min(payment.amount, order.amount_paid - refunded_total(order) - needed)
    if excess > 0:
        refund_create(
            order,
            amount=excess,
            refund_mode=RefundMode.ORIGINAL_PAYMENT_MODE,
            payment=payment,
            remarks=f"Taken on payment attempt {payment.request_number} after it was closed",
        )


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
            raise NotFound(_("Unknown payment attempt."))
        order = lock_order(payment.order)
        PAYMENT_SETTLE.require(payment)
        if payment.expires_at and payment.expires_at < timezone.now():
            settle_payment(order, payment, succeeded=False, reason="Expired")
            return payment
        settle_payment(
            order,
            payment,
            succeeded=outcome.succeeded,
            reference=outcome.reference,
            reason="" if outcome.succeeded else "Declined at the gateway",
        )
    return payment


def payment_gateway_settle(
    *, gateway_name: str, outcome: GatewayOutcome, event_id: str = "", event_kind: str = ""
) -> tuple[Payment | None, bool]:
    """Settle the attempt a gateway's order id names, as the gateway reports it: once, and only
    when the amount and currency it reports (if any) are the attempt's. Answers the attempt (None
    when unknown) and whether anything changed: an event id seen before, an attempt settled
    already or a mismatch change nothing."""
    with transaction.atomic():
        if event_id and not gateway_event_first(gateway_name=gateway_name, event_id=event_id, kind=event_kind):
            return None, False
        found = outcome.gateway_order_id and (
            Payment.objects.filter(gateway=gateway_name, gateway_order_id=outcome.gateway_order_id).first()
        )
        if not found:
            logger.warning("%s reported on unknown order %r", gateway_name, outcome.gateway_order_id)
            return None, False
        # The order's lock first, as every other write on an order takes it.
        order = lock_order(found.order)
        payment = Payment.objects.select_for_update().get(pk=found.pk)
        if outcome.amount is not None and (outcome.amount != payment.amount or outcome.currency != order.currency_code):
            logger.error(
                "%s reported %s %s for attempt %s of %s %s: not settled",
                gateway_name,
                outcome.amount,
                outcome.currency,
                payment.request_number,
                payment.amount,
                order.currency_code,
            )
            return payment, False
        if not PAYMENT_SETTLE.allows(payment):
            if outcome.succeeded and payment.status == AttemptStatus.FAILED:
                _late_capture_keep(order, payment, outcome)
                return payment, True
            return payment, False
        settle_payment(
            order,
            payment,
            succeeded=outcome.succeeded,
            reference=outcome.reference,
            reason="" if outcome.succeeded else (outcome.reason or "Declined at the gateway"),
        )
        return payment, True


def payment_checkout_confirm(*, data, gateway_name: str) -> Payment:
    """The shopper's browser hands over the gateway's signed answer from its checkout page."""
    gateway = gateway_get(gateway_name)
    payment, _ = payment_gateway_settle(gateway_name=gateway.name, outcome=gateway.verify_checkout(data))
    if payment is None:
        raise NotFound(_("Unknown payment attempt."))
    return payment


def payment_webhook_apply(*, gateway_name: str, body: bytes, signature: str, event_id: str = "") -> bool:
    """A gateway's signed event (refused unsigned or forged); answers whether it changed anything."""
    gateway = gateway_get(gateway_name)
    event = gateway.verify_webhook(body, signature)
    kind = str(event.get("event", ""))
    outcome = gateway.payment_outcome(event)
    if outcome is None:
        refund = gateway.refund_outcome(event)
        if refund is None:
            return False
        return refund_gateway_settle(gateway_name=gateway.name, outcome=refund, event_id=event_id, event_kind=kind)
    _, changed = payment_gateway_settle(gateway_name=gateway.name, outcome=outcome, event_id=event_id, event_kind=kind)
    return changed


@transaction.atomic
def payment_record(*, order: Order, succeeded: bool, reference: str = "", reason: str = "") -> Payment:
    """Staff record a payment's outcome (e.g. a bank transfer seen on the statement)."""
    order = lock_order(order)
    ORDER_RECORD_PAYMENT.require(order)
    due = order.to_be_paid - order.amount_paid
    if due <= 0:
        raise DomainError(_("The order is already paid."), code=ErrorCode.ALREADY_PAID)
    payment = payment_latest(order, status=AttemptStatus.PENDING)
    if payment is None:
        payment = create_with_number(
            Payment,
            "PAY",
            order=order,
            amount=due,
            payment_method=PaymentMethod.BANK_TRANSFER,
            gateway="manual",
        )
    settle_payment(
        order, payment, succeeded=succeeded, reference=reference, reason=reason or "Recorded as failed by staff"
    )
    return payment


@transaction.atomic
def payment_checkout_settle(
    *, payment: Payment, succeeded: bool, reference: str = "", reason: str = "", at: datetime | None = None
) -> Order:
    """The checkout reports how the attempt it started went (the first one, which `order_place`
    records pending): settled once, under the order's lock, at `at` (default now). Answers the
    order as it now stands."""
    order = lock_order(payment.order)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    PAYMENT_SETTLE.require(payment)
    settle_payment(order, payment, succeeded=succeeded, reference=reference, reason=reason, at=at)
    return order
