"""Wishlist alerts: a saved product's price dropped, or it is back in stock (catalog.signals, sent
by the catalog once staff's change has committed). Each shopper who saved it gets one message per
change, promotional, so the per-channel "promotional" switches govern it and its emails carry
the one-click unsubscribe (notifications.unsubscribe).

The staff request that saved the product only hands the change to a worker (one task,
`wishlist_alert_task`): a product saved by thousands of shoppers costs the request nothing more
than one saved by one. The task writes the outbox rows in chunks (WISHLIST_ALERT_CHUNK shoppers a
chunk: one read of the shoppers, one INSERT, one SELECT of what it wrote, one transaction each),
and each row is then sent by its own task, as every message is. With no broker to hand the task
to (Redis down), the request fans out itself, as it did before: the alert is late, not lost.

"Once per change": the outbox's `once_key` is the change's id, so a task run twice for one
change (a worker lost mid-way, acks_late) writes nothing more; a save that changes nothing sends
no signal at all (catalog.services). Shoppers with every promotional channel off get no row; the
others' switches are read again when each message is sent (notifications.services.message_allowed).
"""

import logging
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.otp import BROKER_UNAVAILABLE_ERRORS
from catalog import signals as catalog_signals
from catalog.models import Product
from catalog.selectors import storefront_product_url, wishlist_holders
from common.money import money_text

from .models import Kind
from .services import notify_many

logger = logging.getLogger(__name__)

PROMOTIONAL = Kind.PROMOTIONAL.value


def _wants_promotions(customer) -> bool:
    return any((customer.notification_preferences or {}).get(PROMOTIONAL, {}).values())


def _alert(*, product, event: str, change_id: str, context: dict) -> int:
    """Queue `event` to each shopper who saved `product`, a chunk at a time (by id, so a chunk
    is one indexed read whatever the pooler); answers how many shoppers were written to."""
    context = {
        "product_id": product.pk,
        "product_name": product.name,
        "price": money_text(product.selling_price),
        "price_value": str(product.selling_price),  # for message_stale: a dearer product again is no news
        "product_url": storefront_product_url(product.slug),
        "wishlist_path": reverse("portal:wishlist"),
        **context,
    }
    told, after = 0, ""
    holders = wishlist_holders(product_id=product.pk)
    while True:
        chunk = list(holders.filter(pk__gt=after)[: settings.WISHLIST_ALERT_CHUNK])
        if not chunk:
            return told
        after = chunk[-1].pk
        wanting = [customer for customer in chunk if _wants_promotions(customer)]
        if not wanting:
            continue
        with transaction.atomic():
            written = notify_many(
                customers=wanting,
                event=event,
                kind=Kind.PROMOTIONAL,
                once_key=f"wishlist-{change_id}",
                context=context,
            )
        told += len({message.user_id for message in written})


def wishlist_price_dropped(*, product, previous_price, change_id: str) -> int:
    return _alert(
        product=product,
        event="wishlist_price_drop",
        change_id=change_id,
        context={"previous_price": money_text(previous_price)},
    )


def wishlist_back_in_stock(*, product, change_id: str) -> int:
    return _alert(product=product, event="wishlist_back_in_stock", change_id=change_id, context={})


def _fan_out(*, product_id: str, price: str, change_id: str, previous_price: str | None = None) -> int:
    """The fan-out of one change, about the product as the change left it (`price`: the price
    it said, whatever staff did since; message_stale checks again when each message is due)."""
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        return 0  # deleted since: nobody to tell about it
    product.selling_price = Decimal(price)
    if previous_price is None:
        return wishlist_back_in_stock(product=product, change_id=change_id)
    return wishlist_price_dropped(product=product, previous_price=Decimal(previous_price), change_id=change_id)


@shared_task(name="notifications.wishlist_alert_task", acks_late=True)
def wishlist_alert_task(product_id: str, price: str, change_id: str, previous_price: str | None = None) -> int:
    """One change's fan-out, in the worker: answers how many shoppers were written to."""
    return _fan_out(product_id=product_id, price=price, change_id=change_id, previous_price=previous_price)


def _hand_over(**change) -> None:
    """From the staff request (after its commit): one task for the worker; with no worker
    (NOTIFICATIONS_QUEUED off, as notifications.services._queue) or the broker down, the fan-out
    here rather than not at all."""
    if not settings.NOTIFICATIONS_QUEUED:
        _fan_out(**change)
        return
    try:
        wishlist_alert_task.delay(**change)
    except BROKER_UNAVAILABLE_ERRORS as exc:
        logger.warning("Wishlist alert %s fanned out in the request: no broker (%s)", change["change_id"], exc)
        _fan_out(**change)


def _price_dropped(sender, *, product, previous_price, change_id, **kwargs) -> None:
    _hand_over(
        product_id=product.pk,
        price=str(product.selling_price),
        change_id=change_id,
        previous_price=str(previous_price),
    )


def _back_in_stock(sender, *, product, change_id, **kwargs) -> None:
    _hand_over(product_id=product.pk, price=str(product.selling_price), change_id=change_id)


def wishlist_alerts_connect() -> None:
    """From NotificationsConfig.ready(): the catalog's two product signals."""
    catalog_signals.product_price_dropped.connect(
        _price_dropped, weak=False, dispatch_uid="notifications.wishlist_price_dropped"
    )
    catalog_signals.product_back_in_stock.connect(
        _back_in_stock, weak=False, dispatch_uid="notifications.wishlist_back_in_stock"
    )
