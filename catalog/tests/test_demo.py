"""The demo products: pictures drawn with Pillow and stored through the default storage, HSN codes
for the tax invoice, and demo orders that show the pictures."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from catalog.demo import DEMO_PRODUCTS, PICTURE_SIDE, product_picture, seed_products
from catalog.models import Product
from orders.models import OrderItem

pytestmark = pytest.mark.django_db


def test_each_demo_product_gets_a_stored_picture_and_an_hsn_code():
    made = seed_products()
    assert [p.hsn_code for p in made] == [row[4] for row in DEMO_PRODUCTS]
    for product in made:
        assert product.image.name == f"products/{product.slug}.webp"
        assert default_storage.exists(product.image.name)
        with default_storage.open(product.image.name) as stored, Image.open(stored) as picture:
            assert picture.format == "WEBP" and picture.size == (PICTURE_SIDE, PICTURE_SIDE)
        assert product.image_url == f"/media/products/{product.slug}.webp"


def test_a_second_run_keeps_the_pictures_it_stored():
    first = {p.pk: p.image.name for p in seed_products()}
    assert {p.pk: p.image.name for p in seed_products()} == first
    assert sorted(default_storage.listdir("products")[1]) == sorted(f"{row[1].lower()}.webp" for row in DEMO_PRODUCTS)


def test_pictures_are_the_same_every_time_and_differ_by_product():
    name, colours = DEMO_PRODUCTS[0][0], DEMO_PRODUCTS[0][5]
    assert product_picture(name, colours) == product_picture(name, colours)
    assert product_picture(name, colours) != product_picture(DEMO_PRODUCTS[1][0], DEMO_PRODUCTS[1][5])
    with Image.open(io.BytesIO(product_picture(name, colours))) as picture:
        assert picture.getpixel((2, 2)) != picture.getpixel((PICTURE_SIDE // 2, PICTURE_SIDE * 3 // 4))


def test_the_hsn_code_is_4_6_or_8_digits():
    product = Product(name="Tea", slug="tea", sku="T-1", listing_price=1, selling_price=1)
    for good in ("0902", "090210", "09021010", ""):
        product.hsn_code = good
        product.full_clean()
    product.hsn_code = "09A2"
    with pytest.raises(Exception) as exc:
        product.full_clean()
    assert exc.value.message_dict == {"hsn_code": ["An HSN code has 4, 6 or 8 digits."]}


def test_seed_demo_orders_show_the_pictures_even_when_placed_before_there_were_any(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not OrderItem.objects.filter(product_image_url="").exists()
    # An older demo database: its orders were placed when the products had no picture.
    OrderItem.objects.update(product_image_url="")
    Product.objects.update(image=None)
    call_command("seed_demo", stdout=io.StringIO())
    items = OrderItem.objects.select_related("product")
    assert items and all(item.product_image_url == item.product.image_url for item in items)
