"""Demo products for `seed_demo`, each with a picture drawn here and stored through the default
storage (django-storages in production), as an uploaded product picture would be."""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from .models import Product

# name, SKU, listing price, selling price, HSN code, picture colour (background, shape)
DEMO_PRODUCTS = [
    ("Organic Darjeeling Tea 250g", "TEA-DARJ-250", "450.00", "399.00", "0902", ("#e3efe0", "#4f7d3a")),
    ("Cold-Pressed Coconut Oil 1L", "OIL-COCO-1L", "650.00", "589.00", "1513", ("#f4efe2", "#8a6a3b")),
    ("Handloom Cotton Towel Set", "HOME-TWL-SET", "1299.00", "999.00", "6302", ("#e2ecf5", "#2f6690")),
    ("Stainless Steel Water Bottle", "BTL-SS-750", "899.00", "749.00", "7323", ("#e8eaed", "#50606f")),
    ("Ayurvedic Herbal Shampoo", "CARE-SHMP-200", "349.00", "299.00", "3305", ("#f3e6ef", "#8e3b6e")),
    ("Roasted Almonds 500g", "NUT-ALM-500", "799.00", "699.00", "0802", ("#f5e9df", "#9c5a2b")),
]
PICTURE_SIDE = 400


def product_picture(name: str, colours: tuple[str, str], *, side: int = PICTURE_SIDE) -> bytes:
    """A simple, deterministic product picture (WebP): a package in the product's colour on a soft
    background, its label showing the product's initial, recognisable at thumbnail size."""
    background, shape = colours
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    unit = side // 20
    draw.rounded_rectangle((7 * unit, 3 * unit, 13 * unit, 5 * unit), radius=unit // 2, fill=shape)  # lid
    draw.rounded_rectangle((5 * unit, 5 * unit, 15 * unit, 17 * unit), radius=2 * unit, fill=shape)  # body
    draw.rounded_rectangle((5 * unit, 8 * unit, 15 * unit, 14 * unit), radius=unit // 2, fill="#ffffff")  # label
    font = ImageFont.load_default(size=4 * unit)
    draw.text((side / 2, 11 * unit), name[:1].upper(), fill=shape, font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "WEBP", quality=82, method=4)
    return out.getvalue()


def _give_picture(product: Product, colours: tuple[str, str]) -> None:
    """Store the product's picture through default_storage, once (a second run keeps it)."""
    if product.image:
        return
    product.image.save(f"{product.slug}.webp", ContentFile(product_picture(product.name, colours)), save=True)


def seed_products() -> list[Product]:
    products = []
    for name, sku, listing, selling, hsn_code, colours in DEMO_PRODUCTS:
        product, _ = Product.objects.get_or_create(
            sku=sku,
            defaults={
                "name": name,
                "slug": sku.lower(),
                "listing_price": Decimal(listing),
                "selling_price": Decimal(selling),
                "hsn_code": hsn_code,
            },
        )
        if not product.hsn_code:
            Product.objects.filter(pk=product.pk).update(hsn_code=hsn_code)
            product.hsn_code = hsn_code
        _give_picture(product, colours)
        products.append(product)
    return products
