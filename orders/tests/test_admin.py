"""The back office for orders, returns and refunds, as each staff group."""

import pytest
from django.contrib.admin.models import LogEntry

from orders import services
from orders.models import Order, OrderReturn, Refund

from .factories import delivered, place, shipped

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"
RETURNS = "/admin/orders/orderreturn/"
REFUNDS = "/admin/orders/refund/"


def act(client, url, action, objs, **form):
    data = {"action": action, "_selected_action": [o.pk for o in objs], **form}
    if form:
        data["apply"] = "1"
    return client.post(url, data, follow=True)


def test_manager_runs_an_order_through_its_life(staff_client, shopper):
    client = staff_client("Managers")
    order = place(shopper, outcome="failed")
    page = act(client, ORDERS, "payment_success", [order])
    assert b"Record payments" in page.content  # the form page first
    act(client, ORDERS, "payment_success", [order], reference="UTR42")
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    act(client, ORDERS, "ship", [order], courier_company_name="BlueDart", awb_no="AWB9", tracking_url="")
    assert Order.objects.get(pk=order.pk).status == "shipped"
    act(client, ORDERS, "deliver", [order])
    response = act(client, ORDERS, "complete", [order])
    assert b"Completed: 1 done." in response.content
    order = Order.objects.get(pk=order.pk)
    assert order.status == "complete" and order.loyalty_points_earned > 0
    history = LogEntry.objects.filter(object_id=order.pk).values_list("change_message", flat=True)
    assert {"Payment recorded", "Shipped", "Delivered", "Completed"} <= set(history)
    assert LogEntry.objects.filter(object_id=order.pk, user=client.staff).count() == 4
    assert client.get(f"{ORDERS}{order.pk}/history/").status_code == 200


def test_illegal_transition_is_an_admin_error(staff_client, shopper):
    client = staff_client("Managers")
    order = shipped(shopper)
    response = act(client, ORDERS, "cancel", [order], reason="Too late", refund_mode="original-payment-mode")
    assert b"This order can no longer be cancelled." in response.content
    assert Order.objects.get(pk=order.pk).status == "shipped"
    response = act(client, ORDERS, "complete", [order])
    assert b"Only a delivered order can be completed." in response.content


def test_manager_cancels_for_the_shopper_with_a_refund(staff_client, shopper):
    client = staff_client("Managers")
    order = place(shopper)
    act(client, ORDERS, "cancel", [order], reason="Out of stock", refund_mode="original-payment-mode")
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    refund = Refund.objects.get(order=order)
    act(client, REFUNDS, "issue", [refund])
    act(client, REFUNDS, "succeed", [refund], reference="UTR77")
    assert Refund.objects.get(pk=refund.pk).status == "success"


def test_support_acts_on_returns_and_refunds_but_not_on_orders(staff_client, shopper):
    client = staff_client("Support")
    order = delivered(shopper, quantities=(1,))
    order_return = services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    act(client, RETURNS, "approve", [order_return])
    act(client, RETURNS, "receive", [order_return])
    act(client, RETURNS, "complete", [order_return], refund_mode="original-payment-mode", bank_account_id="")
    assert OrderReturn.objects.get(pk=order_return.pk).status == "complete"
    refund = Refund.objects.get(order_return=order_return)
    act(client, REFUNDS, "fail", [refund], reason="Card expired")
    assert Refund.objects.get(pk=refund.pk).status == "failed"

    page = client.get(ORDERS)
    assert page.status_code == 200 and b'value="ship"' not in page.content  # no manager actions offered
    response = client.post(ORDERS, {"action": "complete", "_selected_action": [order.pk]}, follow=True)
    assert Order.objects.get(pk=order.pk).status == "delivered"  # refused
    assert b"Completed" not in response.content


def test_reject_needs_a_reason(staff_client, shopper):
    client = staff_client("Support")
    order = delivered(shopper, quantities=(1,))
    order_return = services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    page = act(client, RETURNS, "reject", [order_return], reason="")
    assert b"This field is required." in page.content
    act(client, RETURNS, "reject", [order_return], reason="Used item")
    assert OrderReturn.objects.get(pk=order_return.pk).rejection_reason == "Used item"


def test_status_fields_are_read_only(staff_client, shopper):
    client = staff_client("Managers")
    order = place(shopper)
    page = client.get(f"{ORDERS}{order.pk}/change/")
    assert page.status_code == 200
    assert b'name="status"' not in page.content and b"Bengaluru" in page.content


def test_changelists_with_100_orders(staff_client, shopper, django_assert_max_num_queries):
    from orders.tests.test_api import make_many_orders

    make_many_orders(shopper, 100, 1)
    client = staff_client("Managers")
    for url in (
        ORDERS,
        RETURNS,
        REFUNDS,
        "/admin/accounts/user/",
        "/admin/reviews/review/",
        "/admin/loyalty/loyaltyaccount/",
        "/admin/customers/bankaccount/",
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(ORDERS + "?q=ORD-BULK")
    assert page.status_code == 200


def test_each_page_says_what_the_lifecycle_allows_now(staff_client, shopper):
    client = staff_client("Managers")

    def allowed(url) -> str:
        page = client.get(url).content.decode()
        return page.split("Allowed now", 1)[1].split('<div class="readonly">', 1)[1].split("</div>", 1)[0]

    paid, unpaid = place(shopper), place(shopper, outcome="failed")
    assert allowed(f"{ORDERS}{paid.pk}/change/") == (
        "Ship everything not yet shipped (with tracking), Cancel for the shopper"
    )
    assert allowed(f"{ORDERS}{unpaid.pk}/change/") == (
        "Cancel for the shopper, Record payment received, Record payment failed"
    )
    assert allowed(f"{ORDERS}{shipped(shopper).pk}/change/") == "Mark out for delivery, Mark delivered"
    order = delivered(shopper, quantities=(1,))
    assert allowed(f"{ORDERS}{order.pk}/change/") == "Complete"
    order_return = services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    assert allowed(f"{RETURNS}{order_return.pk}/change/") == "Approve, Reject (with a reason)"
    services.return_approve(order_return=order_return)
    assert allowed(f"{RETURNS}{order_return.pk}/change/") == "Mark items received"
    refund = Refund.objects.get(order=services.order_cancel(order=paid, reason="x"))
    assert allowed(f"{REFUNDS}{refund.pk}/change/") == "Issue (send to the gateway / bank), Mark succeeded, Mark failed"
    assert allowed(f"{ORDERS}{paid.pk}/change/") == "No action: nothing is left to do."


def _returned(customer, reason="Torn"):
    order = delivered(customer, quantities=(1,))
    return services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason=reason, resolution="refund")
        ],
    )


def test_return_items_show_product_quantity_and_reason(staff_client, shopper):
    order_return = _returned(shopper, reason="Stitching came apart")
    item = order_return.items.get()
    assert str(item) == f"1 x {item.order_item.product_name}: Stitching came apart"
    page = staff_client("Support").get(f"{RETURNS}{order_return.pk}/change/").content.decode()
    assert "ReturnItem object" not in page
    assert item.order_item.product_name in page and "Stitching came apart" in page
    assert '<th class="column-product" scope="col">Product' in page
    assert '<th class="column-quantity" scope="col">Quantity' in page


def test_the_returns_list_names_each_customer_in_a_fixed_number_of_queries(
    staff_client, shopper, other_shopper, make_user, django_assert_num_queries
):
    third = make_user(email="third@example.com", phone="9222222222")
    for customer in (shopper, other_shopper, third):
        _returned(customer)
        _returned(customer)
    client = staff_client("Support")
    client.get(RETURNS)  # warm the session and content-type caches
    # session, staff user, their two kinds of permissions, count, total count, the page with customers
    with django_assert_num_queries(7):
        page = client.get(RETURNS).content.decode()
    assert '<th scope="col" class="sortable column-customer">' in page
    for customer in (shopper, other_shopper, third):
        assert page.count(f'<td class="field-customer">{customer}</td>') == 2


def test_the_order_page_puts_what_staff_act_on_first(staff_client, shopper):
    from orders.admin import OrderAdmin

    placed = [name for _, options in OrderAdmin.fieldsets for name in options["fields"]]
    hidden = set(OrderAdmin.exclude)
    money = set(OrderAdmin.money_fields)  # shown as money, under their name + "_money"
    model_fields = {f.name if f.name not in money else f"{f.name}_money" for f in Order._meta.fields} - hidden
    assert len(placed) == len(set(placed)) and model_fields | {
        "allowed_now",
        "shopper_sees",
        "billing",
        "shipping",
    } == set(placed)
    order = place(shopper)
    page = staff_client("Managers").get(f"{ORDERS}{order.pk}/change/").content.decode()
    headings = [part.split("<", 1)[0] for part in page.split('class="fieldset-heading">')[1:]]
    assert headings[:4] == ["Act on this order", "Fulfilment", "Totals", "Record"]
    first = page.split('class="fieldset-heading">Fulfilment', 1)[0]
    for label in ("Status:", "Payment status:", "Allowed now:", "Grand total:"):
        assert label in first
    assert "Subtotal:" not in first
    # The addresses' phones as people read them (the factory's shipping phone is 9123456780).
    assert order.shipping_address["phone"] == "9123456780"
    assert "+91 91234 56780" in page and "9123456780" not in page
