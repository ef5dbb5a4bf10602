"""The back office for the catalog: Managers keep the products, Support only looks."""

from decimal import Decimal

import pytest

from catalog.models import Product
from customers.tests.factories import make_product

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/catalog/product/"


def product_form(**overrides) -> dict:
    return {
        "name": "Assam Tea",
        "slug": "assam-tea",
        "sku": "TEA-1",
        "listing_price": "500.00",
        "selling_price": "450.00",
        "product_type": "physical",
        "active": "on",
        "stock_available": "on",
        "average_rating": "0",
        "review_count": "0",
        **overrides,
    }


def test_managers_add_a_product_and_the_price_rule_holds(staff_client):
    client = staff_client("Managers")
    refused = client.post(f"{PRODUCTS}add/", product_form(selling_price="600.00"))
    assert refused.status_code == 200 and not Product.objects.exists()  # the form again, with the error
    assert b"catalog_product_price_range" in refused.content
    response = client.post(f"{PRODUCTS}add/", product_form())
    assert response.status_code == 302
    product = Product.objects.get(sku="TEA-1")
    assert (product.listing_price, product.selling_price) == (Decimal("500.00"), Decimal("450.00"))


def test_support_sees_products_but_cannot_change_them(staff_client):
    product = make_product(1)
    client = staff_client("Support")
    assert product.name.encode() in client.get(PRODUCTS, {"q": product.sku}).content
    assert client.post(f"{PRODUCTS}add/", product_form()).status_code == 403
    assert client.post(f"{PRODUCTS}{product.pk}/change/", product_form(name="Renamed")).status_code == 403
    assert Product.objects.get(pk=product.pk).name == "Product 1"
