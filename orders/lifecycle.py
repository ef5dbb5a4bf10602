"""The order lifecycle: which action may start from which status, and where it leads.

`TRANSITIONS` is the one table. The services (`orders.services`) refuse an action with
`transition.require(row)` or `raise transition.refused(row)`; the website offers a button, and
the admin lists an action as "Allowed now", only where the checks below say so; the API's flags
(`is_cancellation_allowed`, `is_retry_available`, a shipment's `is_return_allowed`) are these
checks. Change a rule here and every one of them follows. `orders/tests/test_lifecycle.py`
walks the table for every action and every status.

A transition reads a row's `status` first, then, where it matters, another field of the same
row (the order's `payment_status`, a return's `received_at`). Conditions that are not a
status (nothing has shipped, the return window, the payment gateway) are the `is_*` checks
below the table. Everything in this module only reads.

The status groups (open, holding and stopped returns; open and counted refunds) are named once,
above the table, and what a shopper reads about a refund (where it goes, `refund_destination`;
when, `REFUND_TIMING`) once, below: the pages, the emails and the texts all read these.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from common.errors import ErrorCode
from common.exceptions import DomainError
from common.money import money_round

from .gateways import gateway_available
from .locking import lock_held
from .models import (
    ZERO,
    AttemptStatus,
    Order,
    OrderItem,
    OrderReturn,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundMode,
    RefundStatus,
    Resolution,
    ReturnItem,
    ReturnStatus,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
)


@dataclass(frozen=True)
class Check:
    """One field an action reads, the values it may start from, and how a refusal reads.
    With `unless`, the values are the ones it may NOT start from."""

    field: str
    values: frozenset
    code: str
    message: str
    unless: bool = False

    def __post_init__(self):
        object.__setattr__(self, "values", frozenset(self.values))

    def passes(self, row) -> bool:
        return (getattr(row, self.field) in self.values) != self.unless


@dataclass(frozen=True)
class Transition:
    """An action on one kind of row: its checks (the first reads `status`) and the statuses it
    leads to (empty: the row's status stays; `note` says what else changes)."""

    model: type
    action: str
    checks: tuple[Check, ...]
    leads_to: frozenset = frozenset()
    note: str = ""

    def __post_init__(self):
        object.__setattr__(self, "leads_to", frozenset(self.leads_to))

    @property
    def name(self) -> str:
        kind = self.model._meta.model_name
        return f"{'return' if kind == 'orderreturn' else kind}.{self.action}"

    @property
    def sources(self) -> frozenset:
        """The statuses the action may start from."""
        first = self.checks[0]
        every = (value for value, _ in self.model._meta.get_field("status").choices)
        return frozenset(value for value in every if (value in first.values) != first.unless)

    def allows(self, row) -> bool:
        return all(check.passes(row) for check in self.checks)

    def refused(self, row) -> DomainError:
        """The refusal for `row`: of the first check it fails, else of the status check (the
        action's further condition, outside this table, failed)."""
        check = next((c for c in self.checks if not c.passes(row)), self.checks[0])
        return DomainError(check.message, code=check.code, status=row.status)

    def require(self, row) -> None:
        if not self.allows(row):
            raise self.refused(row)


def _status(values, message: str, *, code: str = ErrorCode.INVALID_TRANSITION, unless: bool = False) -> Check:
    return Check("status", values, code=code, message=message, unless=unless)


# --- status groups: each named once, read by the table, the services, selectors, pages and admin --

# Statuses of an order that waits for its money or for staff, before it is confirmed.
AWAITING_CONFIRMATION = frozenset({OrderStatus.PENDING, OrderStatus.AWAITING_APPROVAL})

# Refunds on their way: not yet paid out, nor failed. They keep their bank account in use.
REFUND_OPEN_STATUSES = frozenset({RefundStatus.PENDING, RefundStatus.APPROVED})
# Refunds that give the money back, or will: all but a failed one.
REFUND_COUNTED_STATUSES = REFUND_OPEN_STATUSES | {RefundStatus.SUCCESS}

# Returns still under way: the shopper waits on staff or the courier.
RETURN_OPEN_STATUSES = frozenset({ReturnStatus.CREATED, ReturnStatus.APPROVED})
# Returns that hold on to their items' quantities: under way or completed.
RETURN_HOLDING_STATUSES = RETURN_OPEN_STATUSES | {ReturnStatus.COMPLETE}
# Returns that ended without giving anything back (they give their items' quantities back).
RETURN_STOPPED_STATUSES = frozenset({ReturnStatus.REJECTED, ReturnStatus.CANCELLED})
# The whole order has arrived: its tax invoice exists, and the review reminder may ask about it.
ORDER_RECEIVED_STATUSES = frozenset({OrderStatus.DELIVERED, OrderStatus.COMPLETE})
# Something of the order has arrived: a return may start (for what was received, order_items_received).
ORDER_PARTLY_RECEIVED_STATUSES = ORDER_RECEIVED_STATUSES | {OrderStatus.PARTIALLY_DELIVERED}

# --- the table ----------------------------------------------------------------------------
# Placement starts an order at `pending` (at `confirmed` at once when nothing is left to pay).

ORDER_PAID = Transition(
    Order,
    "paid",
    checks=(_status(AWAITING_CONFIRMATION, "Only a pending order is confirmed by its payment."),),
    leads_to={OrderStatus.CONFIRMED},
    note="When a payment covers what is left to pay. Any other order keeps its status; the money is "
    "recorded all the same.",
)
ORDER_CONFIRM = Transition(
    Order,
    "confirm",
    checks=(
        _status(AWAITING_CONFIRMATION, "Only a pending order can be confirmed."),
        Check("payment_status", {PaymentStatus.SUCCESS}, code=ErrorCode.NOT_PAID, message="The order is not paid yet."),
    ),
    leads_to={OrderStatus.CONFIRMED},
)
ORDER_RETRY_PAYMENT = Transition(
    Order,
    "retry_payment",
    checks=(
        _status({OrderStatus.PENDING}, "This order's payment cannot be retried.", code=ErrorCode.RETRY_NOT_AVAILABLE),
        Check(
            "payment_status",
            {PaymentStatus.FAILED},
            code=ErrorCode.RETRY_NOT_AVAILABLE,
            message="This order's payment cannot be retried.",
        ),
    ),
    note="A new attempt starts. Only while the last attempt failed or ran out of time, within "
    "PAYMENT_RETRY_HOURS of the order, through an available gateway (is_retry_available).",
)
ORDER_RECORD_PAYMENT = Transition(
    Order,
    "record_payment",
    checks=(_status({OrderStatus.CANCELLED}, "The order is cancelled.", unless=True),),
    note="Staff record an attempt's outcome while something is left to pay (else `already_paid`, "
    "is_payment_due); a payment in full confirms a pending order (ORDER_PAID).",
)
ORDER_SHIP = Transition(
    Order,
    "ship",
    checks=(
        _status(
            {
                OrderStatus.CONFIRMED,
                OrderStatus.AWAITING_SHIPMENT,
                OrderStatus.PARTIALLY_SCHEDULED,
                OrderStatus.PARTIALLY_SHIPPED,
                OrderStatus.PARTIALLY_DELIVERED,
            },
            "Only a confirmed order can be shipped.",
        ),
    ),
    leads_to={OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.PARTIALLY_DELIVERED},
    note="Shipped when nothing is left to ship; a partially delivered order stays so.",
)
SHIPMENT_OUT_FOR_DELIVERY = Transition(
    Shipment,
    "out_for_delivery",
    checks=(
        _status(
            {ShipmentStatus.SHIPPED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERY_ATTEMPTED},
            "Only a shipment on its way can go out for delivery.",
        ),
    ),
    leads_to={ShipmentStatus.OUT_FOR_DELIVERY},
    note="The courier's last leg; after a failed attempt it goes out again. The shopper is told. Staff's "
    "'out for delivery' on an order sends each of its shipments this allows (is_out_for_delivery_due).",
)
SHIPMENT_DELIVER = Transition(
    Shipment,
    "deliver",
    checks=(
        _status(
            {
                ShipmentStatus.SHIPPED,
                ShipmentStatus.IN_TRANSIT,
                ShipmentStatus.OUT_FOR_DELIVERY,
                ShipmentStatus.DELIVERY_ATTEMPTED,
            },
            "Only a shipment on its way can be delivered.",
        ),
    ),
    leads_to={ShipmentStatus.DELIVERED},
    note="A failed delivery attempt can still be delivered later. The order becomes delivered once "
    "everything has arrived, partially delivered before. Staff's 'deliver' on an order delivers "
    "each of its shipments this allows (is_delivery_due).",
)
ORDER_COMPLETE = Transition(
    Order,
    "complete",
    checks=(_status({OrderStatus.DELIVERED}, "Only a delivered order can be completed."),),
    leads_to={OrderStatus.COMPLETE},
)
ORDER_CANCEL = Transition(
    Order,
    "cancel",
    checks=(
        _status(
            {
                OrderStatus.PENDING,
                OrderStatus.AWAITING_APPROVAL,
                OrderStatus.CONFIRMED,
                OrderStatus.PARTIALLY_SCHEDULED,
                OrderStatus.AWAITING_SHIPMENT,
            },
            "This order can no longer be cancelled.",
            code=ErrorCode.NOT_CANCELLABLE,
        ),
    ),
    leads_to={OrderStatus.CANCELLED},
    note="Only before anything has shipped (is_cancellation_allowed).",
)
ORDER_RETURN = Transition(
    Order,
    "return",
    checks=(
        _status(
            ORDER_PARTLY_RECEIVED_STATUSES,
            "Only delivered items can be returned.",
            code=ErrorCode.NOT_RETURNABLE,
        ),
    ),
    note="A return starts at `created`, for delivered quantities not yet held by another return, "
    "inside the return window (is_return_allowed).",
)
PAYMENT_SETTLE = Transition(
    Payment,
    "settle",
    checks=(
        _status(
            {AttemptStatus.PENDING}, "This payment attempt is already settled.", code=ErrorCode.PAYMENT_ALREADY_SETTLED
        ),
    ),
    leads_to={AttemptStatus.SUCCESS, AttemptStatus.FAILED},
    note="Failed when it ran out of time (expires_at).",
)
PAYMENT_CANCEL = Transition(
    Payment,
    "cancel",
    checks=(
        _status(
            {AttemptStatus.PENDING}, "This order has no payment in progress to cancel.", code=ErrorCode.NO_OPEN_PAYMENT
        ),
    ),
    leads_to={AttemptStatus.FAILED},
    note="The shopper gives up the attempt still open at its gateway (payment_attempt_open) to pay another "
    "way: a retry is offered at once. Money the gateway takes on it later is kept, and what exceeds what is "
    "due is refunded (payment_gateway_settle).",
)
RETURN_CANCEL = Transition(
    OrderReturn,
    "cancel",
    checks=(
        _status(
            {ReturnStatus.CREATED},
            "Only a return that is not yet approved can be cancelled.",
            code=ErrorCode.NOT_CANCELLABLE,
        ),
    ),
    leads_to={ReturnStatus.CANCELLED},
)
MAX_RETURN_PHOTOS = 3
# The longest comment a shopper may add to a return, in characters (the website's box and the API's field).
MAX_RETURN_COMMENT = 1000


def return_takes_photos(order_return: OrderReturn) -> bool:
    """Photos can be added while the return is open (requested or approved)."""
    return order_return.status in RETURN_OPEN_STATUSES


RETURN_APPROVE = Transition(
    OrderReturn,
    "approve",
    checks=(_status({ReturnStatus.CREATED}, "Only a new return can be approved."),),
    leads_to={ReturnStatus.APPROVED},
)
RETURN_REJECT = Transition(
    OrderReturn,
    "reject",
    checks=(_status({ReturnStatus.CREATED}, "Only a new return can be rejected."),),
    leads_to={ReturnStatus.REJECTED},
)
RETURN_RECEIVE = Transition(
    OrderReturn,
    "receive",
    checks=(
        _status({ReturnStatus.APPROVED}, "Only an approved return can be received."),
        Check("received_at", {None}, code=ErrorCode.INVALID_TRANSITION, message="This return was already received."),
    ),
    note="Sets received_at.",
)
RETURN_COMPLETE = Transition(
    OrderReturn,
    "complete",
    checks=(
        _status({ReturnStatus.APPROVED}, "Only an approved return can be completed."),
        Check(
            "received_at", {None}, code=ErrorCode.NOT_RECEIVED, message="Mark the items received first.", unless=True
        ),
    ),
    leads_to={ReturnStatus.COMPLETE},
    note="Refunds its refund items, places a free replacement order for the others.",
)
REFUND_ISSUE = Transition(
    Refund,
    "issue",
    checks=(_status({RefundStatus.PENDING}, "Only a pending refund can be issued."),),
    leads_to={RefundStatus.APPROVED},
)
_REFUND_OPEN = _status(REFUND_OPEN_STATUSES, "This refund is already settled.")
REFUND_SUCCEED = Transition(Refund, "succeed", checks=(_REFUND_OPEN,), leads_to={RefundStatus.SUCCESS})
REFUND_FAIL = Transition(Refund, "fail", checks=(_REFUND_OPEN,), leads_to={RefundStatus.FAILED})
REFUND_RETRY = Transition(
    Refund,
    "retry",
    checks=(_status({RefundStatus.FAILED}, "Only a failed refund can be tried again."),),
    leads_to={RefundStatus.PENDING},
    note="Staff try a failed refund again; one through a gateway is sent to it again, as a new refund.",
)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        ORDER_PAID,
        ORDER_CONFIRM,
        ORDER_RETRY_PAYMENT,
        ORDER_RECORD_PAYMENT,
        ORDER_SHIP,
        SHIPMENT_OUT_FOR_DELIVERY,
        SHIPMENT_DELIVER,
        ORDER_COMPLETE,
        ORDER_CANCEL,
        ORDER_RETURN,
        PAYMENT_SETTLE,
        PAYMENT_CANCEL,
        RETURN_CANCEL,
        RETURN_APPROVE,
        RETURN_REJECT,
        RETURN_RECEIVE,
        RETURN_COMPLETE,
        REFUND_ISSUE,
        REFUND_SUCCEED,
        REFUND_FAIL,
        REFUND_RETRY,
    )
}


# --- payments: which attempt counts, and what each method records ---------------------------

# The details each payment method keeps on its attempt (and the API shows, masked).
PAYMENT_METHOD_FIELDS = {
    PaymentMethod.CARD: ("card_last4", "card_type"),
    PaymentMethod.UPI: ("upi_id",),
    PaymentMethod.NETBANKING: ("bank_name",),
    PaymentMethod.WALLET: ("wallet_name",),
    PaymentMethod.BANK_TRANSFER: ("bank_account_last4", "bank_name"),
}


def payment_latest(order: Order, *, status: str | None = None) -> Payment | None:
    """The order's newest attempt (of that status), from a prefetch when there is one."""
    payments = [p for p in order.payments.all() if status is None or p.status == status]
    return max(payments, key=lambda p: (p.created_at, p.pk)) if payments else None


def is_retry_available(order: Order, *, now: datetime | None = None) -> bool:
    """The last attempt failed (or ran out of time), on an order still waiting for its money, and
    the shop has a gateway to send the shopper to."""
    now = now or timezone.now()
    if not ORDER_RETRY_PAYMENT.allows(order) or not gateway_available():
        return False
    if order.order_date < now - timedelta(hours=settings.PAYMENT_RETRY_HOURS):
        return False
    latest = payment_latest(order)
    if latest is None:
        return True
    return latest.status == AttemptStatus.FAILED or (
        latest.status == AttemptStatus.PENDING and latest.expires_at is not None and latest.expires_at < now
    )


def is_awaiting_payment(order: Order) -> bool:
    """The order still waits for the shopper's money (an attempt may be open, or retried)."""
    return order.status == OrderStatus.PENDING and order.payment_status != PaymentStatus.SUCCESS


def payment_attempt_open(order: Order, *, now: datetime | None = None) -> Payment | None:
    """The attempt still waiting for the shopper at its gateway (pending, not yet run out of
    time), on an order still waiting for its money: the shopper can go back to it rather than
    start another."""
    now = now or timezone.now()
    if not is_awaiting_payment(order):
        return None
    latest = payment_latest(order)
    if latest is None or latest.status != AttemptStatus.PENDING or not gateway_available(latest.gateway):
        return None
    return latest if latest.expires_at is not None and latest.expires_at > now else None


# Why an attempt the shopper cancelled (payment_request_cancel) failed: it tells that attempt from
# one the gateway declined, so the shopper is not told their payment failed.
PAYMENT_CANCELLED_REASON = "Cancelled to pay another way"


def is_payment_cancelled(payment: Payment) -> bool:
    """The shopper closed this attempt themselves (nothing went wrong at the gateway)."""
    return payment.status == AttemptStatus.FAILED and payment.failure_reason == PAYMENT_CANCELLED_REASON


def is_payment_failure_stale(order_number: str) -> bool:
    """A "payment failed" message about this order stopped being true before it went: the order
    is gone, paid, cancelled or being paid again (a retry settles the abandoned attempt as failed,
    and the shopper is at the gateway already)."""
    order = Order.objects.filter(number=order_number).first()
    return (
        order is None
        or order.payment_status == PaymentStatus.SUCCESS
        or order.status == OrderStatus.CANCELLED
        or order.payments.filter(status=AttemptStatus.PENDING).exists()
    )


def is_payment_due(order: Order) -> bool:
    """Staff may record a payment: the order takes one and something is left to pay."""
    return ORDER_RECORD_PAYMENT.allows(order) and order.to_be_paid > order.amount_paid


def refunded_total(order: Order) -> Decimal:
    """What the order's refunds give back, failed ones aside (uses prefetched refunds)."""
    return sum((r.amount for r in order.refunds.all() if r.status in REFUND_COUNTED_STATUSES), ZERO)


# --- fulfilment and cancellation ---------------------------------------------------------


def is_out_for_delivery_due(order: Order) -> bool:
    """Something of the order is on its way and not yet out for delivery (uses prefetched
    shipments when present)."""
    return any(SHIPMENT_OUT_FOR_DELIVERY.allows(s) for s in order.shipments.all())


def is_delivery_due(order: Order) -> bool:
    """Something of the order is on its way (uses prefetched shipments when present)."""
    return any(SHIPMENT_DELIVER.allows(s) for s in order.shipments.all())


def is_cancellation_allowed(order: Order) -> bool:
    """Before anything has shipped (uses prefetched shipments when present)."""
    return ORDER_CANCEL.allows(order) and not any(s.status != ShipmentStatus.CANCELLED for s in order.shipments.all())


def cancellation_refund_details(order: Order) -> dict:
    """What cancelling now would give back (shown before the shopper confirms). `payment_mode`
    is a refund mode (the SDK's enum), the one a refund takes unless the shopper picks
    bank-transfer to a verified account: back to how they paid (RefundMode, not PaymentMethod)."""
    return {
        "loyalty_point": order.loyalty_points_redeemed,
        "refundable_amount": max(ZERO, order.amount_paid - refunded_total(order)),
        "cancellation_charges": ZERO,
        "cancellation_charges_reason": None,
        "payment_mode": RefundMode.ORIGINAL_PAYMENT_MODE.value,
    }


def bank_account_hold(account) -> str:
    """Why a shopper's bank account cannot be deleted now ("" when it can): a refund is on its way
    to it (registered with customers.services.bank_account_hold_register)."""
    if Refund.objects.filter(bank_account=account, status__in=REFUND_OPEN_STATUSES).exists():
        return "A refund is on its way to this account; delete it once it arrives."
    return ""


# How long a refund takes to reach the shopper once it is sent: the one promise the order page,
# the cancel message, the emails and the texts make ("within 5 to 7 working days").
REFUND_TIMING = gettext_lazy("5 to 7 working days")
# The "expected by" date of a started refund: 7 working days, as calendar days.
REFUND_EXPECTED_DAYS = 9


def refund_expected_by(started_at: datetime | None) -> datetime | None:
    """When a refund on its way since `started_at` should have reached the shopper: what the
    return's page and the "refund started" messages promise."""
    return None if started_at is None else started_at + timedelta(days=REFUND_EXPECTED_DAYS)


def refund_destination(refund: Refund) -> str:
    """Where a refund's money goes, as the shopper reads it (the website and the messages say
    it the same way). An unsaved Refund with only `payment_mode` set says where one would go."""
    if refund.payment_mode == RefundMode.LOYALTY_POINT:
        return gettext("your loyalty points")
    if refund.bank_account_id:
        return gettext("your bank account %(account)s") % {"account": refund.bank_account}
    return str(_REFUND_BACK_TO.get(refund.payment_method, gettext_lazy("the card, UPI or wallet you paid with")))


# What a shopper reads of a refund's status, with the badge's tone: the return's "Refund started"
# and the order's payments table say the same thing about the same refund.
_REFUND_WORDS = {
    RefundStatus.PENDING: (gettext_lazy("Refund started"), "warn"),
    RefundStatus.APPROVED: (gettext_lazy("Refund started"), "warn"),
    RefundStatus.SUCCESS: (gettext_lazy("Refunded"), "good"),
    RefundStatus.FAILED: (gettext_lazy("Refund failed"), "bad"),
}


def refund_words(refund: Refund) -> tuple[str, str]:
    """A refund's status as the shopper reads it, and its tone (good, warn, bad)."""
    return _REFUND_WORDS.get(refund.status, (RefundStatus(refund.status).label, "neutral"))


# Where a refund to the original payment goes, by how the shopper paid.
_REFUND_BACK_TO = {
    PaymentMethod.CARD: gettext_lazy("the card you paid with"),
    PaymentMethod.UPI: gettext_lazy("the UPI account you paid with"),
    PaymentMethod.WALLET: gettext_lazy("the wallet you paid with"),
    PaymentMethod.NETBANKING: gettext_lazy("the bank account you paid from (net banking)"),
    PaymentMethod.BANK_TRANSFER: gettext_lazy("the bank account you paid from"),
}


# --- returns ------------------------------------------------------------------------------


def return_window_closes(order: Order) -> datetime | None:
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS)


def is_return_window_open(order: Order, *, now: datetime | None = None) -> bool:
    closes = return_window_closes(order)
    return closes is not None and closes >= (now or timezone.now())


def is_shipment_returnable(shipment: Shipment, *, now: datetime | None = None) -> bool:
    """A delivered shipment of a returnable order, inside the return window."""
    if shipment.status != ShipmentStatus.DELIVERED:
        return False
    order = shipment.order
    return ORDER_RETURN.allows(order) and is_return_window_open(order, now=now)


def is_return_allowed(order: Order, *, now: datetime | None = None) -> bool:
    """Something of the order may be returned now: one of its shipments is returnable (uses
    prefetched shipments when present)."""
    return ORDER_RETURN.allows(order) and any(is_shipment_returnable(s, now=now) for s in order.shipments.all())


@dataclass(frozen=True)
class ReturnRefund:
    """What a return's refund items give back: their value, its share of the order's value, the
    money part of that value (to the cent) and the points part, as redeemed points back."""

    value: Decimal
    share: Decimal
    amount: Decimal
    points: int


def return_refund(order: Order, items) -> ReturnRefund:
    """The one rule for a return's refund: completing it (return_complete) gives this back, and
    the website says so before. Each refund item is worth its line's price per unit; the order
    was paid partly in money (`to_be_paid`) and partly in points, and each comes back in the same
    proportion. `items`: the return's items, with their order items loaded."""
    value = sum(
        (
            i.order_item.line_total / i.order_item.quantity * i.quantity
            for i in items
            if i.resolution == Resolution.REFUND
        ),
        ZERO,
    )
    share = value / order.grand_total if order.grand_total else ZERO
    return ReturnRefund(
        value=value,
        share=share,
        amount=money_round(share * order.to_be_paid),
        points=math.floor(order.loyalty_points_redeemed * share),
    )


# --- what the shopper received ---------------------------------------------------------------


def _quantity_of_item(rows) -> Coalesce:
    return Coalesce(
        Subquery(rows.filter(order_item=OuterRef("pk")).values("order_item").annotate(n=Sum("quantity")).values("n")),
        0,
    )


def order_items_received(items: QuerySet[OrderItem] | None = None) -> QuerySet[OrderItem]:
    """Did the shopper receive this item: the one rule that returns and reviews share. Each order
    item with `received`, its quantity in delivered shipments, and `kept`, that less what open or
    completed returns hold. What can be returned is what is kept (inside the window); what can be
    reviewed is a product with something kept.

    Shipment-level, not order-level: a parcel the courier delivered is in the shopper's hands even
    while the rest of the order is on its way, so its items can be returned and reviewed at once;
    waiting for the whole order would ask the shopper to wait on parcels that have nothing to do
    with the one they hold."""
    delivered = ShipmentItem.objects.filter(shipment__status=ShipmentStatus.DELIVERED)
    held = ReturnItem.objects.filter(order_return__status__in=RETURN_HOLDING_STATUSES)
    return (items if items is not None else OrderItem.objects.all()).annotate(
        received=_quantity_of_item(delivered), kept=F("received") - _quantity_of_item(held)
    )


def returnable_quantities(order: Order) -> dict[str, int]:
    """Per order item received: what the shopper kept (`order_items_received`), in one query.
    While a write holds the order's lock (orders.locking), nobody else can change what it holds,
    so the answer is kept on the order for the rest of that write (the return form checks the
    quantities, then return_create again; it forgets them once it writes a return)."""
    if lock_held(order) and (known := getattr(order, "_returnable_quantities", None)) is not None:
        return dict(known)
    items = order_items_received(OrderItem.objects.filter(order=order)).filter(received__gt=0).order_by()
    quantities = dict(items.values_list("pk", "kept"))
    if lock_held(order):
        order._returnable_quantities = dict(quantities)
    return quantities


def returnable_items(order: Order) -> list[tuple[OrderItem, int]]:
    """The order's items that can still be returned, with how many of each."""
    available = returnable_quantities(order)
    return [(item, available[item.pk]) for item in order.items.all() if available.get(item.pk, 0) > 0]
