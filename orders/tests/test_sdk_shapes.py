"""The order answers and bodies as the SDK's types declare them (issue 27, item 7): the OrderItem
fields the SDK requires, absolute image URLs on every order, shipment and return item, the
refund-mode values of `cancellation_refund_details.payment_mode`, and the return lines'
optional `return_reason` and `resolution`."""

import pytest

from common.testing import API
from orders.models import OrderItem, ReturnItem
from orders.services.returns import RETURN_REASON_NOT_GIVEN

from .factories import delivered, place
from .test_api import assert_answers_as_documented, order_url

pytestmark = pytest.mark.django_db

SDK_REQUIRED_ITEM_FIELDS = {
    "subscription_plan": None,
    "subscription_interval": None,
    "subscription_frequency": None,
    "handling_charge_excluding_tax": 0,
    "handling_charge_tax_rate": 0,
    "handling_charge_including_tax": 0,
}


def test_every_order_item_carries_the_fields_the_sdk_requires(client_for, shopper):
    order = place(shopper, quantities=(1, 2))
    client = client_for(shopper)
    listed = assert_answers_as_documented(client.get(f"{API}/orders", {"user_id": shopper.id}))["orders"][0]
    detail = assert_answers_as_documented(client.get(order_url(order)))["order"]
    for item in [*listed["order_items"], *detail["order_items"]]:
        assert {name: item[name] for name in SDK_REQUIRED_ITEM_FIELDS} == SDK_REQUIRED_ITEM_FIELDS


def test_item_images_are_absolute_urls_on_site_url_everywhere(client_for, shopper, settings):
    """Local storage keeps /media/... paths; every answer gives them on SITE_URL (an S3 URL,
    absolute already, as it is) - the order list and detail, the shipments and the returns."""
    settings.SITE_URL = "https://account.example.com"
    order = delivered(shopper, quantities=(1, 1))
    local, remote = order.items.order_by("pk")
    OrderItem.objects.filter(pk=local.pk).update(product_image_url="/media/products/kurta.jpg")
    OrderItem.objects.filter(pk=remote.pk).update(product_image_url="https://cdn.example.net/p/shawl.jpg?sig=1")
    expected = ["https://account.example.com/media/products/kurta.jpg", "https://cdn.example.net/p/shawl.jpg?sig=1"]
    client = client_for(shopper)

    listed = assert_answers_as_documented(client.get(f"{API}/orders", {"user_id": shopper.id}))["orders"][0]
    detail = assert_answers_as_documented(client.get(order_url(order)))["order"]
    shipments = assert_answers_as_documented(client.get(order_url(order, "/shipments")))["shipments"]
    assert [i["product_image_url"] for i in listed["order_items"]] == expected
    assert [i["product_image_url"] for i in detail["order_items"]] == expected
    assert [i["product_image_url"] for i in shipments[0]["shipment_items"]] == expected
    assert [i["product_image_url"] for i in detail["shipments"][0]["shipment_items"]] == expected

    body = {"requested_settlement": "refund", "items": [{"product_id": local.product_ref, "quantity": 1}]}
    created = assert_answers_as_documented(client.post(order_url(order, "/returns"), body, format="json"))
    assert created["order_return"]["items"][0]["product_image_url"] == expected[0]
    returns = assert_answers_as_documented(client.get(order_url(order, "/returns")))["returns"]
    assert returns[0]["items"][0]["product_image_url"] == expected[0]


def test_an_item_without_an_image_answers_null(client_for, shopper):
    order = place(shopper, quantities=(1,))
    OrderItem.objects.filter(order=order).update(product_image_url="")
    detail = assert_answers_as_documented(client_for(shopper).get(order_url(order)))["order"]
    assert detail["order_items"][0]["product_image_url"] is None


def test_cancellation_refund_details_payment_mode_is_a_refund_mode(client_for, shopper):
    """Paid by card: the detail says where the refund would go (the SDK's enum), not `card`."""
    order = place(shopper)
    assert order.payments.get().payment_method == "card"
    detail = assert_answers_as_documented(client_for(shopper).get(order_url(order)))["order"]
    assert detail["cancellation_refund_details"]["payment_mode"] == "original-payment-mode"


def test_return_reason_and_resolution_are_optional_as_in_the_sdk(client_for, shopper):
    """The SDK's OrderReturnItem has an optional return_reason; a contract-shape line may leave
    out its resolution: the body's requested_settlement, else a refund."""
    order = delivered(shopper, quantities=(2, 1))
    first, second = order.items.order_by("pk")
    client = client_for(shopper)
    sdk_body = {
        "requested_settlement": "replacement",
        "items": [{"shipment_number": "x", "product_id": first.product_ref, "variant_id": None, "quantity": 1}],
    }
    created = assert_answers_as_documented(client.post(order_url(order, "/returns"), sdk_body, format="json"))
    line = created["order_return"]["items"][0]
    assert line["return_reason"] == RETURN_REASON_NOT_GIVEN and line["resolution"] == "replacement"

    contract_body = {"return_items": [{"product_id": second.product_ref, "quantity": 1, "return_reason": None}]}
    created = assert_answers_as_documented(client.post(order_url(order, "/return"), contract_body, format="json"))
    line = created["order_return"]["items"][0]
    assert line["return_reason"] == RETURN_REASON_NOT_GIVEN and line["resolution"] == "refund"
    assert ReturnItem.objects.filter(order_return__order=order, reason=RETURN_REASON_NOT_GIVEN).count() == 2


def test_a_given_return_reason_is_kept_and_a_bad_resolution_is_refused(client_for, shopper):
    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    client = client_for(shopper)
    bad = {"return_items": [{"product_id": item.product_ref, "quantity": 1, "resolution": "exchange"}]}
    response = client.post(order_url(order, "/returns"), bad, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert not order.returns.exists()
    good = {"items": [{"product_id": item.product_ref, "quantity": 1, "return_reason": "  Too small  "}]}
    created = assert_answers_as_documented(client.post(order_url(order, "/returns"), good, format="json"))
    assert created["order_return"]["items"][0]["return_reason"] == "Too small"
