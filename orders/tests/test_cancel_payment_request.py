"""Cancelling the payment attempt in progress (POST /orders/{n}/cancel-payment-request, the
website's "Pay another way"): the attempt fails at once so a retry is offered, a late payment on
it is never lost, and nothing else changes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from common.exceptions import DomainError
from common.testing import API, assert_error, run_together
from notifications.models import Message
from orders import lifecycle, services
from orders.gateways import gateway_get
from orders.models import AttemptStatus, Order, OrderStatus, Payment, PaymentStatus
from orders.razorpay import to_paise
from orders.tests import fake_razorpay
from orders.tests.test_razorpay import post_webhook, razorpay, retried  # noqa: F401 (fixture)

from .factories import place

pytestmark = pytest.mark.django_db


def url(order):
    return f"{API}/orders/{order.number}/cancel-payment-request"


def started(shopper):
    """An unpaid order whose retry is waiting at the test gateway."""
    order = place(shopper, outcome="failed")
    info = services.payment_retry(order=order)
    return Order.objects.get(pk=order.pk), Payment.objects.get(request_number=info["request_number"])


# --- the service --------------------------------------------------------------------------


def test_cancelling_fails_the_open_attempt_and_offers_a_retry_at_once(shopper):
    order, attempt = started(shopper)
    assert lifecycle.payment_attempt_open(order) == attempt and not lifecycle.is_retry_available(order)
    cancelled = services.payment_request_cancel(order=order)
    assert cancelled.pk == attempt.pk
    attempt.refresh_from_db()
    order = Order.objects.get(pk=order.pk)
    assert (attempt.status, attempt.failure_reason) == (AttemptStatus.FAILED, lifecycle.PAYMENT_CANCELLED_REASON)
    assert lifecycle.is_payment_cancelled(attempt)
    assert (order.status, order.payment_status, order.amount_paid) == (OrderStatus.PENDING, PaymentStatus.FAILED, 0)
    assert lifecycle.is_retry_available(order) and lifecycle.payment_attempt_open(order) is None
    # The next attempt is a new one, and the test gateway's page no longer pays the cancelled one.
    info = services.payment_retry(order=order)
    assert info["request_number"] != attempt.request_number
    with pytest.raises(DomainError) as refused:
        services.payment_callback(
            data=gateway_get("test").sign_callback(
                request_number=attempt.request_number, outcome="success", reference="LATE"
            )
        )
    assert refused.value.code == "payment_already_settled"


def test_the_first_attempt_of_the_checkout_can_be_cancelled_too(shopper):
    order = place(shopper, outcome="pending")
    services.payment_request_cancel(order=order)
    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.FAILED


def test_the_shopper_is_not_told_their_payment_failed(shopper):
    order, _ = started(shopper)
    # The checkout's declined attempt was told (the way a failure is); the cancelled one is not.
    before = Message.objects.filter(user=shopper, event="payment_failed").count()
    assert before >= 1
    services.payment_request_cancel(order=order)
    assert Message.objects.filter(user=shopper, event="payment_failed").count() == before


@pytest.mark.parametrize(
    "situation, code",
    [
        ("failed", "no_open_payment"),  # the last attempt failed: nothing open
        ("expired", "no_open_payment"),  # run out of time: a retry is offered already
        ("paid", "already_paid"),
        ("cancelled", "no_open_payment"),
    ],
)
def test_nothing_open_is_refused_and_changes_nothing(shopper, situation, code):
    if situation == "failed":
        order = place(shopper, outcome="failed")
    elif situation == "paid":
        order = place(shopper)
    else:
        order, attempt = started(shopper)
        if situation == "expired":
            Payment.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        else:
            Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    before = sorted(Payment.objects.filter(order=order).values_list("pk", "status", "modified_at"))
    with pytest.raises(DomainError) as refused:
        services.payment_request_cancel(order=order)
    assert (refused.value.code, refused.value.status_code) == (code, 409)
    assert sorted(Payment.objects.filter(order=order).values_list("pk", "status", "modified_at")) == before


@pytest.mark.django_db(transaction=True)
def test_two_cancels_at_once_cancel_once(shopper):
    order, attempt = started(shopper)
    outcomes = []

    def cancel():
        try:
            services.payment_request_cancel(order=order)
            outcomes.append("cancelled")
        except DomainError as exc:
            outcomes.append(exc.code)

    assert run_together(cancel, cancel) == []
    assert sorted(outcomes) == ["cancelled", "no_open_payment"]
    assert Payment.objects.get(pk=attempt.pk).status == AttemptStatus.FAILED


# --- the API ------------------------------------------------------------------------------


def test_api_cancels_in_the_sdks_shape_then_the_retry_is_available(client_for, shopper):
    order, _ = started(shopper)
    api = client_for(shopper)
    response = api.post(url(order), format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["message"] and "content" not in body
    status = api.get(f"{API}/orders/{order.number}/payment-status").json()["content"]
    assert (status["status"], status["is_retry_available"]) == ("failed", True)
    assert_error(api.post(url(order), format="json"), 409, "no_open_payment")
    assert api.post(f"{API}/orders/{order.number}/retry-payment", {}, format="json").status_code == 200


def test_api_ownership_and_bad_numbers(client, client_for, shopper, other_shopper):
    order, attempt = started(shopper)
    assert_error(client_for(other_shopper).post(url(order), format="json"), 404, "not_found")
    assert_error(client.post(url(order), format="json"), 401, "unauthorized")
    api = client_for(shopper)
    assert_error(api.post(f"{API}/orders/NOPE-1/cancel-payment-request", format="json"), 404, "not_found")
    assert_error(api.post(f"{API}/orders/{'9' * 5000}/cancel-payment-request", format="json"), 404, "not_found")
    nul = api.post(f"{API}/orders/A%00B/cancel-payment-request", format="json")
    assert nul.status_code in (400, 404) and nul.json()["success"] is False
    assert Payment.objects.get(pk=attempt.pk).status == AttemptStatus.PENDING


# --- Razorpay: a new Razorpay order next, and a late payment on the cancelled one ------------------


def _cancelled_on_razorpay(shopper, razorpay):  # noqa: F811
    order, attempt = retried(shopper, razorpay)
    services.payment_request_cancel(order=order)
    return Order.objects.get(pk=order.pk), Payment.objects.get(pk=attempt.pk)


def test_razorpay_the_next_attempt_gets_a_new_razorpay_order(shopper, razorpay):  # noqa: F811
    order, attempt = _cancelled_on_razorpay(shopper, razorpay)
    info = services.payment_retry(order=order)
    assert info["razorpay_order_id"] != attempt.gateway_order_id
    created = [r for r in razorpay.requests if r.method == "POST" and r.path == "/v1/orders"]
    assert len(created) == 2 and created[1].body["receipt"] == info["request_number"]


def test_razorpay_a_late_capture_on_an_unpaid_order_is_kept_and_pays_it(client, shopper, razorpay):  # noqa: F811
    order, attempt = _cancelled_on_razorpay(shopper, razorpay)
    late = fake_razorpay.FakeRazorpay.webhook(
        "payment.captured", order_id=attempt.gateway_order_id, amount=to_paise(attempt.amount)
    )
    assert post_webhook(client, *late, "evt_late_1").status_code == 200
    order = Order.objects.get(pk=order.pk)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUCCESS and attempt.payment_reference_number
    assert (order.status, order.payment_status, order.amount_paid) == (
        OrderStatus.CONFIRMED,
        PaymentStatus.SUCCESS,
        order.to_be_paid,
    )
    assert not order.refunds.exists()


def test_razorpay_a_late_capture_after_another_attempt_paid_is_refunded_to_it(
    client,
    shopper,
    razorpay,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    order, cancelled = _cancelled_on_razorpay(shopper, razorpay)
    info = services.payment_retry(order=order)
    new = Payment.objects.get(request_number=info["request_number"])
    services.payment_checkout_confirm(
        data=fake_razorpay.FakeRazorpay.checkout_answer(new.gateway_order_id, "pay_New01"), gateway_name="razorpay"
    )
    late = fake_razorpay.FakeRazorpay.webhook(
        "payment.captured", order_id=cancelled.gateway_order_id, amount=to_paise(cancelled.amount)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, *late, "evt_late_2").status_code == 200
    order = Order.objects.get(pk=order.pk)
    cancelled.refresh_from_db()
    refund = order.refunds.get()
    assert (refund.amount, refund.gateway, refund.gateway_payment_id) == (
        cancelled.amount,
        "razorpay",
        cancelled.payment_reference_number,
    )
    assert order.amount_paid == 2 * order.to_be_paid and order.status == OrderStatus.CONFIRMED
    # Sent to Razorpay, against the late payment (not the one that paid the order).
    sent = [r for r in razorpay.requests if r.path.endswith("/refund")]
    assert [r.path for r in sent] == [f"/v1/payments/{cancelled.payment_reference_number}/refund"]
    # The same event again changes nothing: one refund.
    assert post_webhook(client, *late, "evt_late_2").status_code == 200
    assert Order.objects.get(pk=order.pk).refunds.count() == 1


def test_razorpay_a_late_capture_on_a_cancelled_order_is_refunded(client, shopper, razorpay):  # noqa: F811
    order, cancelled = _cancelled_on_razorpay(shopper, razorpay)
    services.order_cancel(order=order, reason="Bought elsewhere")
    late = fake_razorpay.FakeRazorpay.webhook(
        "payment.captured", order_id=cancelled.gateway_order_id, amount=to_paise(cancelled.amount)
    )
    assert post_webhook(client, *late, "evt_late_3").status_code == 200
    order = Order.objects.get(pk=order.pk)
    assert order.status == OrderStatus.CANCELLED
    assert [r.amount for r in order.refunds.all()] == [cancelled.amount]


@pytest.mark.django_db(transaction=True)
def test_razorpay_a_late_capture_racing_a_cancel_loses_nothing(shopper, razorpay):  # noqa: F811
    order, attempt = retried(shopper, razorpay)
    late = fake_razorpay.FakeRazorpay.webhook(
        "payment.captured", order_id=attempt.gateway_order_id, amount=to_paise(attempt.amount)
    )

    def cancel():
        try:
            services.payment_request_cancel(order=order)
        except DomainError:
            pass

    assert run_together(cancel, lambda: post_webhook(Client(), *late, "evt_race")) == []
    order = Order.objects.get(pk=order.pk)
    # Whichever came first, the money is on the order and the order is paid.
    assert (order.payment_status, order.amount_paid, order.status) == (
        PaymentStatus.SUCCESS,
        order.to_be_paid,
        OrderStatus.CONFIRMED,
    )
    assert not order.refunds.exists()


# --- the website: "Pay another way" ---------------------------------------------------------


def test_website_pay_another_way_then_choose_the_method(signed_in, shopper):
    order, attempt = started(shopper)
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert "Continue payment" in page and "Pay another way" in page
    assert f'action="/account/orders/{order.number}/pay-another-way/"' in page
    assert signed_in.get(f"/account/orders/{order.number}/pay-another-way/").status_code == 405
    done = signed_in.post(f"/account/orders/{order.number}/pay-another-way/", follow=True)
    page = done.content.decode()
    assert "Your payment is stopped. Choose how to pay." in page
    assert "Choose how to pay" in page and "Continue payment" not in page and "Pay another way" not in page
    # The choice suggests another method than the one given up.
    assert f'value="{attempt.payment_method}" checked' not in page and "checked" in page
    paid = signed_in.post(f"/account/orders/{order.number}/retry-payment/", {"payment_method": "upi"})
    new = Payment.objects.filter(order=order).latest("created_at")
    assert paid.status_code == 302 and new.payment_method == "upi" and new.status == AttemptStatus.PENDING
    assert new.pk != attempt.pk


def test_the_overview_and_the_history_offer_pay_another_way_too(signed_in, shopper):
    """Wherever "Continue payment" is offered (the order page, the overview, the history's row
    shortcuts), "Pay another way" is beside it, one fragment (orders/jinja2/orders/pay_buttons.html) for the lists."""
    order, _ = started(shopper)
    action = f'action="/account/orders/{order.number}/pay-another-way/"'
    for url in ("/account/", "/account/orders/"):
        page = signed_in.get(url).content.decode()
        assert f"Continue payment for {order.number}" in page and f"Pay another way for {order.number}" in page, url
        assert action in page, url


def test_website_pay_another_way_twice_says_nothing_is_open(signed_in, shopper):
    order, _ = started(shopper)
    signed_in.post(f"/account/orders/{order.number}/pay-another-way/")
    again = signed_in.post(f"/account/orders/{order.number}/pay-another-way/", follow=True)
    assert "This order has no payment in progress to cancel." in again.content.decode()
    assert Payment.objects.filter(order=order, status=AttemptStatus.PENDING).count() == 0


def test_website_a_bad_method_is_a_message_not_an_error(signed_in, shopper):
    order, _ = started(shopper)
    signed_in.post(f"/account/orders/{order.number}/pay-another-way/")
    for bad in ("bitcoin", "9" * 5000):
        answer = signed_in.post(f"/account/orders/{order.number}/retry-payment/", {"payment_method": bad}, follow=True)
        assert answer.status_code == 200 and "Choose one of" in answer.content.decode()
    # A NUL character is refused before any view (the site's own rule): a 400, nothing started.
    nul = signed_in.post(f"/account/orders/{order.number}/retry-payment/", {"payment_method": "card\x00"})
    assert nul.status_code == 400
    assert Payment.objects.filter(order=order, status=AttemptStatus.PENDING).count() == 0


def test_website_another_shoppers_order_is_404(client_for, shopper, other_shopper):
    order, attempt = started(shopper)
    web = Client()
    web.force_login(other_shopper)
    assert web.post(f"/account/orders/{order.number}/pay-another-way/").status_code == 404
    assert Payment.objects.get(pk=attempt.pk).status == AttemptStatus.PENDING
