"""Test data through the real services."""

from decimal import Decimal

from catalog.models import Product
from customers.services import address_create


def address_data(**overrides) -> dict:
    data = {
        "first_name": "Meera",
        "last_name": "Nair",
        "country_code": "+91",
        "phone": "9123456780",
        "email": "meera@example.com",
        "address_line1": "12 MG Road",
        "address_line2": "Flat 4B",
        "landmark": "Opposite the metro",
        "pincode": "560001",
        "city": "Bengaluru",
        "state": "Karnataka",
        "country": "India",
        "nickname": "Home",
    }
    data.update(overrides)
    return data


def make_address(customer, **overrides):
    flags = {k: overrides.pop(k) for k in ("is_default_billing", "is_default_shipping") if k in overrides}
    return address_create(customer=customer, data={**address_data(**overrides), **flags})


def make_product(n: int = 1, **fields) -> Product:
    defaults = {
        "name": f"Product {n}",
        "slug": f"product-{n}",
        "sku": f"SKU-{n:04d}",
        "listing_price": Decimal("999.00"),
        "selling_price": Decimal("799.00"),
    }
    return Product.objects.create(**{**defaults, **fields})
