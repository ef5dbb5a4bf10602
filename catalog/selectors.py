"""The catalog's reads: a shopper's wishlist, and who wishlisted a product."""

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User

from .models import WishlistItem

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


def storefront_product_url(slug: str) -> str:
    """The product's page on the shop (settings.STOREFRONT_PRODUCT_URL); empty when the setting
    is, or there is no product slug: then no link."""
    template = settings.STOREFRONT_PRODUCT_URL
    return template.replace("{slug}", slug) if template and slug else ""
