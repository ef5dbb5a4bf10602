"""Issue 19: payments through Razorpay, against a local fake of its API (`fake_razorpay`).

Retry payment creates a Razorpay order (amount in paise, basic auth) and sends the shopper to our
Checkout page; Checkout's signed answer and Razorpay's signed webhooks settle the attempt, once,
and only when they match it; a gateway that fails or hangs leaves nothing behind.
"""

import hashlib
import hmac
import importlib
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from common.money import money_text
from common.testing import API, admin_action, assert_error, run_together
from orders import services, tasks
from orders.gateways import gateway_available, gateway_get
from orders.models import (
    AttemptStatus,
    GatewayEvent,
    Order,
    Payment,
    PaymentStatus,
    Refund,
)
from orders.razorpay import checkout_token, to_paise
from orders.tests import fake_razorpay
from orders.tests.factories import place, verified_bank_account

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/razorpay/webhook"


@pytest.fixture
def razorpay(settings):
    """The shop on Razorpay, its API served by the fake."""
    # The URL conf reads the gateway settings when first imported: not under these ones.
    importlib.import_module(settings.ROOT_URLCONF)
    fake, server = fake_razorpay.serve()
    settings.PAYMENT_GATEWAY = "razorpay"
    settings.RAZORPAY_KEY_ID = fake_razorpay.KEY_ID
    settings.RAZORPAY_KEY_SECRET = fake_razorpay.KEY_SECRET
    settings.RAZORPAY_WEBHOOK_SECRET = fake_razorpay.WEBHOOK_SECRET
    settings.RAZORPAY_API_URL = fake.url
    settings.RAZORPAY_TIMEOUT = 0.5
    yield fake
    fake.released.set()
    server.shutdown()
    server.server_close()


def retried(shopper, razorpay) -> tuple[Order, Payment]:
    """A failed order with a Razorpay attempt started."""
    order = place(shopper, outcome="failed")
    info = services.payment_retry(order=order)
    return order, Payment.objects.get(request_number=info["request_number"])


def post_webhook(client, body: bytes, signature: str | None, event_id: str | None = None):
    headers = {}
    if signature is not None:
        headers["HTTP_X_RAZORPAY_SIGNATURE"] = signature
    if event_id is not None:
        headers["HTTP_X_RAZORPAY_EVENT_ID"] = event_id
    return client.post(WEBHOOK, body, content_type="application/json", **headers)


def state(order: Order):
    order = Order.objects.get(pk=order.pk)
    attempts = [(p.request_number, p.status, p.payment_reference_number) for p in order.payments.order_by("pk")]
    return order.status, order.payment_status, order.amount_paid, attempts


# --- amounts ------------------------------------------------------------------------------


def test_amounts_are_exact_integer_paise():
    assert to_paise(Decimal("2456.10")) == 245610 and to_paise(Decimal("0.01")) == 1
    assert isinstance(to_paise(Decimal(10)), int)
    with pytest.raises(ValueError):
        to_paise(Decimal("1.005"))


# --- retry payment creates a Razorpay order --------------------------------------------------


def test_retry_creates_a_razorpay_order_with_the_amount_in_paise_and_the_keys(client_for, shopper, razorpay):
    order = place(shopper, outcome="failed")
    response = client_for(shopper).post(f"{API}/orders/{order.number}/retry-payment", {}, format="json")
    info = response.json()["content"]["payment_info"]
    assert response.status_code == 200
    [sent] = razorpay.requests
    assert (sent.method, sent.path, sent.credentials) == (
        "POST",
        "/v1/orders",
        (fake_razorpay.KEY_ID, fake_razorpay.KEY_SECRET),
    )
    due = order.to_be_paid - order.amount_paid
    assert sent.body == {
        "amount": int(due * 100),
        "currency": "INR",
        "receipt": info["request_number"],
        "notes": {"order_number": order.number, "request_number": info["request_number"]},
    }
    razorpay_order_id = next(iter(razorpay.orders))
    assert info["gateway"] == "razorpay" and info["key_id"] == fake_razorpay.KEY_ID
    assert info["razorpay_order_id"] == razorpay_order_id and info["currency"] == "INR"
    assert info["amount"] == float(due)
    token = checkout_token(info["request_number"])
    assert info["payment_url"] == f"http://testserver/payments/razorpay/checkout/{info['request_number']}?t={token}"
    payment = Payment.objects.get(request_number=info["request_number"])
    assert (payment.gateway, payment.gateway_order_id, payment.status) == ("razorpay", razorpay_order_id, "pending")


def test_the_checkout_page_opens_razorpay_checkout_under_its_own_csp(client, shopper, razorpay):
    _, payment = retried(shopper, razorpay)
    page = client.get(reverse("razorpay-checkout", args=[payment.request_number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="https://checkout.razorpay.com/v1/checkout.js"' in html
    assert payment.gateway_order_id in html and fake_razorpay.KEY_ID in html
    assert str(to_paise(payment.amount)) in html
    assert f'<p class="amount">{money_text(payment.amount)}</p>' in html  # ₹1,048.00, as on every page
    csp = page["Content-Security-Policy"]
    assert "script-src 'self' https://checkout.razorpay.com" in csp and "frame-src https://api.razorpay.com" in csp
    # Only that page: the website keeps its own policy, with no third-party script.
    client.force_login(shopper)
    assert "razorpay" not in client.get("/account/").get("Content-Security-Policy", "")


@pytest.mark.parametrize("mode", ["error", "hang"])
def test_a_failing_or_hanging_gateway_writes_nothing_and_a_retry_then_works(client_for, shopper, razorpay, mode):
    order = place(shopper, outcome="failed")
    before = state(order)
    api = client_for(shopper)
    razorpay.mode = mode
    body = assert_error(
        api.post(f"{API}/orders/{order.number}/retry-payment", {}, format="json"), 502, "payment_gateway_error"
    )
    assert "try again" in body["message"]
    assert state(order) == before and len(razorpay.requests) == 1
    razorpay.mode = "ok"
    response = api.post(f"{API}/orders/{order.number}/retry-payment", {}, format="json")
    assert response.status_code == 200
    assert Payment.objects.filter(order=order, gateway="razorpay", status=AttemptStatus.PENDING).count() == 1


def test_the_checkout_page_names_the_shopper_only_to_the_links_holder_or_their_session(
    client, shopper, other_shopper, razorpay
):
    """Issue 29 item 9: the attempt's number alone showed the shopper's email and phone."""
    _, payment = retried(shopper, razorpay)
    url = reverse("razorpay-checkout", args=[payment.request_number])

    def shows_contact(response):
        assert response.status_code == 200
        html = response.content.decode()
        return shopper.email in html or shopper.phone in html

    assert not shows_contact(client.get(url))
    assert not shows_contact(client.get(url + "?t=forged"))
    assert not shows_contact(client.get(url + "?t=" + checkout_token("another-number")))
    assert not shows_contact(client.get(url + "?t=" + "x" * 5000))
    assert shows_contact(client.get(url + "?t=" + checkout_token(payment.request_number)))
    client.force_login(other_shopper)
    assert not shows_contact(client.get(url))
    client.force_login(shopper)
    assert shows_contact(client.get(url))


def test_the_website_retry_button_sends_the_shopper_to_checkout(signed_in, shopper, razorpay):
    order = place(shopper, outcome="failed")
    response = signed_in.post(reverse("portal:order-retry-payment", args=[order.number]))
    payment = Payment.objects.get(order=order, gateway="razorpay")
    assert response.status_code == 302
    assert f"/payments/razorpay/checkout/{payment.request_number}?t=" in response["Location"]


def test_without_keys_razorpay_is_not_offered_and_its_endpoints_are_404(client, client_for, shopper, settings):
    settings.PAYMENT_GATEWAY, settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET = "razorpay", "", ""
    order = place(shopper, outcome="failed")
    assert gateway_available() is False
    assert_error(
        client_for(shopper).post(f"{API}/orders/{order.number}/retry-payment", {}, format="json"),
        409,
        "retry_not_available",
    )
    assert client.post(WEBHOOK, b"{}", content_type="application/json").status_code == 404


# --- Checkout's signed answer ---------------------------------------------------------------


def test_a_signed_checkout_answer_settles_the_attempt(client, shopper, razorpay):
    order, payment = retried(shopper, razorpay)
    answer = fake_razorpay.FakeRazorpay.checkout_answer(payment.gateway_order_id, "pay_Checkout01")
    page = client.post(reverse("razorpay-checkout", args=[payment.request_number]), answer)
    assert page.status_code == 200 and b"Payment received" in page.content
    assert state(order)[:3] == ("confirmed", "success", order.to_be_paid)
    payment.refresh_from_db()
    assert (payment.status, payment.payment_reference_number) == ("success", "pay_Checkout01")


@pytest.mark.parametrize("forge", ["other secret", "other payment", "other order", "unsigned"])
def test_a_forged_checkout_answer_is_400_and_changes_nothing(client, shopper, razorpay, forge):
    order, payment = retried(shopper, razorpay)
    answer = fake_razorpay.FakeRazorpay.checkout_answer(
        payment.gateway_order_id,
        "pay_Checkout01",
        secret="not-the-secret" if forge == "other secret" else fake_razorpay.KEY_SECRET,
    )
    if forge == "other payment":
        answer["razorpay_payment_id"] = "pay_Other"
    elif forge == "other order":
        answer["razorpay_order_id"] = "order_Other"
    elif forge == "unsigned":
        del answer["razorpay_signature"]
    before = state(order)
    response = client.post("/payments/razorpay/verify", answer, content_type="application/json")
    assert_error(response, 400, "invalid_signature")
    page = client.post(reverse("razorpay-checkout", args=[payment.request_number]), answer)
    assert page.status_code == 400 and b'role="alert"' in page.content and b"Pay now" in page.content
    assert state(order) == before


def test_the_verify_endpoint_settles_a_signed_answer_once(client, shopper, razorpay):
    order, payment = retried(shopper, razorpay)
    answer = fake_razorpay.FakeRazorpay.checkout_answer(payment.gateway_order_id, "pay_App01")
    first = client.post("/payments/razorpay/verify", answer, content_type="application/json")
    assert first.status_code == 200 and first.json()["content"]["status"] == "success"
    again = client.post("/payments/razorpay/verify", answer, content_type="application/json")
    assert again.status_code == 200
    assert Order.objects.get(pk=order.pk).amount_paid == order.to_be_paid  # counted once


# --- webhooks -------------------------------------------------------------------------------


@pytest.mark.parametrize("event", ["payment.captured", "order.paid"])
def test_a_signed_payment_webhook_settles_the_attempt(client, shopper, razorpay, event):
    order, payment = retried(shopper, razorpay)
    body, signature = fake_razorpay.FakeRazorpay.webhook(
        event, order_id=payment.gateway_order_id, amount=to_paise(payment.amount), payment_id="pay_Hook01"
    )
    assert post_webhook(client, body, signature, "evt_1").status_code == 200
    assert state(order)[:3] == ("confirmed", "success", order.to_be_paid)
    assert Payment.objects.get(pk=payment.pk).payment_reference_number == "pay_Hook01"


def test_a_payment_failed_webhook_fails_the_attempt_and_a_retry_is_offered(client, client_for, shopper, razorpay):
    order, payment = retried(shopper, razorpay)
    body, signature = fake_razorpay.FakeRazorpay.webhook(
        "payment.failed", order_id=payment.gateway_order_id, amount=to_paise(payment.amount)
    )
    assert post_webhook(client, body, signature, "evt_f").status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.failure_reason) == ("failed", "Payment was declined by the bank")
    status = client_for(shopper).get(f"{API}/orders/{order.number}/payment-status").json()["content"]
    assert (status["status"], status["is_retry_available"]) == ("failed", True)


@pytest.mark.parametrize("forge", ["unsigned", "wrong secret", "body changed"])
def test_a_forged_or_unsigned_webhook_is_400_and_changes_nothing(client, shopper, razorpay, forge):
    order, payment = retried(shopper, razorpay)
    body, signature = fake_razorpay.FakeRazorpay.webhook(
        "payment.captured",
        order_id=payment.gateway_order_id,
        amount=to_paise(payment.amount),
        secret="wrong" if forge == "wrong secret" else fake_razorpay.WEBHOOK_SECRET,
    )
    if forge == "body changed":
        body = body.replace(b'"upi"', b'"card"')
    before = state(order)
    response = post_webhook(client, body, None if forge == "unsigned" else signature, "evt_x")
    assert_error(response, 400, "invalid_signature")
    assert state(order) == before and not GatewayEvent.objects.exists()


@pytest.mark.parametrize("change", [{"amount": 100}, {"currency": "USD"}, {"order_id": "order_NotOurs"}])
def test_a_webhook_that_does_not_match_the_attempt_settles_nothing(client, shopper, razorpay, change):
    order, payment = retried(shopper, razorpay)
    event = {"order_id": payment.gateway_order_id, "amount": to_paise(payment.amount), **change}
    body, signature = fake_razorpay.FakeRazorpay.webhook("payment.captured", **event)
    before = state(order)
    assert post_webhook(client, body, signature, "evt_m").status_code == 200
    assert state(order) == before


def test_a_replayed_webhook_changes_nothing(client, shopper, razorpay):
    order, payment = retried(shopper, razorpay)
    paise = to_paise(payment.amount)
    captured = fake_razorpay.FakeRazorpay.webhook("payment.captured", order_id=payment.gateway_order_id, amount=paise)
    assert post_webhook(client, *captured, "evt_1").status_code == 200
    settled = state(order)
    # The same event again, and an event id seen before on a failure: answered 200, nothing changes.
    assert post_webhook(client, *captured, "evt_1").status_code == 200
    failed = fake_razorpay.FakeRazorpay.webhook("payment.failed", order_id=payment.gateway_order_id, amount=paise)
    assert post_webhook(client, *failed, "evt_1").status_code == 200
    assert state(order) == settled
    assert GatewayEvent.objects.filter(event_id="evt_1").count() == 1


def test_out_of_order_webhooks_after_settlement_change_nothing(client, shopper, razorpay):
    order, payment = retried(shopper, razorpay)
    paise = to_paise(payment.amount)
    paid = fake_razorpay.FakeRazorpay.webhook("order.paid", order_id=payment.gateway_order_id, amount=paise)
    assert post_webhook(client, *paid, "evt_paid").status_code == 200
    settled = state(order)
    for n, event in enumerate(["payment.failed", "payment.captured"]):
        late = fake_razorpay.FakeRazorpay.webhook(event, order_id=payment.gateway_order_id, amount=paise)
        assert post_webhook(client, *late, f"evt_late{n}").status_code == 200
    assert state(order) == settled and settled[2] == order.to_be_paid


@pytest.mark.django_db(transaction=True)
def test_two_webhooks_for_one_payment_racing_settle_it_once(client, shopper, razorpay):
    order, payment = retried(shopper, razorpay)
    paise = to_paise(payment.amount)
    captured = fake_razorpay.FakeRazorpay.webhook("payment.captured", order_id=payment.gateway_order_id, amount=paise)
    paid = fake_razorpay.FakeRazorpay.webhook("order.paid", order_id=payment.gateway_order_id, amount=paise)
    answers = []
    errors = run_together(
        *(
            lambda event=event, n=n: answers.append(post_webhook(Client(), *event, f"evt_race{n}").status_code)
            for n, event in enumerate([captured, paid, captured, paid])
        )
    )
    assert errors == [] and answers == [200, 200, 200, 200]
    order = Order.objects.get(pk=order.pk)
    assert (order.payment_status, order.amount_paid) == (PaymentStatus.SUCCESS, order.to_be_paid)


# --- refunds back through Razorpay ----------------------------------------------------------


def paid_through_razorpay(shopper, razorpay, payment_id="pay_Paid01") -> Order:
    order, payment = retried(shopper, razorpay)
    services.payment_checkout_confirm(
        data=fake_razorpay.FakeRazorpay.checkout_answer(payment.gateway_order_id, payment_id), gateway_name="razorpay"
    )
    return Order.objects.get(pk=order.pk)


def refund_requests(razorpay):
    return [r for r in razorpay.requests if r.path.endswith("/refund")]


def refund_webhook(refund: Refund, event: str, *, refund_id: str) -> tuple[bytes, str]:
    body = json.dumps(
        {
            "entity": "event",
            "event": event,
            "contains": ["refund", "payment"],
            "payload": {
                "refund": {
                    "entity": {
                        "id": refund_id,
                        "entity": "refund",
                        "amount": to_paise(refund.amount),
                        "currency": "INR",
                        "payment_id": refund.gateway_payment_id,
                        "receipt": refund.request_number,
                        "status": "processed" if event == "refund.processed" else "failed",
                    }
                }
            },
        }
    ).encode()
    return body, hmac.new(fake_razorpay.WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_cancelling_a_paid_order_refunds_it_through_razorpay_once_after_the_commit(
    client, shopper, razorpay, django_capture_on_commit_callbacks
):
    order = paid_through_razorpay(shopper, razorpay)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, reason="Changed my mind")
        assert refund_requests(razorpay) == []  # not before the commit
    refund = Refund.objects.get(order=order)
    [sent] = refund_requests(razorpay)
    assert (sent.path, sent.credentials) == (
        "/v1/payments/pay_Paid01/refund",
        (fake_razorpay.KEY_ID, fake_razorpay.KEY_SECRET),
    )
    assert sent.body["amount"] == to_paise(order.amount_paid) and sent.body["receipt"] == refund.request_number
    assert sent.headers["X-Refund-Idempotency"] == f"{refund.request_number}-0"
    rfnd = next(iter(razorpay.refunds.values()))["id"]
    assert (refund.status, refund.gateway, refund.payment_reference_number) == ("approved", "razorpay", rfnd)
    # Asked again (staff's "issue", a replayed task): it is on its way, nothing is sent twice.
    services.refund_send(refund_id=refund.pk)
    assert len(refund_requests(razorpay)) == 1
    # Pending until Razorpay says processed.
    assert (
        post_webhook(client, *refund_webhook(refund, "refund.processed", refund_id=rfnd), "evt_r1").status_code == 200
    )
    refund.refresh_from_db()
    assert (refund.status, refund.payment_reference_number) == ("success", rfnd) and refund.refund_date
    assert post_webhook(client, *refund_webhook(refund, "refund.failed", refund_id=rfnd), "evt_r2").status_code == 200
    assert Refund.objects.get(pk=refund.pk).status == "success"  # after it settled: no change


def test_a_bank_transfer_refund_stays_a_staff_action(shopper, razorpay, django_capture_on_commit_callbacks):
    order = paid_through_razorpay(shopper, razorpay)
    account = verified_bank_account(shopper)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(
            order=order, reason="Changed my mind", refund_mode="bank-transfer", bank_account_id=account.pk
        )
    refund = Refund.objects.get(order=order)
    assert (refund.status, refund.gateway) == ("pending", "") and refund_requests(razorpay) == []


def test_a_return_completed_for_refund_is_refunded_through_razorpay(
    shopper, razorpay, django_capture_on_commit_callbacks
):
    order = paid_through_razorpay(shopper, razorpay, payment_id="pay_Ret01")
    services.shipment_create(order=order, courier_company_name="BlueDart", awb_no="AWB1")
    services.shipment_deliver(shipment=order.shipments.get())
    item = order.items.first()
    order_return = services.return_create(
        order=Order.objects.get(pk=order.pk),
        lines=[services.ReturnRequestLine(order_item=item, quantity=1, reason="Damaged", resolution="refund")],
    )
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_complete(order_return=order_return)
    refund = Refund.objects.get(order_return=order_return)
    [sent] = refund_requests(razorpay)
    assert sent.path == "/v1/payments/pay_Ret01/refund" and sent.body["amount"] == to_paise(refund.amount)
    assert refund.status == "approved"


@pytest.mark.parametrize("mode", ["error", "hang"])
def test_a_refund_razorpay_does_not_answer_fails_visibly_and_is_tried_again_with_the_same_key(
    staff_client, shopper, razorpay, django_capture_on_commit_callbacks, mode
):
    admin_client = staff_client("Support")
    order = paid_through_razorpay(shopper, razorpay)
    razorpay.mode = mode
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, reason="Changed my mind")  # the cancel itself goes through
    refund = Refund.objects.get(order=order)
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert refund.status == "failed" and refund.remarks.startswith("No answer from razorpay")
    page = admin_client.get(reverse("admin:orders_refund_changelist"))
    assert b"No answer from razorpay" in page.content and b"Try again" in page.content
    razorpay.mode = "ok"
    with django_capture_on_commit_callbacks(execute=True):
        admin_action(admin_client, reverse("admin:orders_refund_changelist"), "retry", [refund])
    refund.refresh_from_db()
    assert refund.status == "approved"
    keys = [r.headers["X-Refund-Idempotency"] for r in refund_requests(razorpay)]
    assert keys == [f"{refund.request_number}-0"] * 2  # the gateway may have made it: same key
    assert len(razorpay.refunds) == 1


def test_a_refund_razorpay_refuses_or_fails_is_tried_again_as_a_new_refund(
    client, shopper, razorpay, django_capture_on_commit_callbacks
):
    order = paid_through_razorpay(shopper, razorpay)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, reason="Changed my mind")
    refund = Refund.objects.get(order=order)
    failed = refund_webhook(refund, "refund.failed", refund_id=refund.payment_reference_number)
    assert post_webhook(client, *failed, "evt_rf").status_code == 200
    refund.refresh_from_db()
    assert (refund.status, refund.gateway_attempt) == ("failed", 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_retry(refund=refund)
    keys = [r.headers["X-Refund-Idempotency"] for r in refund_requests(razorpay)]
    assert keys == [f"{refund.request_number}-0", f"{refund.request_number}-1"]
    assert Refund.objects.get(pk=refund.pk).status == "approved"


def test_a_refund_razorpay_refuses_is_failed_at_once_and_tried_again_as_a_new_one(
    shopper, razorpay, django_capture_on_commit_callbacks
):
    order = paid_through_razorpay(shopper, razorpay)
    razorpay.mode = "refuse"
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, reason="Changed my mind")
    refund = Refund.objects.get(order=order)
    assert (refund.status, refund.gateway_attempt) == ("failed", 1)
    assert refund.remarks == "Refused by razorpay: 400 The refund amount provided is greater than amount captured."
    razorpay.mode = "ok"
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_retry(refund=refund)
    assert refund_requests(razorpay)[-1].headers["X-Refund-Idempotency"] == f"{refund.request_number}-1"
    assert Refund.objects.get(pk=refund.pk).status == "approved"


def test_going_back_to_an_open_attempt_creates_no_second_razorpay_order(shopper, razorpay):
    _, payment = retried(shopper, razorpay)
    start = gateway_get().start(payment)
    assert start.payment_url.startswith(f"/payments/razorpay/checkout/{payment.request_number}?t=")
    assert start.gateway_order_id == payment.gateway_order_id and len(razorpay.orders) == 1


def test_the_refund_task_retries_while_razorpay_does_not_answer(shopper, razorpay, settings):
    order = paid_through_razorpay(shopper, razorpay)
    services.order_cancel(order=order, reason="Changed my mind")  # its send is not run (no commit)
    refund = Refund.objects.get(order=order)
    razorpay.mode = "error"
    tasks.refund_send_task.apply(args=[refund.pk])
    assert len(refund_requests(razorpay)) == tasks.REFUND_SEND_RETRIES + 1
    assert Refund.objects.get(pk=refund.pk).status == "failed"
