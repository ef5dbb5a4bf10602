"""The catalog's reads: a shopper's wishlist, and who wishlisted a product."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User

from .models import Product, WishlistItem

WISHLIST_SORT_FIELDS = {
    "created_at": "created_at",
    "product_name": "product__name",
    "selling_price": "product__selling_price",
}
WISHLIST_DEFAULT_SORT = {"created_at": "desc"}


def wishlist_for_customer(*, customer: User) -> QuerySet[WishlistItem]:
    """The shopper's saved products, newest first, each with its product."""
    return WishlistItem.objects.filter(customer=customer).select_related("product").order_by("-created_at", "-pk")


def wishlist_product_ids(*, customer: User) -> set[str]:
    """The ids of the products the shopper saved (to mark "Saved" beside order items)."""
    return set(WishlistItem.objects.filter(customer=customer).values_list("product_id", flat=True))


def wishlist_holders(*, product_id: str) -> QuerySet[User]:
    """The active shoppers who saved a product: whom its alerts go to."""
    return User.objects.filter(wishlist_items__product_id=product_id, is_active=True).order_by("pk")


def wishlist_alert_holds(*, customer_id: str, product_id: str, price: str | None) -> bool:
    """Whether an alert about a saved product is still true when it is due to go: the shopper
    still has it saved, it can be bought, and it costs no more than the alert says."""
    product = Product.objects.filter(pk=product_id, wishlist_items__customer_id=customer_id).first()
    if product is None or not product.is_available:
        return False
    try:
        return price is None or product.selling_price <= Decimal(price)
    except InvalidOperation:
        return True  # an alert with no readable price: the product's state is what counts


def storefront_product_url(slug: str) -> str:
    """The product's page on the shop (settings.STOREFRONT_PRODUCT_URL); empty when the setting
    is, or there is no product slug: then no link."""
    template = settings.STOREFRONT_PRODUCT_URL
    return template.replace("{slug}", slug) if template and slug else ""
