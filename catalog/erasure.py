"""What the catalog holds about a shopper, their wishlist, erased and exported when they ask
(`accounts.erasure` calls these; registered in `CatalogConfig.ready`)."""

from .models import WishlistItem


def customer_erase(*, user) -> None:
    WishlistItem.objects.filter(customer=user).delete()


def customer_export(*, user, request) -> dict:
    """The saved products, newest first, with when each was saved."""
    entries = WishlistItem.objects.filter(customer=user).select_related("product").order_by("-created_at", "-pk")
    return {
        "wishlist": [
            {
                "product_id": entry.product_id,
                "product_name": entry.product.name,
                "sku": entry.product.sku,
                "saved_at": entry.created_at,
            }
            for entry in entries
        ]
    }
