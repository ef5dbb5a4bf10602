import json

import pytest

from common.testing import API, assert_error
from customers.tests.factories import make_address
from orders import services
from orders.models import Order, OrderItem, Refund
from orders.gateways import gateway_get

from .factories import delivered, place, products, shipped, verified_bank_account

pytestmark = pytest.mark.django_db


def order_url(order, suffix=""):
    return f"{API}/orders/{order.number}{suffix}"


ORDER_LIST_FIELDS = {
    "order_number", "order_date", "status", "payment_status", "payment_success_date", "has_refund",
    "on_subscription", "grand_total", "loyalty_point_redeemed", "loyalty_point_earned",
    "credit_balance_used", "to_be_paid", "order_items_count", "order_items", "customer_note",
    "currency", "created_at", "modified_at",
}
ORDER_ITEM_FIELDS = {
    "product_id", "product_name", "product_image_url", "product_type", "sku", "slug", "variant_id",
    "variant_name", "quantity", "free_quantity", "is_free_item", "listing_price", "selling_price",
    "selling_price_excluding_tax", "price_including_tax", "promotion_discount_amount",
    "coupon_discount_amount", "tax_type", "tax_rate", "tax_amount", "backorder", "on_promotion",
    "on_subscription",
}


# --- list ---------------------------------------------------------------------------------


def test_list_needs_the_token_users_id(client_for, shopper, other_shopper):
    client = client_for(shopper)
    assert "user_id" in assert_error(client.get(f"{API}/orders"), 400, "validation_error")["errors"]
    assert_error(client.get(f"{API}/orders", {"user_id": other_shopper.id}), 403, "forbidden")


def test_list_fields_sort_and_filters(client_for, shopper):
    paid = place(shopper, quantities=(1,))
    failed = place(shopper, quantities=(3, 2), outcome="failed")
    sent = shipped(shopper, quantities=(2,))
    client = client_for(shopper)
    content = client.get(f"{API}/orders", {"user_id": shopper.id}).json()["content"]
    assert [o["order_number"] for o in content["orders"]] == [sent.number, failed.number, paid.number]
    first = content["orders"][0]
    assert set(first) == ORDER_LIST_FIELDS and set(first["order_items"][0]) == ORDER_ITEM_FIELDS
    assert first["currency"] == {"name": "Indian Rupee", "code": "INR", "symbol": "₹"}
    assert isinstance(first["grand_total"], float)

    by_total = client.get(f"{API}/orders", {"user_id": shopper.id, "sort_by": '{"grand_total":"asc"}'}).json()
    assert [o["order_number"] for o in by_total["content"]["orders"]] == [paid.number, sent.number, failed.number]

    for query in ({"status": ["pending", "shipped"]}, {"status[]": ["pending", "shipped"]}):
        found = client.get(f"{API}/orders", {"user_id": shopper.id, **query}).json()["content"]["orders"]
        assert {o["order_number"] for o in found} == {failed.number, sent.number}
    assert_error(client.get(f"{API}/orders", {"user_id": shopper.id, "status": "lost"}), 400, "validation_error")
    assert_error(client.get(f"{API}/orders", {"user_id": shopper.id, "sort_by": '{"status":"asc"}'}), 400, "bad_request")
    page = client.get(f"{API}/orders", {"user_id": shopper.id, "limit": 2, "page": 2}).json()["content"]
    assert len(page["orders"]) == 1 and page["pagination"]["previous_page"] == 1


def make_many_orders(customer, count: int, items_per_order: int):
    """Bulk-copy one placed order so a list has many orders with many items, cheaply."""
    template = place(customer, quantities=(1,))
    template_item = template.items.get()
    orders = []
    for n in range(count - 1):
        clone = Order.objects.get(pk=template.pk)
        clone.pk = None
        clone.id = f"01JX{n:022d}"
        clone.number = f"ORD-BULK{n:06d}"
        orders.append(clone)
    Order.objects.bulk_create(orders)
    items = []
    for order in [template, *orders]:
        for k in range(items_per_order if order is not template else 0):
            item = OrderItem.objects.get(pk=template_item.pk)
            item.pk = None
            item.id = f"01JY{order.number[-6:]}{k:016d}"
            item.order = order
            items.append(item)
    OrderItem.objects.bulk_create(items)


@pytest.mark.parametrize("count, items", [(1, 1), (50, 5)])
def test_list_query_count_is_constant(client_for, shopper, django_assert_num_queries, count, items):
    make_many_orders(shopper, count, items)
    client = client_for(shopper)
    with django_assert_num_queries(4):  # session+user, then count, the page, and its items
        response = client.get(f"{API}/orders", {"user_id": shopper.id, "limit": 50})
    assert len(response.json()["content"]["orders"]) == count


# --- detail -------------------------------------------------------------------------------


def test_detail_shows_everything(client_for, shopper):
    order = shipped(shopper, quantities=(2, 1))
    detail = client_for(shopper).get(order_url(order)).json()["content"]["order"]
    assert ORDER_LIST_FIELDS <= set(detail)
    assert {"subtotal", "item_total_tax", "subtotal_including_tax", "shipping_amount", "shipping_tax_amount",
            "shipping_amount_including_tax", "promotion_discount_amount", "coupon_code",
            "coupon_discount_amount", "total_savings", "total_tax", "loyalty_points_earned",
            "loyalty_points_redeemed", "billing_address", "shipping_address", "is_cancellation_allowed",
            "cancellation_refund_details", "cancellation_reason", "feedback", "payments", "shipments",
            "metadata"} <= set(detail)
    assert detail["is_cancellation_allowed"] is False and detail["cancellation_refund_details"] is None
    assert detail["shipping_address"]["city"] == "Bengaluru"
    shipment = detail["shipments"][0]
    assert shipment["courier_company_name"] == "BlueDart" and shipment["tracking_url"].startswith("https://")
    assert shipment["shipment_items_count"] == 2 and shipment["is_return_allowed"] is False
    payment = detail["payments"][0]
    assert payment["transaction_type"] == "payment" and payment["card_number"] == "XXXX XXXX XXXX 4242"


def test_detail_of_a_cancellable_order_shows_the_refund_it_would_give(client_for, shopper):
    order = place(shopper)
    detail = client_for(shopper).get(order_url(order)).json()["content"]["order"]
    assert detail["is_cancellation_allowed"] is True
    assert detail["cancellation_refund_details"] == {
        "loyalty_point": 0, "refundable_amount": float(order.amount_paid), "cancellation_charges": 0.0,
        "cancellation_charges_reason": None, "payment_mode": "card",
    }


@pytest.mark.parametrize("items", [1, 50])
def test_detail_query_count_is_constant(client_for, shopper, django_assert_num_queries, items):
    product = products(1)[0]
    order = services.order_place(
        services.Placement(
            customer=shopper,
            lines=[services.OrderLine(product=product, quantity=1) for _ in range(items)],
            billing_address=make_address(shopper),
        )
    )
    services.shipment_create(order=order)
    client = client_for(shopper)
    with django_assert_num_queries(5):  # session, order with items, shipments with items, payments, refunds
        response = client.get(order_url(order))
    assert len(response.json()["content"]["order"]["order_items"]) == items


def test_sub_resources(client_for, shopper):
    order = services.order_cancel(order=place(shopper), reason="x")
    client = client_for(shopper)
    shipments = client.get(order_url(order, "/shipments")).json()["content"]["shipments"]
    assert shipments == []
    payments = client.get(order_url(order, "/payments")).json()["content"]["payments"]
    assert [p["transaction_type"] for p in payments] == ["payment", "refund"]
    refunds = client.get(order_url(order, "/refunds")).json()["content"]["refunds"]
    assert refunds[0]["refund_amount"] == float(order.amount_paid) and refunds[0]["status"] == "pending"
    assert set(refunds[0]) == {"request_number", "refund_amount", "refund_date", "status", "payment_mode",
                               "payment_method", "payment_reference_number", "bank_account_number",
                               "bank_name", "refund_remarks"}
    status = client.get(order_url(order, "/payment-status")).json()["content"]
    assert status == {"status": "success", "amount_paid": float(order.amount_paid), "amount_unpaid": 0.0,
                      "is_retry_available": False}


def test_another_shoppers_order_is_404_everywhere(api, client_for, shopper, other_shopper):
    theirs = delivered(other_shopper)
    mine = client_for(shopper)
    for suffix in ("", "/shipments", "/payments", "/refunds", "/payment-status", "/returns"):
        assert_error(mine.get(order_url(theirs, suffix)), 404, "not_found")
        assert_error(api.get(order_url(theirs, suffix)), 401, "unauthorized")
    for suffix, body in (("/cancel", {"cancellation_reason": "x", "refund_mode": "original-payment-mode"}),
                         ("/retry-payment", {}),
                         ("/returns", {"return_items": [{"product_id": "x", "quantity": 1, "resolution": "refund",
                                                         "return_reason": "x"}]})):
        assert_error(mine.post(order_url(theirs, suffix), body, format="json"), 404, "not_found")
    assert Order.objects.get(pk=theirs.pk).status == "delivered"
    assert_error(mine.get(f"{API}/orders/NOT-AN-ORDER"), 404, "not_found")


# --- actions ------------------------------------------------------------------------------


def test_cancel_through_the_api(client_for, shopper):
    order = place(shopper)
    account = verified_bank_account(shopper)
    response = client_for(shopper).post(
        order_url(order, "/cancel"),
        {"cancellation_reason": "Ordered twice", "refund_mode": "bank_transfer", "bank_account_id": account.id},
        format="json",
    )
    detail = response.json()["content"]["order"]
    assert response.status_code == 200 and detail["status"] == "cancelled"
    assert detail["cancellation_reason"] == "Ordered twice" and detail["is_cancellation_allowed"] is False
    refund = Refund.objects.get(order=order)
    assert refund.payment_mode == "bank-transfer" and refund.bank_account == account
    again = client_for(shopper).post(order_url(order, "/cancel"), {"cancellation_reason": "x"}, format="json")
    assert_error(again, 409, "not_cancellable")
    missing = client_for(shopper).post(order_url(place(shopper), "/cancel"), {}, format="json")
    assert "cancellation_reason" in assert_error(missing, 400, "validation_error")["errors"]


def test_retry_payment_and_the_test_gateway_page(client, client_for, shopper):
    order = place(shopper, outcome="failed")
    api = client_for(shopper)
    assert api.get(order_url(order, "/payment-status")).json()["content"]["is_retry_available"] is True
    response = api.post(order_url(order, "/retry-payment"), {"payment_method": "upi"}, format="json")
    info = response.json()["content"]["payment_info"]
    assert set(info) == {"gateway", "payment_url", "request_number", "amount", "expires_at"}
    assert info["payment_url"].startswith("http://testserver/payments/test-gateway/")
    page = client.get(info["payment_url"])
    assert page.status_code == 200 and b"Pay now" in page.content
    done = client.post(info["payment_url"], {"outcome": "success"})
    assert b"Payment received" in done.content
    status = api.get(order_url(order, "/payment-status")).json()["content"]
    assert status["status"] == "success" and status["is_retry_available"] is False
    replay = client.post(info["payment_url"], {"outcome": "success"})
    assert replay.status_code == 409 and b"already settled" in replay.content
    assert_error(api.post(order_url(order, "/retry-payment"), {}, format="json"), 409, "retry_not_available")


def test_gateway_callback_endpoint_checks_the_signature(client, client_for, shopper):
    order = place(shopper, outcome="failed")
    info = client_for(shopper).post(order_url(order, "/retry-payment"), {}, format="json").json()["content"]["payment_info"]
    data = gateway_get("test").sign_callback(request_number=info["request_number"], outcome="success", reference="R1")
    forged = client.post("/payments/test-gateway/callback", {**data, "signature": "0" * 64})
    assert forged.status_code == 400
    assert client.post("/payments/test-gateway/callback", data).status_code == 200
    assert client.post("/payments/test-gateway/callback", data).status_code == 409
    assert Order.objects.get(pk=order.pk).payment_status == "success"


def test_returns_through_the_api_in_both_shapes(client_for, shopper):
    order = delivered(shopper, quantities=(2, 1))
    first, second = order.items.all()
    client = client_for(shopper)
    contract_shape = {
        "return_items": [{"product_id": first.product_ref, "sku": first.sku, "quantity": 1,
                          "resolution": "refund", "return_reason": "Too small"}],
        "shipping_address": {"first_name": "Meera", "phone": "9123456780", "address_line1": "12 MG Road",
                             "pincode": "560001", "city": "Bengaluru", "state": "Karnataka"},
    }
    created = client.post(order_url(order, "/return"), contract_shape, format="json").json()["content"]["order_return"]
    assert created["status"] == "created" and created["order_number"] == order.number
    assert created["items"][0]["shipment_number"] == order.shipments.get().reference_number
    assert created["refund"] == [] and created["replacement_order"] is None
    sdk_shape = {"requested_settlement": "replacement",
                 "items": [{"shipment_number": "x", "product_id": second.product_ref, "variant_id": None,
                            "quantity": 1, "return_reason": "Broken"}]}
    second_return = client.post(order_url(order, "/returns"), sdk_shape, format="json").json()["content"]["order_return"]
    assert second_return["items"][0]["resolution"] == "replacement"

    returns = client.get(order_url(order, "/returns")).json()["content"]["returns"]
    assert {r["request_number"] for r in returns} == {created["request_number"], second_return["request_number"]}
    one = client.get(order_url(order, f"/returns/{created['request_number']}")).json()["content"]["order_return"]
    assert one["request_number"] == created["request_number"]
    by_id = client.get(order_url(order, f"/return/{order.returns.get(request_number=created['request_number']).id}"))
    assert by_id.json()["content"]["order_return"]["request_number"] == created["request_number"]
    cancelled = client.post(order_url(order, f"/returns/{created['request_number']}/cancel"), {"reason": "Kept it"},
                            format="json").json()["content"]["order_return"]
    assert cancelled["status"] == "cancelled"
    all_returns = client.get(f"{API}/orders/returns", {"limit": 1}).json()["content"]
    assert all_returns["pagination"]["total_records"] == 2 and len(all_returns["returns"]) == 1

    too_many = {"return_items": [{"product_id": second.product_ref, "quantity": 1, "resolution": "refund",
                                  "return_reason": "x"}]}
    assert_error(client.post(order_url(order, "/returns"), too_many, format="json"), 409, "quantity_exceeded")
    unknown = {"return_items": [{"product_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "quantity": 1, "resolution": "refund",
                                 "return_reason": "x"}]}
    assert_error(client.post(order_url(order, "/returns"), unknown, format="json"), 400, "validation_error")
    assert_error(client.post(order_url(order, "/returns"), {}, format="json"), 400, "validation_error")


# --- bank accounts ------------------------------------------------------------------------


def test_bank_accounts_crud_never_shows_the_full_number(client_for, shopper, other_shopper):
    client = client_for(shopper)
    url = f"{API}/customers/{shopper.id}/bank-accounts"
    body = {"account_name": "Meera Nair", "account_number": "123456789012", "ifsc_code": "hdfc0001234",
            "bank_name": "HDFC Bank"}
    account = client.post(url, body, format="json").json()["content"]["bank_account"]
    assert account["account_number"] == "XXXXXXXX9012" and account["ifsc_code"] == "HDFC0001234"
    assert account["is_default"] is True and account["is_verified"] is False
    assert_error(client.post(url, body, format="json"), 409, "conflict")
    bad = client.post(url, {**body, "account_number": "12ab", "ifsc_code": "XYZ"}, format="json")
    assert {"account_number", "ifsc_code"} <= set(assert_error(bad, 400, "validation_error")["errors"])
    listed = client.get(url).json()["content"]
    assert listed["pagination"]["total_records"] == 1 and "123456789012" not in str(listed)
    one = client.get(f"{url}/{account['id']}").json()["content"]["bank_account"]
    assert one == account
    changed = client.put(f"{url}/{account['id']}", {"bank_name": "HDFC"}, format="json").json()["content"]
    assert changed["bank_account"]["bank_name"] == "HDFC"
    assert_error(client_for(other_shopper).get(f"{url}/{account['id']}"), 403, "forbidden")
    other_url = f"{API}/customers/{other_shopper.id}/bank-accounts/{account['id']}"
    assert_error(client_for(other_shopper).get(other_url), 404, "not_found")
    assert client.delete(f"{url}/{account['id']}").status_code == 200
    assert client.get(url).json()["content"]["bank_accounts"] == []


def test_lean_list_rows_equal_the_serializer(client_for, shopper):
    """The lean read path of GET /orders gives byte for byte what the serializer gives."""
    from django.db.models import Prefetch
    from django.http import QueryDict
    from rest_framework.renderers import JSONRenderer

    from common.pagination import parse_list_params
    from orders.api.serializers import OrderListOutput, order_list_row
    from orders.selectors import (
        ORDER_DEFAULT_SORT, ORDER_ITEM_LIST_COLUMNS, ORDER_LIST_COLUMNS, ORDER_SORT_FIELDS, order_history_page,
    )

    place(shopper, quantities=(2, 1))
    place(shopper, outcome="failed", customer_note="Leave at the door")
    services.order_cancel(order=place(shopper), reason="x")
    delivered(shopper)
    params = parse_list_params(QueryDict(""), sort_fields=ORDER_SORT_FIELDS, default_sort=ORDER_DEFAULT_SORT)
    rows, _ = order_history_page(customer=shopper, statuses=None, params=params)
    orders = list(
        Order.objects.filter(customer=shopper).only(*ORDER_LIST_COLUMNS)
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.only(*ORDER_ITEM_LIST_COLUMNS).order_by("pk")))
        .order_by("-order_date", "-pk")
    )
    lean = JSONRenderer().render([order_list_row(row) for row in rows])
    full = JSONRenderer().render(OrderListOutput(orders, many=True).data)
    assert lean == full
    assert json.loads(lean)[0]["order_items"]


def test_lean_detail_equals_the_serializer(shopper):
    """GET /orders/{n} reads the order with hand-written SQL and builds its JSON without the
    serializer graph; both must give exactly what the serializer gives on the ORM's prefetch."""
    from django.db.models import Prefetch
    from rest_framework.renderers import JSONRenderer

    from orders.api.serializers import OrderDetailOutput, order_detail_row
    from orders.models import Order, OrderItem, Refund, Shipment, ShipmentItem
    from orders.selectors import order_get_for_customer

    from .factories import verified_bank_account

    numbers = [
        place(shopper, quantities=(2, 1)).number,
        place(shopper, outcome="failed", customer_note="Ring twice").number,
        services.order_cancel(order=place(shopper), reason="x", refund_mode="bank-transfer",
                              bank_account_id=verified_bank_account(shopper).id).number,
        delivered(shopper).number,
        shipped(shopper).number,
    ]
    orm = Order.objects.prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("pk")),
        Prefetch("shipments", queryset=Shipment.objects.prefetch_related(
            Prefetch("items", queryset=ShipmentItem.objects.select_related("order_item")))),
        "payments",
        Prefetch("refunds", queryset=Refund.objects.select_related("bank_account")),
    )
    for number in numbers:
        lean = JSONRenderer().render(order_detail_row(order_get_for_customer(customer=shopper, number=number)))
        assert lean == JSONRenderer().render(OrderDetailOutput(orm.get(number=number)).data), number
        assert lean == JSONRenderer().render(
            OrderDetailOutput(order_get_for_customer(customer=shopper, number=number)).data), number
    assert json.loads(lean)["shipments"][0]["shipment_items"]


def test_detail_load_keeps_relations_scoped(shopper):
    """The loaded relations behave like prefetched ones: no query to read them, and a filter on
    them still narrows to this order's rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.selectors import order_get_for_customer

    first = delivered(shopper)
    delivered(shopper)  # another order, so that a filter that lost its scope would show
    item_count = first.items.count()
    order = order_get_for_customer(customer=shopper, number=first.number)
    with CaptureQueriesContext(connection) as ctx:
        shipments = list(order.shipments.all())
        shipment_items = list(shipments[0].items.all())
        assert shipments[0].order is order and shipment_items[0].shipment is shipments[0]
        assert {si.order_item.order_id for si in shipment_items} == {order.pk}
        assert len(order.items.all()) == item_count and order.payments.all()
    assert ctx.captured_queries == []
    assert set(order.items.filter(quantity__gte=1).values_list("order_id", flat=True)) == {first.pk}
