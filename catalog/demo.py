"""Demo products for `seed_demo`."""

from decimal import Decimal

from .models import Product

DEMO_PRODUCTS = [
    ("Organic Darjeeling Tea 250g", "TEA-DARJ-250", "450.00", "399.00"),
    ("Cold-Pressed Coconut Oil 1L", "OIL-COCO-1L", "650.00", "589.00"),
    ("Handloom Cotton Towel Set", "HOME-TWL-SET", "1299.00", "999.00"),
    ("Stainless Steel Water Bottle", "BTL-SS-750", "899.00", "749.00"),
    ("Ayurvedic Herbal Shampoo", "CARE-SHMP-200", "349.00", "299.00"),
    ("Roasted Almonds 500g", "NUT-ALM-500", "799.00", "699.00"),
]


def seed_products() -> list[Product]:
    products = []
    for name, sku, listing, selling in DEMO_PRODUCTS:
        product, _ = Product.objects.get_or_create(
            sku=sku,
            defaults={
                "name": name,
                "slug": sku.lower(),
                "listing_price": Decimal(listing),
                "selling_price": Decimal(selling),
            },
        )
        products.append(product)
    return products
