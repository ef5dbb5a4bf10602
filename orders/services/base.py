"""What every stage's writes share: money rounding, reference numbers, the order's row lock."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from common.money import money_round

from .. import signals
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


def lock_order(order: Order) -> Order:
    """The order's row, locked to the end of the transaction: every write on an order, its
    shipments, payments, returns or refunds takes this lock first, so two requests on one order
    run one after the other."""
    return Order.objects.select_for_update().get(pk=order.pk)


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
