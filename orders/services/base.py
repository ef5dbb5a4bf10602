"""What every stage's writes share: money rounding, reference numbers, the order's row lock."""

from contextlib import contextmanager
from decimal import Decimal

from django.db import IntegrityError, router, transaction
from django.db.transaction import TransactionManagementError

from common.money import money_round

from .. import selectors, signals
from ..locking import lock_held, lock_mark
from ..models import GatewayEvent, Order, Shipment
from ..numbers import new_number


def money(value) -> Decimal:
    """An amount to the cent, half up (common.money)."""
    return money_round(value)


def create_with_number(model, prefix: str, **fields):
    """Create a row with a fresh reference number, trying again on the rare collision."""
    number_field = {Order: "number", Shipment: "reference_number"}.get(model, "request_number")
    for _ in range(5):
        try:
            with transaction.atomic():
                return model.objects.create(**{number_field: new_number(prefix)}, **fields)
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not allocate a {prefix} number")


def order_lock_for_customer(*, customer, number: str, relations=selectors.DETAIL_RELATIONS) -> Order:
    """One of the customer's orders (else 404), its row locked to the end of the caller's
    transaction, with its items and `relations` loaded (selectors.order_detail_load): the one
    read of the order a write needs, and what its answer shows after. The services given it
    (lock_order) take it as it is, and write on the caller's transaction."""
    if not transaction.get_connection(router.db_for_write(Order)).in_atomic_block:
        raise TransactionManagementError("Lock an order inside the transaction that writes on it.")
    order = selectors.order_detail_load(customer=customer, number=number, lock=True, relations=relations)
    lock_mark(order)
    return order


def lock_order(order: Order) -> Order:
    """The order's row, locked to the end of the transaction: every write on an order, its
    shipments, payments, returns or refunds takes this lock first, so two requests on one order
    run one after the other. An order from order_lock_for_customer, in the transaction that
    locked it, is locked already: it comes back as it is, relations and all."""
    if lock_held(order):
        return order
    return Order.objects.select_for_update().get(pk=order.pk)


@contextmanager
def order_write(order: Order):
    """The transaction of one write on `order`, which it yields locked (lock_order). Given an order
    the caller locked (order_lock_for_customer), the write joins the caller's transaction without a
    savepoint of its own: the caller holds the lock, so it owns the transaction, and a refusal
    rolls it back whole (the caller catches it outside). Else a transaction (or savepoint) of its
    own, as @transaction.atomic."""
    with transaction.atomic(savepoint=not lock_held(order)):
        yield lock_order(order)


def prefetched_add(instance, name: str, obj) -> None:
    """Add a row just written to `instance.<name>`'s prefetched rows, when they were prefetched
    (order_lock_for_customer's order), so what the answer shows includes it without a read."""
    cached = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    if cached is not None:
        cached._result_cache.append(obj)


def received_changed(order: Order, product_ids) -> None:
    """What the shopper received and kept changed: the apps above react (reviews refreshes the
    products waiting for the shopper's review)."""
    signals.received_changed.send(
        sender=Order, customer_id=order.customer_id, product_ids=[p for p in product_ids if p]
    )


def gateway_event_first(*, gateway_name: str, event_id: str, kind: str = "") -> bool:
    """Record a gateway's event id; False when it was recorded before (a replay). Call it in the
    transaction that applies the event: a concurrent copy waits on the unique index, then fails."""
    try:
        with transaction.atomic():
            GatewayEvent.objects.create(gateway=gateway_name, event_id=event_id[:100], kind=kind[:60])
    except IntegrityError:
        return False
    return True
