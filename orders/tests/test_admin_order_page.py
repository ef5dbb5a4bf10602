"""The order's admin page: the actions allowed now as buttons, the same admin actions and services;
money written as money; a bank refund chosen from the shopper's verified accounts."""

import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import timezone

from common.money import money_text
from customers.services import bank_account_create
from orders import services
from orders.models import Order, OrderReturn, Refund

from .factories import delivered, place, shipped, verified_bank_account

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"
RETURNS = "/admin/orders/orderreturn/"


def buttons(page: str) -> list[str]:
    """The labels of the action buttons on an order's page, in order."""
    section = page.split('<section class="order-actions"', 1)[1].split("</section>", 1)[0]
    return [part.split("</button>", 1)[0].split(">", 1)[1] for part in section.split("<button")[1:]]


def test_each_allowed_action_is_a_button_for_who_may_run_it(staff_client, shopper):
    manager = staff_client("Managers")
    paid, unpaid, out = place(shopper), place(shopper, outcome="failed"), shipped(shopper)
    assert buttons(manager.get(f"{ORDERS}{paid.pk}/change/").content.decode()) == [
        "Ship everything not yet shipped (with tracking)",
        "Cancel for the shopper",
    ]
    assert buttons(manager.get(f"{ORDERS}{unpaid.pk}/change/").content.decode()) == [
        "Cancel for the shopper",
        "Record payment received",
        "Record payment failed",
    ]
    page = manager.get(f"{ORDERS}{out.pk}/change/").content.decode()
    assert buttons(page) == ["Mark out for delivery", "Mark delivered"]
    # Each button is its own POST form with the CSRF token, to the order's action address.
    assert page.count(f'<form method="post" action="{ORDERS}{out.pk}/act/">') == 2
    assert page.count('name="csrfmiddlewaretoken"') >= 3
    # Support may look at orders but not act on them: no buttons, the allowed list stays as text.
    support = Client()
    support.force_login(staff_client("Support").staff)
    page = support.get(f"{ORDERS}{out.pk}/change/").content.decode()
    assert buttons(page) == [] and "Nothing you may do to this order now." in page
    assert "Mark out for delivery, Mark delivered" in page


def test_pressing_a_button_runs_the_service_and_comes_back_to_the_order(staff_client, shopper):
    client = staff_client("Managers")
    order = shipped(shopper)
    response = client.post(f"{ORDERS}{order.pk}/act/", {"action": "out_for_delivery"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{ORDERS}{order.pk}/change/"
    assert "Out for delivery: 1 done." in response.content.decode()
    assert order.shipments.get().status == "out_for_delivery"
    assert LogEntry.objects.filter(object_id=order.pk, user=client.staff, change_message="Out for delivery").exists()
    # The page now offers what comes next.
    assert buttons(response.content.decode()) == ["Mark delivered"]


def test_a_refused_transition_shows_the_services_message(staff_client, shopper):
    client = staff_client("Managers")
    order = shipped(shopper)
    response = client.post(f"{ORDERS}{order.pk}/act/", {"action": "complete"}, follow=True)
    assert f"{order.number}: Only a delivered order can be completed." in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "shipped"
    # Pressed twice (a double submit): the second is refused by the service, not run again.
    client.post(f"{ORDERS}{order.pk}/act/", {"action": "out_for_delivery"})
    again = client.post(f"{ORDERS}{order.pk}/act/", {"action": "out_for_delivery"}, follow=True).content.decode()
    assert "Nothing of this order is waiting to go out for delivery." in again
    assert LogEntry.objects.filter(object_id=order.pk, change_message="Out for delivery").count() == 1


def test_a_button_with_details_asks_for_them_then_comes_back(staff_client, shopper):
    client = staff_client("Managers")
    order = place(shopper)
    url = f"{ORDERS}{order.pk}/act/"
    form = client.post(url, {"action": "ship"}).content.decode()
    assert "Ship orders" in form and 'name="awb_no"' in form and order.number in form
    missing = client.post(url, {"action": "ship", "apply": "1", "courier_company_name": "BlueDart"})
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    done = client.post(
        url,
        {"action": "ship", "apply": "1", "courier_company_name": "BlueDart", "awb_no": "AWB9", "tracking_url": ""},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"{ORDERS}{order.pk}/change/"
    assert Order.objects.get(pk=order.pk).status == "shipped"
    # The form page's "Cancel" link (a GET of the action address) goes back to the order.
    assert client.get(url).url == f"{ORDERS}{order.pk}/change/"


def test_the_action_address_checks_permission_csrf_and_the_action(staff_client, shopper, other_shopper):
    order = shipped(shopper)
    url = f"{ORDERS}{order.pk}/act/"
    assert Client().post(url, {"action": "deliver"}).status_code == 302  # to the admin's sign-in
    support = staff_client("Support")
    assert support.post(url, {"action": "deliver"}).status_code == 403
    client = staff_client("Managers")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(client.staff)
    assert strict.post(url, {"action": "deliver"}).status_code == 403  # no CSRF token
    for name in ("delete_selected", "no_such_action", ""):
        page = client.post(url, {"action": name}, follow=True).content.decode()
        assert "No such action on an order." in page
    nul = client.post(url, {"action": "deliver\x00"})
    assert nul.status_code == 400 and "NUL character" in nul.content.decode()
    assert client.post(f"{ORDERS}01JHS28V83KDWTRBXXJQRTEKA0/act/", {"action": "deliver"}).status_code == 404
    assert client.post(f"{ORDERS}not-an-id/act/", {"action": "deliver"}).status_code == 404
    assert client.post(f"{ORDERS}{order.pk}\x00/act/", {"action": "deliver"}).status_code == 400
    assert client.put(url).status_code == 405
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_money_is_written_with_the_rupee_and_indian_grouping(staff_client, shopper):
    client = staff_client("Managers")
    order = place(shopper, quantities=(80, 60))  # a large order: over a lakh
    grouped = money_text(order.grand_total)
    assert order.grand_total >= Decimal("100000") and re.fullmatch(r"₹\d{1,2},\d\d,\d{3}\.\d\d", grouped)
    listing = client.get(ORDERS).content.decode()
    assert f'<td class="field-grand_total_money">{grouped}</td>' in listing
    page = client.get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert f'<div class="readonly">{grouped}</div>' in page  # grand total, to be paid, amount paid
    assert f'<td class="field-amount_money"><p>{grouped}</p></td>' in page  # the payment
    assert f"{order.grand_total}<" not in page  # never Django's bare "111960.00"


def test_dates_read_as_day_month_year(staff_client, shopper):
    client = staff_client("Managers")
    order = place(shopper)
    local = timezone.localtime(order.order_date)
    listing = client.get(ORDERS).content.decode()
    assert f"{local.day} {local:%b %Y}, " in listing  # "4 Dec 2026, 7:18 p.m. IST"
    assert re.search(rf"{local.day} {local:%b %Y}, \d{{1,2}}:\d\d [ap]\.m\. IST", listing)  # the shop's zone named
    assert f"{local:%b}. {local.day}, {local.year}" not in listing  # not Django's "Dec. 4, 2026"


def _returned_for_refund(shopper):
    order = delivered(shopper, quantities=(1,))
    order_return = services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    return order_return


def test_a_bank_refund_is_chosen_among_the_shoppers_verified_accounts(staff_client, shopper, other_shopper):
    client = staff_client("Support")
    order_return = _returned_for_refund(shopper)
    verified = verified_bank_account(shopper)
    unverified = bank_account_create(
        customer=shopper,
        data={
            "account_name": "Meera Nair",
            "account_number": "99887766",
            "ifsc_code": "SBIN0000001",
            "bank_name": "SBI",
        },
    )
    stranger = verified_bank_account(other_shopper)
    data = {"action": "complete", "_selected_action": [order_return.pk]}
    form = client.post(RETURNS, data).content.decode()
    assert '<select name="bank_account_id"' in form and "Bank account id" not in form
    assert f'<option value="{verified.pk}">HDFC Bank ···· 9012 · Meera Nair · IFSC HDFC0001234</option>' in form
    assert unverified.pk not in form and stranger.pk not in form
    # A bank transfer without an account, or with another shopper's (a forged post), is refused.
    data.update(apply="1", refund_mode="bank-transfer")
    assert "Choose the bank account for the refund." in client.post(RETURNS, data).content.decode()
    forged = client.post(RETURNS, {**data, "bank_account_id": stranger.pk}).content.decode()
    assert "Select a valid choice." in forged
    assert OrderReturn.objects.get(pk=order_return.pk).status != "complete"
    assert not Refund.objects.filter(order_return=order_return).exists()
    client.post(RETURNS, {**data, "bank_account_id": verified.pk}, follow=True)
    assert OrderReturn.objects.get(pk=order_return.pk).status == "complete"
    refund = Refund.objects.get(order_return=order_return)
    assert refund.bank_account_id == verified.pk and refund.payment_mode == "bank-transfer"


def test_a_shopper_without_a_verified_account_is_told_so(staff_client, shopper):
    order_return = _returned_for_refund(shopper)
    form = staff_client("Support").post(RETURNS, {"action": "complete", "_selected_action": [order_return.pk]})
    page = form.content.decode()
    assert "The shopper has no verified bank account: refund to the original payment mode." in page
