import functools
import json
import re
from decimal import Decimal

import pytest

from common.money import money_text
from common.testing import API, assert_error, statements
from customers.tests.factories import make_address
from orders import services
from orders.gateways import gateway_get
from orders.models import Order, OrderItem, Refund

from .factories import delivered, place, products, shipped, verified_bank_account

pytestmark = pytest.mark.django_db


def order_url(order, suffix=""):
    return f"{API}/orders/{order.number}{suffix}"


ORDER_LIST_FIELDS = {
    "order_number",
    "order_date",
    "status",
    "payment_status",
    "payment_success_date",
    "has_refund",
    "on_subscription",
    "grand_total",
    "loyalty_point_redeemed",
    "loyalty_point_earned",
    "credit_balance_used",
    "to_be_paid",
    "order_items_count",
    "order_items",
    "customer_note",
    "currency",
    "created_at",
    "modified_at",
}
ORDER_ITEM_FIELDS = {
    "product_id",
    "product_name",
    "product_image_url",
    "product_type",
    "sku",
    "slug",
    "variant_id",
    "variant_name",
    "quantity",
    "free_quantity",
    "is_free_item",
    "listing_price",
    "selling_price",
    "selling_price_excluding_tax",
    "price_including_tax",
    "promotion_discount_amount",
    "coupon_discount_amount",
    "tax_type",
    "tax_rate",
    "tax_amount",
    "backorder",
    "on_promotion",
    "on_subscription",
    # The SDK's OrderItem requires these too (always null / 0 here).
    "subscription_plan",
    "subscription_interval",
    "subscription_frequency",
    "handling_charge_excluding_tax",
    "handling_charge_tax_rate",
    "handling_charge_including_tax",
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
    assert_error(
        client.get(f"{API}/orders", {"user_id": shopper.id, "sort_by": '{"status":"asc"}'}), 400, "bad_request"
    )
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
    client.get(f"{API}/orders", {"user_id": shopper.id})  # the session is in the cache from now on
    # PostgreSQL counts and writes the page as JSON in one statement; elsewhere: count, page, items.
    with django_assert_num_queries(statements(postgresql=1, other=3)):
        response = client.get(f"{API}/orders", {"user_id": shopper.id, "limit": 50})
    assert len(response.json()["content"]["orders"]) == count


# --- detail -------------------------------------------------------------------------------


def test_detail_shows_everything(client_for, shopper):
    order = shipped(shopper, quantities=(2, 1))
    detail = client_for(shopper).get(order_url(order)).json()["content"]["order"]
    assert ORDER_LIST_FIELDS <= set(detail)
    assert {
        "subtotal",
        "item_total_tax",
        "subtotal_including_tax",
        "shipping_amount",
        "shipping_tax_amount",
        "shipping_amount_including_tax",
        "promotion_discount_amount",
        "coupon_code",
        "coupon_discount_amount",
        "total_savings",
        "total_tax",
        "loyalty_points_earned",
        "loyalty_points_redeemed",
        "billing_address",
        "shipping_address",
        "is_cancellation_allowed",
        "cancellation_refund_details",
        "cancellation_reason",
        "feedback",
        "payments",
        "shipments",
        "metadata",
    } <= set(detail)
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
        "loyalty_point": 0,
        "refundable_amount": float(order.amount_paid),
        "cancellation_charges": 0.0,
        "cancellation_charges_reason": None,
        # A refund mode of the SDK's enum, not how the order was paid (card).
        "payment_mode": "original-payment-mode",
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
    order = services.payment_checkout_settle(payment=order.payments.get(), succeeded=True, reference="TXN1")
    services.shipment_create(order=order)
    client = client_for(shopper)
    client.get(order_url(order))  # the session is in the cache from now on
    # the order with items, shipments with items, payments, refunds (one round trip on PostgreSQL)
    with django_assert_num_queries(4):
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
    assert set(refunds[0]) == {
        "request_number",
        "refund_amount",
        "refund_date",
        "status",
        "payment_mode",
        "payment_method",
        "payment_reference_number",
        "bank_account_number",
        "bank_name",
        "refund_remarks",
    }
    status = client.get(order_url(order, "/payment-status")).json()["content"]
    assert status == {
        "status": "success",
        "amount_paid": float(order.amount_paid),
        "amount_unpaid": 0.0,
        "is_retry_available": False,
    }


def test_another_shoppers_order_is_404_everywhere(api, client_for, shopper, other_shopper):
    theirs = delivered(other_shopper)
    mine = client_for(shopper)
    for suffix in ("", "/shipments", "/payments", "/refunds", "/payment-status", "/returns"):
        assert_error(mine.get(order_url(theirs, suffix)), 404, "not_found")
        assert_error(api.get(order_url(theirs, suffix)), 401, "unauthorized")
    for suffix, body in (
        ("/cancel", {"cancellation_reason": "x", "refund_mode": "original-payment-mode"}),
        ("/retry-payment", {}),
        (
            "/returns",
            {"return_items": [{"product_id": "x", "quantity": 1, "resolution": "refund", "return_reason": "x"}]},
        ),
    ):
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
    again = client_for(shopper).post(
        order_url(order, "/cancel"), {"cancellation_reason": "x", "refund_mode": "original-payment-mode"}, format="json"
    )
    assert_error(again, 409, "not_cancellable")
    missing = client_for(shopper).post(order_url(place(shopper), "/cancel"), {}, format="json")
    assert {"cancellation_reason", "refund_mode"} <= set(assert_error(missing, 400, "validation_error")["errors"])


def test_cancel_without_refund_mode_is_refused_and_changes_nothing(client_for, shopper):
    """The guide and the SDK's cancel-order body require refund_mode; the schema publishes no default."""
    order = place(shopper)
    response = client_for(shopper).post(
        order_url(order, "/cancel"), {"cancellation_reason": "Changed my mind"}, format="json"
    )
    assert assert_error(response, 400, "validation_error")["errors"] == {"refund_mode": ["This field is required."]}
    order.refresh_from_db()
    assert order.status != "cancelled" and not Refund.objects.filter(order=order).exists()
    body = _published_schema()["components"]["schemas"]["CancelInputRequest"]
    assert "refund_mode" in body["required"] and "default" not in body["properties"]["refund_mode"]


def test_retry_payment_and_the_test_gateway_page(client, client_for, shopper):
    order = place(shopper, outcome="failed")
    api = client_for(shopper)
    assert api.get(order_url(order, "/payment-status")).json()["content"]["is_retry_available"] is True
    response = api.post(order_url(order, "/retry-payment"), {"payment_method": "upi"}, format="json")
    info = response.json()["content"]["payment_info"]
    assert set(info) == {"gateway", "payment_url", "payment_links", "request_number", "amount", "expires_at"}
    assert info["payment_url"].startswith("http://testserver/payments/test-gateway/")
    # The SDK types this answer as JusPayHyperCheckoutResponse: its redirect link is payment_links.web.
    assert info["payment_links"] == {"web": info["payment_url"], "expiry": info["expires_at"]}
    page = client.get(info["payment_url"])
    assert page.status_code == 200 and b"Pay now" in page.content
    assert f'<p class="amount">{money_text(Decimal(str(info["amount"])))}</p>' in page.content.decode()
    done = client.post(info["payment_url"], {"outcome": "success"})
    assert b"Payment received" in done.content
    status = api.get(order_url(order, "/payment-status")).json()["content"]
    assert status["status"] == "success" and status["is_retry_available"] is False
    replay = client.post(info["payment_url"], {"outcome": "success"})
    assert replay.status_code == 409 and b"already settled" in replay.content
    assert_error(api.post(order_url(order, "/retry-payment"), {}, format="json"), 409, "retry_not_available")


def test_gateway_callback_endpoint_checks_the_signature(client, client_for, shopper):
    order = place(shopper, outcome="failed")
    info = (
        client_for(shopper)
        .post(order_url(order, "/retry-payment"), {}, format="json")
        .json()["content"]["payment_info"]
    )
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
        "return_items": [
            {
                "product_id": first.product_ref,
                "sku": first.sku,
                "quantity": 1,
                "resolution": "refund",
                "return_reason": "Too small",
            }
        ],
        "shipping_address": {
            "first_name": "Meera",
            "phone": "9123456780",
            "address_line1": "12 MG Road",
            "pincode": "560001",
            "city": "Bengaluru",
            "state": "Karnataka",
        },
    }
    created = client.post(order_url(order, "/return"), contract_shape, format="json").json()["content"]["order_return"]
    assert created["status"] == "created" and created["order_number"] == order.number
    assert created["items"][0]["shipment_number"] == order.shipments.get().reference_number
    assert created["refund"] == [] and created["replacement_order"] is None
    sdk_shape = {
        "requested_settlement": "replacement",
        "items": [
            {
                "shipment_number": "x",
                "product_id": second.product_ref,
                "variant_id": None,
                "quantity": 1,
                "return_reason": "Broken",
            }
        ],
    }
    second_return = client.post(order_url(order, "/returns"), sdk_shape, format="json").json()["content"][
        "order_return"
    ]
    assert second_return["items"][0]["resolution"] == "replacement"

    returns = client.get(order_url(order, "/returns")).json()["content"]["returns"]
    assert {r["request_number"] for r in returns} == {created["request_number"], second_return["request_number"]}
    one = client.get(order_url(order, f"/returns/{created['request_number']}")).json()["content"]["order_return"]
    assert one["request_number"] == created["request_number"]
    by_id = client.get(order_url(order, f"/return/{order.returns.get(request_number=created['request_number']).id}"))
    assert by_id.json()["content"]["order_return"]["request_number"] == created["request_number"]
    cancelled = client.post(
        order_url(order, f"/returns/{created['request_number']}/cancel"), {"reason": "Kept it"}, format="json"
    ).json()["content"]["order_return"]
    assert cancelled["status"] == "cancelled"
    all_returns = client.get(f"{API}/orders/returns", {"limit": 1}).json()["content"]
    assert all_returns["pagination"]["total_records"] == 2 and len(all_returns["returns"]) == 1

    too_many = {
        "return_items": [
            {"product_id": second.product_ref, "quantity": 1, "resolution": "refund", "return_reason": "x"}
        ]
    }
    assert_error(client.post(order_url(order, "/returns"), too_many, format="json"), 409, "quantity_exceeded")
    unknown = {
        "return_items": [
            {"product_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "quantity": 1, "resolution": "refund", "return_reason": "x"}
        ]
    }
    assert_error(client.post(order_url(order, "/returns"), unknown, format="json"), 400, "validation_error")
    assert_error(client.post(order_url(order, "/returns"), {}, format="json"), 400, "validation_error")


# --- bank accounts ------------------------------------------------------------------------


def test_bank_accounts_crud_never_shows_the_full_number(client_for, shopper, other_shopper):
    client = client_for(shopper)
    url = f"{API}/customers/{shopper.id}/bank-accounts"
    body = {
        "account_name": "Meera Nair",
        "account_number": "123456789012",
        "ifsc_code": "hdfc0001234",
        "bank_name": "HDFC Bank",
    }
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


# --- every answer against the published schema ---------------------------------------------
# serializers.outputs builds every order answer; serializers.schema only describes them. These
# tests hold the two together: each answer, for orders in every state, every sort and every
# status filter, must match its operation's response schema exactly (no field missing, none
# extra, every type and null as documented).


@functools.cache
def _published_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return _strict(SchemaGenerator().get_schema(request=None, public=True))


def _strict(node):
    """OpenAPI 3.0 schemas as JSON Schema (draft 4), with no property outside the documented ones."""
    if isinstance(node, list):
        return [_strict(value) for value in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: (
            {name: _strict(value) for name, value in node["properties"].items()}
            if key == "properties"
            else _strict(value)
        )
        for key, value in node.items()
    }
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if out.pop("nullable", False) is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def assert_answers_as_documented(response) -> dict:
    """The response's body matches what the schema documents for its route, method and status."""
    from jsonschema import Draft4Validator

    schema = _published_schema()
    route = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", response.resolver_match.route)
    operation = schema["paths"][route][response.request["REQUEST_METHOD"].lower()]
    documented = operation["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    validator = Draft4Validator(
        {**documented, "components": schema["components"]}, format_checker=Draft4Validator.FORMAT_CHECKER
    )
    body = response.json()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, (route, errors[:10])
    return body["content"]


SORTS = [json.dumps({field: direction}) for field in ("order_date", "grand_total") for direction in ("desc", "asc")]


def test_every_order_answer_is_as_documented_in_every_state_sort_and_filter(client_for, shopper):
    from orders.models import OrderStatus

    from .factories import orders_in_every_state

    orders = orders_in_every_state(shopper)
    client = client_for(shopper)
    details = {}
    for order in orders:
        detail = assert_answers_as_documented(client.get(order_url(order)))["order"]
        details[order.number] = detail
        assert detail["status"] == order.status
        for part in ("shipments", "payments", "refunds"):
            assert assert_answers_as_documented(client.get(order_url(order, f"/{part}")))[part] == detail[part]
        assert_answers_as_documented(client.get(order_url(order, "/payment-status")))
        for listed in assert_answers_as_documented(client.get(order_url(order, "/returns")))["returns"]:
            for ref in (listed["id"], listed["request_number"]):
                for spelling in ("returns", "return"):
                    one = assert_answers_as_documented(client.get(order_url(order, f"/{spelling}/{ref}")))
                    assert {k: v for k, v in one["order_return"].items() if k in listed} == listed
    assert {d["status"] for d in details.values()} == set(OrderStatus.values)

    for sort in SORTS:
        for statuses in [[], *([status] for status in OrderStatus.values), ["pending", "shipped", "cancelled"]]:
            query = {"user_id": shopper.id, "limit": 50, "sort_by": sort, "status": statuses}
            listed = assert_answers_as_documented(client.get(f"{API}/orders", query))["orders"]
            assert {row["order_number"] for row in listed} == {
                o.number for o in orders if not statuses or o.status in statuses
            }, (sort, statuses)
            for row in listed:  # the history's SQL rows and the detail's instances answer alike
                assert row == {name: details[row["order_number"]][name] for name in row}, (sort, statuses)

    returns = assert_answers_as_documented(client.get(f"{API}/orders/returns"))["returns"]
    assert len(returns) == 2 and any(
        r["refund"]
        for r in [
            assert_answers_as_documented(client.get(f"{API}/orders/{r['order_number']}/returns/{r['id']}"))[
                "order_return"
            ]
            for r in returns
        ]
    )


def test_the_answers_of_actions_are_as_documented(client_for, shopper):
    client = client_for(shopper)
    cancelled = client.post(
        order_url(place(shopper), "/cancel"),
        {"cancellation_reason": "x", "refund_mode": "original-payment-mode"},
        format="json",
    )
    order = assert_answers_as_documented(cancelled)["order"]
    assert order == client.get(f"{API}/orders/{order['order_number']}").json()["content"]["order"]
    retried = client.post(order_url(place(shopper, outcome="failed"), "/retry-payment"), {}, format="json")
    assert assert_answers_as_documented(retried)["payment_info"]["amount"] > 0
    item = (order := delivered(shopper)).items.first()
    body = {
        "return_items": [{"product_id": item.product_ref, "quantity": 1, "resolution": "refund", "return_reason": "x"}]
    }
    for spelling in ("returns", "return"):
        created = assert_answers_as_documented(client.post(order_url(order, f"/{spelling}"), body, format="json"))
        assert created["order_return"]["items"][0]["sku"] == item.sku
    cancelled_return = client.post(
        order_url(order, f"/returns/{created['order_return']['id']}/cancel"), {}, format="json"
    )
    assert assert_answers_as_documented(cancelled_return)["order_return"]["status"] == "cancelled"


def test_schema_describes_and_never_builds(shopper):
    """One producer per shape: the schema's serializers refuse to build an answer."""
    from orders.api.serializers.schema import OrderDetailOutput, ReturnOutput

    with pytest.raises(TypeError, match="only describes"):
        _ = OrderDetailOutput(place(shopper)).data
    with pytest.raises(TypeError, match="only describes"):
        ReturnOutput(None).to_representation({})


def test_the_schema_describes_the_historys_one_shape():
    """OrderListOutput, its items and its currency are described from orders.shapes, as both
    writers write them: every member in the shape's order, null allowed exactly where a writer
    can write null (optional text, a nullable column); the detail adds its own after them."""
    from common.jsonshape import Field, Kind, names
    from orders.models import Order, OrderItem
    from orders.shapes import CURRENCY_SHAPE, ORDER_ITEM_SHAPE, ORDER_LIST_SHAPE

    components = _published_schema()["components"]["schemas"]
    for component, shape, model in (
        ("OrderListOutput", ORDER_LIST_SHAPE, Order),
        ("OrderItemOutput", ORDER_ITEM_SHAPE, OrderItem),
        ("CurrencyOutput", CURRENCY_SHAPE, Order),
    ):
        properties = components[component]["properties"]
        assert list(properties) == names(shape), component
        for part in shape:
            if isinstance(part, Field):
                nullable = part.kind in (Kind.OPTIONAL_TEXT, Kind.URL) or model._meta.get_field(part.column).null
                assert ("anyOf" in properties[part.name]) is nullable, (component, part.name)
    detail = list(components["OrderDetailOutput"]["properties"])
    assert detail[: len(ORDER_LIST_SHAPE)] == names(ORDER_LIST_SHAPE)


def test_the_seeds_singular_return_paths_are_documented_next_to_the_plural_ones():
    paths = _published_schema()["paths"]
    base = "/api/v1/storefront/orders/{order_number}"
    singular, plural = paths[f"{base}/return"]["post"], paths[f"{base}/returns"]["post"]
    assert singular["requestBody"] == plural["requestBody"] and singular["responses"] == plural["responses"]
    singular, plural = paths[f"{base}/return/{{return_ref}}"]["get"], paths[f"{base}/returns/{{return_ref}}"]["get"]
    assert singular["responses"] == plural["responses"] and singular["parameters"] == plural["parameters"]
    assert "get" not in paths[f"{base}/return"]  # the list is documented once, as /returns


# --- seed and SDK fields ------------------------------------------------------------------


def test_detail_shows_coupons_promotions_and_fulfilment(client_for, shopper):
    client = client_for(shopper)
    with_coupon = place(shopper, coupon_code="WELCOME10", coupon_discount_amount="25.00")
    detail = client.get(order_url(with_coupon)).json()["content"]["order"]
    assert detail["is_coupon_applied"] is True and detail["coupon_code"] == "WELCOME10"
    assert detail["applied_coupons"] == [
        {
            "coupon_id": "WELCOME10",
            "coupon_type": "discount",
            "savings": 25.0,
            "product_id": None,
            "variant_id": None,
            "product_name": None,
            "variant_name": None,
        }
    ]
    assert detail["is_promotion_applied"] is False and detail["applied_promotions"] == []
    assert detail["fulfillment_preference"] == {"fulfillment_type": "delivery", "shipments": []}
    plain = client.get(order_url(place(shopper))).json()["content"]["order"]
    assert plain["is_coupon_applied"] is False and plain["applied_coupons"] == [] and plain["coupon_code"] is None


def test_optional_address_fields_left_out_are_null(client_for, shopper):
    bare = make_address(
        shopper,
        last_name="",
        address_line2="",
        landmark="",
        tax_identification_number="",
        business_name="",
        nickname="",
    )
    order = place(shopper, address=bare)
    address = client_for(shopper).get(order_url(order)).json()["content"]["order"]["shipping_address"]
    assert {
        name: address[name]
        for name in ("last_name", "address_line2", "landmark", "tax_identification_number", "business_name", "nickname")
    } == dict.fromkeys(
        ("last_name", "address_line2", "landmark", "tax_identification_number", "business_name", "nickname")
    )
    assert address["first_name"] and address["address_line1"]


def test_a_return_echoes_its_pickup_address_and_is_found_by_id(client_for, shopper):
    order = delivered(shopper)
    item = order.items.first()
    client = client_for(shopper)
    pickup = {
        "first_name": "Meera",
        "last_name": None,
        "phone": "9123456780",
        "address_line1": "12 MG Road",
        "address_line2": None,
        "pincode": "560001",
        "city": "Bengaluru",
        "state": "Karnataka",
    }
    created = client.post(
        order_url(order, "/return"),
        {
            "return_items": [
                {
                    "product_id": item.product_ref,
                    "sku": item.sku,
                    "quantity": 1,
                    "resolution": "refund",
                    "return_reason": "Too small",
                }
            ],
            "shipping_address": pickup,
        },
        format="json",
    ).json()["content"]["order_return"]
    assert created["shipping_address"] == {**pickup, "country": "India"}
    assert created["items"][0]["sku"] == item.sku and created["id"] == order.returns.get().id
    for path in (
        f"/return/{created['id']}",
        f"/returns/{created['id']}",
        f"/return/{created['request_number']}",
        f"/returns/{created['id'].lower()}",
    ):
        assert client.get(order_url(order, path)).json()["content"]["order_return"] == created, path
    assert_error(client.get(order_url(order, "/return/01ARZ3NDEKTSV4RRFFQ69G5FAV")), 404, "not_found")
