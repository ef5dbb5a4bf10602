"""Refunds: created by a cancellation or a completed return, then issued and settled by staff,
or, back to a payment made through a gateway that refunds (Razorpay), by that gateway.

A gateway refund is sent after the commit (`orders.tasks`), never inside a transaction, with an
idempotency key made of its number and `gateway_attempt`: sending it again after no answer
cannot refund twice. It stays pending until the gateway says it is processed; a refusal marks
it failed, and staff may try it again (a new key, since the gateway's refund is dead).
"""

import logging
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import InvalidInput
from customers.models import BankAccount

from .. import signals
from ..gateways import GATEWAYS
from ..lifecycle import (
    REFUND_FAIL,
    REFUND_ISSUE,
    REFUND_RETRY,
    REFUND_SUCCEED,
    payment_latest,
)
from ..models import AttemptStatus, Order, Refund, RefundMode, RefundStatus
from ..razorpay import GatewayUnavailable
from .base import create_with_number, gateway_event_first, lock_order, money, prefetched_add

logger = logging.getLogger(__name__)


def normalize_refund_mode(value: str) -> str:
    value = (value or "").strip().lower().replace("_", "-")
    if value not in (RefundMode.ORIGINAL_PAYMENT_MODE, RefundMode.BANK_TRANSFER):
        raise InvalidInput.for_field("refund_mode", _("Choose original-payment-mode or bank-transfer."))
    return value


def bank_account_for_refund(order: Order, refund_mode: str, bank_account_id: str | None) -> BankAccount | None:
    """The shopper's own verified account a bank-transfer refund goes to (none for other modes)."""
    if refund_mode != RefundMode.BANK_TRANSFER:
        return None
    if not bank_account_id:
        raise InvalidInput.for_field("bank_account_id", _("Choose the bank account for the refund."))
    account = BankAccount.objects.filter(pk=str(bank_account_id).upper(), customer_id=order.customer_id).first()
    if account is None:
        raise InvalidInput.for_field("bank_account_id", _("Choose one of your bank accounts."))
    if not account.is_verified:
        raise InvalidInput.for_field("bank_account_id", _("This bank account is not verified yet."))
    return account


def refund_create(
    order: Order,
    *,
    amount: Decimal,
    refund_mode: str,
    bank_account=None,
    order_return=None,
    remarks: str = "",
    payment=None,
    order_saved_after: bool = False,
) -> Refund | None:
    """A pending refund of `amount` (nothing when there is nothing to give back); the caller
    holds the order's lock. To the original payment, it goes back to `payment` (default: the
    order's latest paid attempt). The order is marked `has_refund`, in the database too unless
    the caller saves that field itself (`order_saved_after`); prefetched refunds get the new one."""
    if amount <= 0:
        return None
    latest_paid = payment or payment_latest(order, status=AttemptStatus.SUCCESS)
    to_original = latest_paid is not None and refund_mode == RefundMode.ORIGINAL_PAYMENT_MODE
    # Back to the original payment through its gateway, when that gateway gives money back itself.
    through_gateway = (
        to_original
        and bool(latest_paid.payment_reference_number)
        and hasattr(GATEWAYS.get(latest_paid.gateway), "refund")
    )
    refund = create_with_number(
        Refund,
        "RFD",
        order=order,
        order_return=order_return,
        amount=money(amount),
        payment_mode=refund_mode,
        bank_account=bank_account,
        payment_method=(latest_paid.payment_method if to_original else "bank_transfer" if bank_account else ""),
        remarks=remarks,
        gateway=latest_paid.gateway if through_gateway else "",
        gateway_payment_id=latest_paid.payment_reference_number if through_gateway else "",
    )
    if through_gateway:
        _send_after_commit(refund)
    if not order_saved_after:
        Order.objects.filter(pk=order.pk).update(has_refund=True)
    order.has_refund = True
    prefetched_add(order, "refunds", refund)
    return refund


def _lock_refund(refund: Refund) -> Refund:
    lock_order(refund.order)
    return Refund.objects.select_for_update().get(pk=refund.pk)


@transaction.atomic
def refund_issue(*, refund: Refund) -> Refund:
    """Staff send the refund on its way (to the gateway or the bank)."""
    refund = _lock_refund(refund)
    REFUND_ISSUE.require(refund)
    if refund.gateway:
        # The gateway's answer marks it issued (refund_gateway_update), not staff.
        _send_after_commit(refund)
        return refund
    refund.status = RefundStatus.APPROVED
    refund.save()
    signals.refund_started.send(sender=Order, refund=refund)
    return refund


@transaction.atomic
def refund_succeed(*, refund: Refund, reference: str) -> Refund:
    refund = _lock_refund(refund)
    REFUND_SUCCEED.require(refund)
    refund.status, refund.refund_date, refund.payment_reference_number = RefundStatus.SUCCESS, timezone.now(), reference
    refund.save()
    signals.refund_completed.send(sender=Order, refund=refund)
    return refund


@transaction.atomic
def refund_fail(*, refund: Refund, remarks: str) -> Refund:
    if not (remarks or "").strip():
        raise InvalidInput.for_field("remarks", _("Say why the refund failed."))
    refund = _lock_refund(refund)
    REFUND_FAIL.require(refund)
    refund.status, refund.remarks = RefundStatus.FAILED, remarks.strip()
    refund.save()
    return refund


@transaction.atomic
def refund_retry(*, refund: Refund) -> Refund:
    """Staff try a failed refund again; one through a gateway is sent to it again."""
    refund = _lock_refund(refund)
    REFUND_RETRY.require(refund)
    refund.status = RefundStatus.PENDING
    if refund.gateway:
        refund.payment_reference_number = ""  # the gateway's refund that failed; a new one comes
        _send_after_commit(refund)
    refund.save()
    return refund


def _send_after_commit(refund: Refund) -> None:
    transaction.on_commit(lambda refund_id=refund.pk: refund_send_later(refund_id))


def refund_send(*, refund_id: str) -> Refund:
    """Send a pending gateway refund to its gateway, outside any transaction; its answer marks the
    refund issued (or done, or failed). Raises `GatewayUnavailable` when there was no answer:
    the refund stays pending, and sending it again reuses the key."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if not refund.gateway or refund.status != RefundStatus.PENDING or refund.payment_reference_number:
        return refund  # sent already, settled, or not a gateway's
    gateway = GATEWAYS[refund.gateway]
    try:
        answer = gateway.refund(
            payment_id=refund.gateway_payment_id,
            amount=refund.amount,
            currency=refund.order.currency_code,
            receipt=refund.request_number,
            key=f"{refund.request_number}-{refund.gateway_attempt}",
        )
    except GatewayUnavailable as exc:
        if not exc.refused:
            raise
        return _refund_gateway_failed(refund, f"Refused by {refund.gateway}: {exc.detail}"[:500], next_key=True)
    return refund_gateway_update(refund=refund, refund_id=answer.refund_id, status=answer.status)


def refund_send_gave_up(*, refund_id: str, detail: str) -> Refund:
    """The gateway never answered: fail the refund for staff to try again (with the same key, as
    the gateway may have made it)."""
    refund = Refund.objects.get(pk=refund_id)
    return _refund_gateway_failed(refund, f"No answer from {refund.gateway}: {detail}"[:500], next_key=False)


@transaction.atomic
def _refund_gateway_failed(refund: Refund, remarks: str, *, next_key: bool) -> Refund:
    refund = _lock_refund(refund)
    if not REFUND_FAIL.allows(refund):
        return refund
    refund.status, refund.remarks = RefundStatus.FAILED, remarks
    refund.gateway_attempt += 1 if next_key else 0
    refund.save()
    return refund


@transaction.atomic
def refund_gateway_update(*, refund: Refund, refund_id: str, status: str) -> Refund:
    """What the gateway says of a refund it was sent: pending (issued), processed or failed."""
    refund = _lock_refund(refund)
    if status == "processed" and REFUND_SUCCEED.allows(refund):
        return refund_succeed(refund=refund, reference=refund_id)
    if status == "failed":
        return _refund_gateway_failed(refund, f"Refused by {refund.gateway}", next_key=True)
    if REFUND_ISSUE.allows(refund):
        refund.status, refund.payment_reference_number = RefundStatus.APPROVED, refund_id
        refund.save()
        signals.refund_started.send(sender=Order, refund=refund)
    return refund


def refund_gateway_settle(*, gateway_name: str, outcome, event_id: str = "", event_kind: str = "") -> bool:
    """A gateway's refund event (`GatewayRefund`) about one of our refunds, applied once and only
    when its amount and currency match; answers whether anything changed."""
    with transaction.atomic():
        if event_id and not gateway_event_first(gateway_name=gateway_name, event_id=event_id, kind=event_kind):
            return False
        refund = (
            Refund.objects.select_related("order")
            .filter(gateway=gateway_name)
            .filter(Q(payment_reference_number=outcome.refund_id) | Q(request_number=outcome.receipt))
            .first()
        )
        if refund is None or outcome.amount != refund.amount or outcome.currency != refund.order.currency_code:
            logger.warning(
                "%s reported refund %s (%s) that matches none of ours", gateway_name, outcome.refund_id, outcome.receipt
            )
            return False
        before = (refund.status, refund.payment_reference_number)
        refund = refund_gateway_update(refund=refund, refund_id=outcome.refund_id, status=outcome.status)
        return (refund.status, refund.payment_reference_number) != before


REFUND_SEND_RETRIES = 6


# Named as it was when it lived in orders/tasks.py: queued tasks keep their name across a deploy.
@shared_task(name="orders.tasks.refund_send_task", bind=True, acks_late=True, max_retries=REFUND_SEND_RETRIES)
def refund_send_task(self, refund_id: str) -> None:
    try:
        refund_send(refund_id=refund_id)
    except GatewayUnavailable as exc:
        if self.request.retries >= self.max_retries:
            refund_send_gave_up(refund_id=refund_id, detail=exc.detail)
            return
        raise self.retry(exc=exc, countdown=min(600, 15 * 2**self.request.retries)) from exc


def refund_send_later(refund_id: str) -> None:
    """Called after the commit that made the refund (or asked for it again)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        try:
            refund_send(refund_id=refund_id)
        except GatewayUnavailable as exc:
            refund_send_gave_up(refund_id=refund_id, detail=exc.detail)
    else:
        refund_send_task.delay(refund_id)
