"""Refunds: created by a cancellation or a completed return, then issued and settled by staff."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from common.exceptions import InvalidInput
from customers.models import BankAccount

from ..lifecycle import REFUND_FAIL, REFUND_ISSUE, REFUND_SUCCEED, payment_latest
from ..models import AttemptStatus, Order, Refund, RefundMode, RefundStatus
from .base import create_with_number, lock_order, money


def normalize_refund_mode(value: str) -> str:
    value = (value or "").strip().lower().replace("_", "-")
    if value not in (RefundMode.ORIGINAL_PAYMENT_MODE, RefundMode.BANK_TRANSFER):
        raise InvalidInput.for_field("refund_mode", "Choose original-payment-mode or bank-transfer.")
    return value


def bank_account_for_refund(order: Order, refund_mode: str, bank_account_id: str | None) -> BankAccount | None:
    """The shopper's own verified account a bank-transfer refund goes to (none for other modes)."""
    if refund_mode != RefundMode.BANK_TRANSFER:
        return None
    if not bank_account_id:
        raise InvalidInput.for_field("bank_account_id", "Choose the bank account for the refund.")
    account = BankAccount.objects.filter(pk=str(bank_account_id).upper(), customer_id=order.customer_id).first()
    if account is None:
        raise InvalidInput.for_field("bank_account_id", "Choose one of your bank accounts.")
    if not account.is_verified:
        raise InvalidInput.for_field("bank_account_id", "This bank account is not verified yet.")
    return account


def refund_create(order: Order, *, amount: Decimal, refund_mode: str, bank_account=None,
                  order_return=None, remarks: str = "") -> Refund | None:
    """A pending refund of `amount` (nothing when there is nothing to give back); the caller
    holds the order's lock."""
    if amount <= 0:
        return None
    latest_paid = payment_latest(order, status=AttemptStatus.SUCCESS)
    refund = create_with_number(
        Refund, "RFD", order=order, order_return=order_return, amount=money(amount),
        payment_mode=refund_mode, bank_account=bank_account,
        payment_method=(latest_paid.payment_method if latest_paid and refund_mode == RefundMode.ORIGINAL_PAYMENT_MODE
                        else "bank_transfer" if bank_account else ""),
        remarks=remarks,
    )
    Order.objects.filter(pk=order.pk).update(has_refund=True)
    order.has_refund = True
    return refund


def _lock_refund(refund: Refund) -> Refund:
    lock_order(refund.order)
    return Refund.objects.select_for_update().get(pk=refund.pk)


@transaction.atomic
def refund_issue(*, refund: Refund) -> Refund:
    """Staff send the refund on its way (to the gateway or the bank)."""
    refund = _lock_refund(refund)
    REFUND_ISSUE.require(refund)
    refund.status = RefundStatus.APPROVED
    refund.save()
    return refund


@transaction.atomic
def refund_succeed(*, refund: Refund, reference: str) -> Refund:
    refund = _lock_refund(refund)
    REFUND_SUCCEED.require(refund)
    refund.status, refund.refund_date, refund.payment_reference_number = RefundStatus.SUCCESS, timezone.now(), reference
    refund.save()
    return refund


@transaction.atomic
def refund_fail(*, refund: Refund, remarks: str) -> Refund:
    if not (remarks or "").strip():
        raise InvalidInput.for_field("remarks", "Say why the refund failed.")
    refund = _lock_refund(refund)
    REFUND_FAIL.require(refund)
    refund.status, refund.remarks = RefundStatus.FAILED, remarks.strip()
    refund.save()
    return refund
