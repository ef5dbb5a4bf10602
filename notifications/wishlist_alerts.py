"""Wishlist alerts: a saved product's price dropped, or it is back in stock (catalog.signals, sent
by the catalog once staff's change has committed). Each shopper who saved it gets one message per
change, promotional, so the per-channel "promotional" switches govern it and its emails carry
the one-click unsubscribe (notifications.unsubscribe).

"Once per change": the outbox's `once_key` is the change's id, so a handler run twice for one
change writes nothing more; a save that changes nothing sends no signal at all (catalog.services).
Shoppers with every promotional channel off get no row; the others' switches are read again when
each message is sent (notifications.services.message_allowed).
"""

from django.db import transaction
from django.urls import reverse

from catalog import signals as catalog_signals
from catalog.selectors import storefront_product_url, wishlist_holders
from common.money import money_text

from .models import Kind
from .services import notify

PROMOTIONAL = Kind.PROMOTIONAL.value


def _wants_promotions(customer) -> bool:
    return any((customer.notification_preferences or {}).get(PROMOTIONAL, {}).values())


def _alert(*, product, event: str, change_id: str, context: dict) -> int:
    """Queue `event` to each shopper who saved `product`; answers how many were written to."""
    context = {
        "product_id": product.pk,
        "product_name": product.name,
        "price": money_text(product.selling_price),
        "price_value": str(product.selling_price),  # for message_stale: a dearer product again is no news
        "product_url": storefront_product_url(product.slug),
        "wishlist_path": reverse("portal:wishlist"),
        **context,
    }
    told = 0
    for customer in wishlist_holders(product_id=product.pk).iterator():
        if not _wants_promotions(customer):
            continue
        with transaction.atomic():
            written = notify(
                customer=customer,
                event=event,
                kind=Kind.PROMOTIONAL,
                once_key=f"wishlist-{change_id}",
                context=context,
            )
        told += bool(written)
    return told


def wishlist_price_dropped(*, product, previous_price, change_id: str) -> int:
    return _alert(
        product=product,
        event="wishlist_price_drop",
        change_id=change_id,
        context={"previous_price": money_text(previous_price)},
    )


def wishlist_back_in_stock(*, product, change_id: str) -> int:
    return _alert(product=product, event="wishlist_back_in_stock", change_id=change_id, context={})


def wishlist_alerts_connect() -> None:
    """From NotificationsConfig.ready(): the catalog's two product signals."""
    catalog_signals.product_price_dropped.connect(
        _receiver(wishlist_price_dropped), weak=False, dispatch_uid="notifications.wishlist_price_dropped"
    )
    catalog_signals.product_back_in_stock.connect(
        _receiver(wishlist_back_in_stock), weak=False, dispatch_uid="notifications.wishlist_back_in_stock"
    )


def _receiver(handler):
    def receive(sender, signal, **kwargs):
        handler(**kwargs)

    return receive
