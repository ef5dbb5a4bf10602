"""The website's order pages."""

import pytest

from orders.models import Order, OrderReturn, Refund

from .factories import delivered, place, shipped, verified_bank_account

pytestmark = pytest.mark.django_db


def test_history_filters_sort_and_empty_state(signed_in, shopper):
    assert b"Your orders will show up here." in signed_in.get("/account/orders/").content
    first = place(shopper)
    second = shipped(shopper)
    page = signed_in.get("/account/orders/").content.decode()
    assert page.index(second.number) < page.index(first.number)
    page = signed_in.get("/account/orders/?sort=oldest").content.decode()
    assert page.index(first.number) < page.index(second.number)
    page = signed_in.get("/account/orders/?status=shipped,partially_shipped").content.decode()
    assert second.number in page and first.number not in page
    empty = signed_in.get("/account/orders/?status=cancelled").content.decode()
    assert "No “cancelled” orders" in empty and "Clear filters" in empty and "Go to the shop" in empty


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("make, extra_queries", [(place, 0), (shipped, 1), (delivered, 2)])
def test_history_query_count(signed_in, shopper, django_assert_num_queries, count, make, extra_queries):
    """The session with its user (accounts.websessions), count, the page and its items, one for the
    page's shipments (the delivery headline, orders.headlines.headlines_for_rows) and two for "Buy
    it again" (what was bought, kept in the cache from then on, and which of it is still sold);
    then, only when an order of the page could offer a shortcut (shipped: Track; delivered inside
    the return window: Return), those orders' shipments and payments (two more, the orders being
    the page's own rows, and whose shipments the headline then takes rather than reading them
    again: one more in all when every order of the page could), and for returnable ones their
    open returns (one more), whatever the page's length."""
    for _ in range(count):
        make(shopper, quantities=(1, 1))
    with django_assert_num_queries(7 + extra_queries):
        page = signed_in.get("/account/orders/").content.decode()
    with django_assert_num_queries(6 + extra_queries):  # what was bought now comes from the cache
        signed_in.get("/account/orders/")
    assert page.count("Track") >= count if make is shipped else True
    assert ("Return" in page) == (make is delivered)


@pytest.mark.parametrize("items", [1, 2])
def test_detail_query_count(signed_in, shopper, django_assert_num_queries, items):
    order = delivered(shopper, quantities=(1,) * items)
    # the session with its user, the order's four (order with items, shipments with items, payments, refunds),
    # verified bank accounts, what was received and kept (return form, one query), returns,
    # the wishlist's product ids ("Save for later" or "Saved")
    with django_assert_num_queries(9):
        page = signed_in.get(f"/account/orders/{order.number}/")
    assert b"Track package" in page.content  # the return form has its own page (issue 26)


def test_cancel_form_only_when_allowed_and_its_errors(signed_in, shopper):
    assert b"Cancel this order" not in signed_in.get(f"/account/orders/{shipped(shopper).number}/").content
    order = place(shopper)
    page = signed_in.get(f"/account/orders/{order.number}/")
    assert b"Cancel this order" in page.content and b"My bank account" not in page.content  # no verified account
    response = signed_in.post(f"/account/orders/{order.number}/cancel/", {"refund_mode": "original-payment-mode"})
    assert response.status_code == 400 and b"This field is required." in response.content
    account = verified_bank_account(shopper)
    response = signed_in.post(
        f"/account/orders/{order.number}/cancel/",
        {"cancellation_reason": "Changed my mind", "refund_mode": "bank-transfer"},
    )
    assert response.status_code == 400 and b"Choose the bank account for the refund." in response.content
    response = signed_in.post(
        f"/account/orders/{order.number}/cancel/",
        {
            "cancellation_reason": "Changed my mind",
            "refund_mode": "bank-transfer",
            "bank_account_id": account.id,
        },
        follow=True,
    )
    assert b"Your order is cancelled." in response.content
    assert Refund.objects.get(order=order).bank_account == account


def test_retry_payment_button_goes_to_the_gateway(signed_in, shopper):
    order = place(shopper, outcome="failed")
    assert b"Try again" in signed_in.get(f"/account/orders/{order.number}/").content
    response = signed_in.post(f"/account/orders/{order.number}/retry-payment/")
    assert response.status_code == 302 and "/payments/test-gateway/PAY-" in response["Location"]
    again = signed_in.post(f"/account/orders/{order.number}/retry-payment/", follow=True)
    assert b"cannot be retried" in again.content


def test_return_form(signed_in, shopper):
    order = delivered(shopper, quantities=(2, 1))
    first, second = order.items.all()
    response = signed_in.post(
        f"/account/orders/{order.number}/return/", {"return_reason": "Wrong item", "resolution": "refund"}
    )
    assert response.status_code == 400 and b"Choose how many of an item to return." in response.content
    response = signed_in.post(
        f"/account/orders/{order.number}/return/",
        {
            f"qty_{first.pk}": "2",
            "return_reason": "Wrong item",
            "resolution": "replacement",
        },
        follow=True,
    )
    order_return = OrderReturn.objects.get(order=order)
    assert f"Return {order_return.request_number} requested.".encode() in response.content
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert order_return.request_number in page and f'name="qty_{first.pk}"' not in page
    signed_in.post(f"/account/orders/{order.number}/returns/{order_return.request_number}/cancel/")
    assert OrderReturn.objects.get(pk=order_return.pk).status == "cancelled"


def test_another_shoppers_order_is_404(signed_in, other_shopper):
    theirs = place(other_shopper)
    assert signed_in.get(f"/account/orders/{theirs.number}/").status_code == 404
    response = signed_in.post(
        f"/account/orders/{theirs.number}/cancel/",
        {"cancellation_reason": "Other", "refund_mode": "original-payment-mode"},
    )
    assert response.status_code == 404 and Order.objects.get(pk=theirs.pk).status == "confirmed"


def test_overview_and_order_page_offer_pay_now_then_continue_then_try_again(signed_in, shopper, settings):
    from datetime import timedelta

    from django.utils import timezone

    from orders.models import Payment

    order = place(shopper, outcome="failed")
    overview = signed_in.get("/account/").content.decode()
    assert "Payment failed" in overview and f"/account/orders/{order.number}/retry-payment/" in overview
    started = signed_in.post(f"/account/orders/{order.number}/retry-payment/")
    attempt = Payment.objects.filter(order=order).latest("created_at")
    # Left at the gateway: both pages send the shopper back to the same open attempt.
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert "Continue payment" in page and "Try again" not in page
    assert f"/account/orders/{order.number}/continue-payment/" in signed_in.get("/account/").content.decode()
    again = signed_in.post(f"/account/orders/{order.number}/continue-payment/")
    assert again.status_code == 302 and again["Location"] == started["Location"]
    assert Payment.objects.filter(order=order).count() == 2
    # Once it has run out: "Try again", and "Continue payment" starts a new attempt too.
    Payment.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert "Try again" in page and "Continue payment" not in page
    late = signed_in.post(f"/account/orders/{order.number}/continue-payment/")
    assert late.status_code == 302 and late["Location"] != started["Location"]
    assert Payment.objects.filter(order=order).count() == 3


def test_cancel_says_the_amount_where_it_goes_and_when(signed_in, shopper):
    from common.templatetags.ui import money

    order = place(shopper)
    account = verified_bank_account(shopper)
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert (
        "(needed to refund to your bank account)" in page
        and 'Bank account <span class="muted small">(optional)' not in page
    )
    response = signed_in.post(
        f"/account/orders/{order.number}/cancel/",
        {
            "cancellation_reason": "Changed my mind",
            "refund_mode": "bank-transfer",
            "bank_account_id": account.id,
        },
        follow=True,
    )
    refund = Refund.objects.get(order=order)
    assert (
        f"Your order is cancelled. {money(refund.amount)} goes back to your bank account {account.bank_name} "
        f"{account.masked_number} within 5 to 7 working days."
    ) in response.content.decode()


@pytest.mark.parametrize(
    "method, destination",
    [("card", "the card you paid with"), ("netbanking", "the bank account you paid from (net banking)")],
)
def test_the_refund_promise_and_destination_read_the_same_on_the_page_in_the_email_and_the_text(
    signed_in, shopper, method, destination
):
    from django.template.loader import render_to_string

    from notifications.models import Message
    from orders import lifecycle, services

    assert lifecycle.REFUND_TIMING == "5 to 7 working days"
    order = place(shopper, payment_method=method)
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert f"to the payment method you choose below, within {lifecycle.REFUND_TIMING}." in page
    response = signed_in.post(
        f"/account/orders/{order.number}/cancel/",
        {"cancellation_reason": "Changed my mind", "refund_mode": "original-payment-mode"},
        follow=True,
    )
    refund = Refund.objects.get(order=order)
    where = lifecycle.refund_destination(refund)
    assert where == destination
    assert f"goes back to {where} within {lifecycle.REFUND_TIMING}." in response.content.decode()

    services.refund_issue(refund=refund)
    said = {}
    for message in Message.objects.filter(event="refund_started"):
        for part in ("body.txt", "body.html") if message.channel == "email" else ("text.txt",):
            said[message.channel, part] = render_to_string(f"notifications/refund_started/{part}", message.context)
    assert set(said) == {("email", "body.txt"), ("email", "body.html"), ("sms", "text.txt"), ("whatsapp", "text.txt")}
    for text in said.values():
        assert f"to {where}" in text and f"take {lifecycle.REFUND_TIMING} to show it." in text


def test_cancel_of_an_unpaid_order_says_nothing_comes_back(signed_in, shopper):
    order = place(shopper, outcome="failed")
    response = signed_in.post(
        f"/account/orders/{order.number}/cancel/",
        {"cancellation_reason": "Changed my mind", "refund_mode": "original-payment-mode"},
        follow=True,
    )
    assert b"Nothing was paid, so there is nothing to refund." in response.content


def test_the_history_rows_escape_what_shoppers_and_staff_wrote(signed_in, shopper):
    """The rows are a Jinja2 fragment (orders/jinja2/orders/history_rows.html): a product's name
    and an order's number are escaped there as in Django's templates."""
    order = place(shopper, quantities=(1, 1))
    order.items.update(product_name='<img src=x onerror="alert(1)">')
    page = signed_in.get("/account/orders/").content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert (
        "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
        or "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    )
