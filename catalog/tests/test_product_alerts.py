"""Which product changes are news for the shoppers who saved it (catalog.services.product_save):
one signal per change, after commit; the same edit saved twice is one change."""

from decimal import Decimal

import pytest

from catalog import services, signals
from catalog.models import Product
from customers.tests.factories import make_product

from .test_admin import PRODUCTS, product_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    heard = []

    def price(sender, product, previous_price, change_id, **kwargs):
        heard.append(("price_dropped", product.pk, previous_price, change_id))

    def back(sender, product, change_id, **kwargs):
        heard.append(("back_in_stock", product.pk, None, change_id))

    signals.product_price_dropped.connect(price, dispatch_uid="test-price")
    signals.product_back_in_stock.connect(back, dispatch_uid="test-back")
    yield heard
    signals.product_price_dropped.disconnect(dispatch_uid="test-price")
    signals.product_back_in_stock.disconnect(dispatch_uid="test-back")


def save(product, django_capture_on_commit_callbacks, **changes):
    product = Product.objects.get(pk=product.pk)  # as the admin form has it: fresh from the database
    for field, value in changes.items():
        setattr(product, field, value)
    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=product)
    return product


def test_a_lower_price_is_one_alert_and_saving_it_again_none(sent, django_capture_on_commit_callbacks):
    product = make_product()
    save(product, django_capture_on_commit_callbacks, selling_price=Decimal("699.00"))
    assert [s[:3] for s in sent] == [("price_dropped", product.pk, Decimal("799.00"))]
    save(product, django_capture_on_commit_callbacks, selling_price=Decimal("699.00"))
    save(product, django_capture_on_commit_callbacks, name="Renamed")
    save(product, django_capture_on_commit_callbacks, selling_price=Decimal("750.00"))  # dearer: no news
    assert len(sent) == 1
    save(product, django_capture_on_commit_callbacks, selling_price=Decimal("650.00"))
    assert [s[2] for s in sent] == [Decimal("799.00"), Decimal("750.00")]
    assert sent[0][3] != sent[1][3]  # each change has its own id


def test_back_in_stock_or_listed_again_is_one_alert(sent, django_capture_on_commit_callbacks):
    product = make_product(stock_available=False)
    save(product, django_capture_on_commit_callbacks, selling_price=Decimal("500.00"))  # cheaper, yet sold out
    assert sent == []
    # Back, and cheaper too: one message, "back in stock" (it shows the price).
    save(product, django_capture_on_commit_callbacks, stock_available=True, selling_price=Decimal("400.00"))
    assert [s[0] for s in sent] == ["back_in_stock"]
    save(product, django_capture_on_commit_callbacks, stock_available=True)
    unlisted = make_product(2, active=False)
    save(unlisted, django_capture_on_commit_callbacks, active=True)
    assert [s[:2] for s in sent] == [("back_in_stock", product.pk), ("back_in_stock", unlisted.pk)]


def test_a_new_product_or_a_refused_save_sends_nothing(sent, django_capture_on_commit_callbacks):
    product = Product(name="New", slug="new", sku="NEW-1", listing_price=10, selling_price=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=product)
    assert Product.objects.filter(sku="NEW-1").exists() and sent == []


def test_staff_lowering_a_price_in_the_admin_alerts_once(sent, staff_client, django_capture_on_commit_callbacks):
    client = staff_client("Managers")
    product = make_product(
        name="Assam Tea", slug="assam-tea", sku="TEA-1", listing_price="500.00", selling_price="450.00"
    )
    form = product_form(selling_price="399.00", stock_available="on")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{PRODUCTS}{product.pk}/change/", form).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{PRODUCTS}{product.pk}/change/", form).status_code == 302  # saved twice
    assert [s[:3] for s in sent] == [("price_dropped", product.pk, Decimal("450.00"))]
    # Sold out, then back: the stock box is on the form.
    with django_capture_on_commit_callbacks(execute=True):
        sold_out = {k: v for k, v in form.items() if k != "stock_available"}  # the box unticked
        client.post(f"{PRODUCTS}{product.pk}/change/", sold_out)
    assert Product.objects.get(pk=product.pk).stock_available is False
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{PRODUCTS}{product.pk}/change/", form)
    assert [s[0] for s in sent] == ["price_dropped", "back_in_stock"]
