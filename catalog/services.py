"""The catalog's writes: a product changed by staff (and the alerts that follow), and a
shopper's wishlist."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import customer_lock
from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, NotFound
from common.ids import is_ulid, new_ulid

from . import signals
from .models import MAX_WISHLIST_ITEMS, Product, WishlistItem


def product_alert_due(*, before: dict | None, product: Product) -> str:
    """Which shopper alert a product change calls for: "back_in_stock", "price_dropped" or "".

    One per change: a product that comes back at a lower price is news as "back in stock" (its
    message shows the price). A price cut on a product nobody can buy is no news yet.
    """
    if before is None or not product.is_available:
        return ""
    if not (before["active"] and before["stock_available"]):
        return "back_in_stock"
    if Decimal(product.selling_price) < before["selling_price"]:
        return "price_dropped"
    return ""


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Save a product as staff edited it; a price drop or a return to stock tells the shoppers who
    wishlisted it, once the change commits (catalog.signals).

    The row is locked while it is compared, so two saves of the same edit are one change: the
    second finds the new values already there and sends nothing.
    """
    before = (
        Product.objects.select_for_update()
        .filter(pk=product.pk)
        .values("selling_price", "active", "stock_available")
        .first()
        if product.pk and not product._state.adding
        else None
    )
    product.save()
    alert = product_alert_due(before=before, product=product)
    if alert:
        change_id = new_ulid()
        if alert == "price_dropped":
            previous = before["selling_price"]
            transaction.on_commit(
                lambda: signals.product_price_dropped.send(
                    sender=Product, product=product, previous_price=previous, change_id=change_id
                ),
                robust=True,  # the product is saved whatever the alerts do; a failure is logged
            )
        else:
            transaction.on_commit(
                lambda: signals.product_back_in_stock.send(sender=Product, product=product, change_id=change_id),
                robust=True,
            )
    return product


# --- wishlist ------------------------------------------------------------------------------


def _wishlist_product_id(product_id, variant_id) -> str:
    """The product a wishlist request names, checked for shape (a 400, never a 500)."""
    if not is_ulid(product_id):
        raise InvalidInput.for_field("product_id", _("product_id must be a product id (26 characters)."))
    if variant_id not in (None, ""):
        # The catalog has no variants: every product is its own SKU.
        raise InvalidInput.for_field("variant_id", _("This product has no variants: send variant_id null."))
    return product_id.upper()


@transaction.atomic
def wishlist_add(*, customer: User, product_id, variant_id=None) -> WishlistItem:
    """Save a product to the shopper's wishlist; a product saved already stays one entry."""
    pk = _wishlist_product_id(product_id, variant_id)
    product = Product.objects.filter(pk=pk).first()
    if product is None or not product.active:
        message = "No product with this id." if product is None else "This product is no longer sold."
        raise NotFound(message, errors={"product_id": [message]})
    customer_lock(customer)
    existing = WishlistItem.objects.filter(customer=customer, product=product).first()
    if existing is not None:
        return existing
    if WishlistItem.objects.filter(customer=customer).count() >= MAX_WISHLIST_ITEMS:
        raise DomainError(
            f"A wishlist holds at most {MAX_WISHLIST_ITEMS} products. Remove one you no longer want first.",
            code=ErrorCode.LIMIT_EXCEEDED,
        )
    try:
        with transaction.atomic():
            return WishlistItem.objects.create(customer=customer, product=product)
    except IntegrityError:
        # Saved meanwhile by a request the lock did not cover (SQLite has no row locks): one entry.
        return WishlistItem.objects.get(customer=customer, product=product)


@transaction.atomic
def wishlist_remove(*, customer: User, product_id, variant_id=None) -> None:
    """Take a product off the shopper's wishlist; one that is not on it is already off."""
    pk = _wishlist_product_id(product_id, variant_id)
    WishlistItem.objects.filter(customer=customer, product_id=pk).delete()
