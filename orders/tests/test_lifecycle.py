"""The lifecycle table (orders.lifecycle.TRANSITIONS), walked: for every action and every status,
the service refuses exactly where the table says (with the table's code and message, saving
nothing), and the API's flags and the website's buttons agree with it for each order state.

Each case builds a row through the real services at a point of its life where every other
condition of the action holds, then sets the status under test directly in the database.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.exceptions import DomainError
from common.testing import API
from customers.tests.factories import make_address
from orders import lifecycle, services
from orders.gateways import gateway_get
from orders.lifecycle import TRANSITIONS
from orders.models import (
    AttemptStatus,
    Order,
    OrderReturn,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
    ReturnStatus,
    Shipment,
    ShipmentStatus,
)

from .factories import delivered, place, products, shipped

pytestmark = pytest.mark.django_db


def force(row, **fields):
    """The row with `fields` set in the database behind the services' back."""
    type(row).objects.filter(pk=row.pk).update(**fields)
    return type(row).objects.get(pk=row.pk)


def snapshot(row):
    """What a refused action must leave as it was: the row and the order it belongs to."""
    row = type(row).objects.get(pk=row.pk)
    order = row if isinstance(row, Order) else row.order
    return (
        row.status,
        row.modified_at,
        order.status,
        order.payment_status,
        order.amount_paid,
        order.modified_at,
        order.payments.count(),
        order.shipments.count(),
        order.returns.count(),
        order.refunds.count(),
    )


def assert_refused(transition, row, act, *, check=None, message=None):
    """`act` raises the refusal of the check (default: the status check) and saves nothing."""
    check = check or transition.checks[0]
    before = snapshot(row)
    with pytest.raises(DomainError) as exc:
        act(row)
    assert (exc.value.code, exc.value.message) == (check.code, message or check.message)
    assert snapshot(row) == before


def return_line(order, quantity=1):
    return services.ReturnRequestLine(
        order_item=order.items.first(), quantity=quantity, reason="Damaged", resolution="refund"
    )


def unpaid(shopper):
    return place(shopper, outcome="failed")


# --- the table itself ---------------------------------------------------------------------


def test_the_table_names_only_real_statuses():
    for name, transition in TRANSITIONS.items():
        statuses = {value for value, _ in transition.model._meta.get_field("status").choices}
        assert transition.sources and transition.sources <= statuses, name
        assert transition.leads_to <= statuses, name
        for check in transition.checks:
            choices = transition.model._meta.get_field(check.field).choices
            if choices:
                assert check.values <= {value for value, _ in choices}, (name, check.field)


def test_both_ways_to_deliver_read_one_rule():
    """A delivery attempt that failed can still be delivered later, by the shipment or the order."""
    assert ShipmentStatus.DELIVERY_ATTEMPTED in lifecycle.SHIPMENT_DELIVER.sources


def test_a_shipment_out_for_delivery_can_be_delivered_or_go_out_again_after_a_failed_attempt():
    assert lifecycle.SHIPMENT_OUT_FOR_DELIVERY.leads_to <= lifecycle.SHIPMENT_DELIVER.sources
    assert ShipmentStatus.DELIVERY_ATTEMPTED in lifecycle.SHIPMENT_OUT_FOR_DELIVERY.sources


# --- orders: every action from every status -----------------------------------------------

# action -> (an order where everything but its status allows the action, the service call)
ORDER_ACTIONS = {
    "order.confirm": (place, lambda o: services.order_confirm(order=o)),
    "order.retry_payment": (unpaid, lambda o: services.payment_retry(order=o)),
    "order.record_payment": (unpaid, lambda o: services.payment_record(order=o, succeeded=True, reference="UTR1")),
    "order.ship": (place, lambda o: services.shipment_create(order=o)),
    "order.complete": (delivered, lambda o: services.order_complete(order=o)),
    "order.cancel": (place, lambda o: services.order_cancel(order=o, reason="Changed my mind")),
    "order.return": (delivered, lambda o: services.return_create(order=o, lines=[return_line(o)])),
}


def test_every_order_action_of_the_table_is_walked():
    assert {n for n, t in TRANSITIONS.items() if t.model is Order} == {*ORDER_ACTIONS, "order.paid"}


def _expected_after(name, status):
    transition = TRANSITIONS[name]
    if name == "order.record_payment":  # a payment in full confirms what waits for it
        return lifecycle.ORDER_PAID.leads_to if status in lifecycle.ORDER_PAID.sources else {status}
    return transition.leads_to or {status}


@pytest.mark.parametrize("status", OrderStatus.values)
@pytest.mark.parametrize("name", ORDER_ACTIONS)
def test_order_action_starts_exactly_where_the_table_says(shopper, name, status):
    transition = TRANSITIONS[name]
    build, act = ORDER_ACTIONS[name]
    order = force(build(shopper), status=status)
    assert transition.allows(order) == (status in transition.sources)
    if status in transition.sources:
        act(order)
        assert Order.objects.get(pk=order.pk).status in _expected_after(name, status)
    else:
        assert_refused(transition, order, act)


@pytest.mark.parametrize("payment_status", PaymentStatus.values)
@pytest.mark.parametrize("name", ["order.confirm", "order.retry_payment"])
def test_order_action_reads_the_payment_status_the_table_names(shopper, name, payment_status):
    transition = TRANSITIONS[name]
    build, act = ORDER_ACTIONS[name]
    check = next(c for c in transition.checks if c.field == "payment_status")
    order = force(build(shopper), status=OrderStatus.PENDING, payment_status=payment_status)
    if payment_status in check.values:
        act(order)
    else:
        assert_refused(transition, order, act, check=check)


@pytest.mark.parametrize("status", OrderStatus.values)
def test_a_payment_in_full_confirms_exactly_where_the_table_says(shopper, status):
    order = unpaid(shopper)
    info = services.payment_retry(order=order)
    force(order, status=status)
    services.payment_callback(
        data=gateway_get("test").sign_callback(request_number=info["request_number"], outcome="success", reference="T1")
    )
    order = Order.objects.get(pk=order.pk)
    assert order.payment_status == PaymentStatus.SUCCESS
    paid = lifecycle.ORDER_PAID
    assert order.status == (OrderStatus.CONFIRMED if status in paid.sources else status)


# --- shipments, payment attempts, returns, refunds ----------------------------------------


def _shipped_at(shopper, status) -> Shipment:
    return force(shipped(shopper).shipments.get(), status=status)


@pytest.mark.parametrize("status", ShipmentStatus.values)
def test_a_shipment_is_delivered_exactly_where_the_table_says(shopper, status):
    transition = lifecycle.SHIPMENT_DELIVER
    shipment = _shipped_at(shopper, status)
    if status in transition.sources:
        services.shipment_deliver(shipment=shipment)
        assert Shipment.objects.get(pk=shipment.pk).status in transition.leads_to
        assert Order.objects.get(pk=shipment.order_id).status == OrderStatus.DELIVERED
    else:
        assert_refused(transition, shipment, lambda s: services.shipment_deliver(shipment=s))


@pytest.mark.parametrize("status", ShipmentStatus.values)
def test_an_order_is_delivered_exactly_where_the_table_says(shopper, status):
    """Staff's 'deliver' on the order reads the shipment's row of the table too."""
    transition = lifecycle.SHIPMENT_DELIVER
    shipment = _shipped_at(shopper, status)
    if status in transition.sources:
        services.order_deliver(order=shipment.order)
        assert Shipment.objects.get(pk=shipment.pk).status in transition.leads_to
        assert Order.objects.get(pk=shipment.order_id).status == OrderStatus.DELIVERED
    else:
        assert_refused(
            transition,
            shipment.order,
            lambda o: services.order_deliver(order=o),
            message="Nothing of this order is on its way.",
        )


@pytest.mark.parametrize("status", ShipmentStatus.values)
def test_a_shipment_goes_out_for_delivery_exactly_where_the_table_says(shopper, status):
    transition = lifecycle.SHIPMENT_OUT_FOR_DELIVERY
    shipment = _shipped_at(shopper, status)
    if status in transition.sources:
        services.shipment_out_for_delivery(shipment=shipment)
        assert Shipment.objects.get(pk=shipment.pk).status in transition.leads_to
        assert Order.objects.get(pk=shipment.order_id).status == OrderStatus.SHIPPED  # the order's stays
    else:
        assert_refused(transition, shipment, lambda s: services.shipment_out_for_delivery(shipment=s))


@pytest.mark.parametrize("status", ShipmentStatus.values)
def test_an_order_goes_out_for_delivery_exactly_where_the_table_says(shopper, status):
    """Staff's 'out for delivery' on the order reads the shipment's row of the table too."""
    transition = lifecycle.SHIPMENT_OUT_FOR_DELIVERY
    shipment = _shipped_at(shopper, status)
    assert lifecycle.is_out_for_delivery_due(shipment.order) == (status in transition.sources)
    if status in transition.sources:
        services.order_out_for_delivery(order=shipment.order)
        assert Shipment.objects.get(pk=shipment.pk).status in transition.leads_to
    else:
        assert_refused(
            transition,
            shipment.order,
            lambda o: services.order_out_for_delivery(order=o),
            message="Nothing of this order is waiting to go out for delivery.",
        )


@pytest.mark.parametrize("status", AttemptStatus.values)
def test_a_payment_attempt_is_settled_exactly_where_the_table_says(shopper, status):
    transition = lifecycle.PAYMENT_SETTLE
    info = services.payment_retry(order=unpaid(shopper))
    attempt = force(Payment.objects.get(request_number=info["request_number"]), status=status)
    data = gateway_get("test").sign_callback(request_number=attempt.request_number, outcome="failure", reference="")
    if status in transition.sources:
        assert services.payment_callback(data=data).status in transition.leads_to
    else:
        assert_refused(transition, attempt, lambda _: services.payment_callback(data=data))


@pytest.mark.parametrize("status", AttemptStatus.values)
def test_a_payment_attempt_is_cancelled_exactly_where_the_table_says(shopper, status):
    transition = lifecycle.PAYMENT_CANCEL
    order = unpaid(shopper)
    info = services.payment_retry(order=order)
    attempt = force(Payment.objects.get(request_number=info["request_number"]), status=status)
    if status in transition.sources:
        assert services.payment_request_cancel(order=order).status in transition.leads_to
    else:
        # Nothing open: the service's own refusal, before the table's, and nothing changes.
        before = snapshot(attempt)
        with pytest.raises(DomainError) as refused:
            services.payment_request_cancel(order=order)
        assert refused.value.code == transition.checks[0].code
        assert snapshot(attempt) == before


RETURN_ACTIONS = {
    "return.cancel": lambda r: services.return_cancel(order_return=r, reason="Kept it"),
    "return.approve": lambda r: services.return_approve(order_return=r),
    "return.reject": lambda r: services.return_reject(order_return=r, reason="Used"),
    "return.receive": lambda r: services.return_receive(order_return=r),
    "return.complete": lambda r: services.return_complete(order_return=r),
}


def _return(shopper, *, received: bool):
    order = delivered(shopper)
    order_return = services.return_create(order=order, lines=[return_line(order)])
    return force(order_return, received_at=timezone.now() if received else None)


@pytest.mark.parametrize("status", ReturnStatus.values)
@pytest.mark.parametrize("name", RETURN_ACTIONS)
def test_a_return_action_starts_exactly_where_the_table_says(shopper, name, status):
    transition, act = TRANSITIONS[name], RETURN_ACTIONS[name]
    order_return = force(_return(shopper, received=name == "return.complete"), status=status)
    if status in transition.sources:
        act(order_return)
        after = OrderReturn.objects.get(pk=order_return.pk)
        assert after.status in (transition.leads_to or {status})
    else:
        assert_refused(transition, order_return, act)


@pytest.mark.parametrize("received", [False, True])
@pytest.mark.parametrize("name", ["return.receive", "return.complete"])
def test_receive_and_complete_read_received_at_as_the_table_says(shopper, name, received):
    transition, act = TRANSITIONS[name], RETURN_ACTIONS[name]
    order_return = force(_return(shopper, received=received), status=ReturnStatus.APPROVED)
    if transition.allows(order_return):
        act(order_return)
    else:
        assert_refused(transition, order_return, act, check=transition.checks[1])
    assert transition.allows(order_return) == (received == (name == "return.complete"))


REFUND_ACTIONS = {
    "refund.issue": lambda r: services.refund_issue(refund=r),
    "refund.succeed": lambda r: services.refund_succeed(refund=r, reference="UTR9"),
    "refund.fail": lambda r: services.refund_fail(refund=r, remarks="Account closed"),
    "refund.retry": lambda r: services.refund_retry(refund=r),
}


def test_every_action_of_the_table_is_walked():
    walked = {
        *ORDER_ACTIONS,
        "order.paid",
        "shipment.out_for_delivery",
        "shipment.deliver",
        "payment.settle",
        "payment.cancel",
        *RETURN_ACTIONS,
        *REFUND_ACTIONS,
    }
    assert walked == set(TRANSITIONS)


@pytest.mark.parametrize("status", RefundStatus.values)
@pytest.mark.parametrize("name", REFUND_ACTIONS)
def test_a_refund_action_starts_exactly_where_the_table_says(shopper, name, status):
    transition, act = TRANSITIONS[name], REFUND_ACTIONS[name]
    order = services.order_cancel(order=place(shopper), reason="Changed my mind")
    refund = force(Refund.objects.get(order=order), status=status)
    if status in transition.sources:
        assert act(refund).status in transition.leads_to
    else:
        assert_refused(transition, refund, act)


# --- the flags the API and the website show, for each order state -------------------------


@pytest.mark.parametrize("status", OrderStatus.values)
def test_the_api_and_the_website_show_what_the_table_allows(client, client_for, shopper, status):
    api = client_for(shopper)
    client.force_login(shopper)
    paid, waiting, sent, received = place(shopper), unpaid(shopper), shipped(shopper), delivered(shopper)
    for order in (paid, waiting, sent, received):
        force(order, status=status)

    def detail(order):
        return api.get(f"{API}/orders/{order.number}").json()["content"]["order"]

    def page(order):
        return client.get(f"/account/orders/{order.number}/").content

    cancellable = status in lifecycle.ORDER_CANCEL.sources
    assert detail(paid)["is_cancellation_allowed"] is cancellable
    assert (b"Cancel this order" in page(paid)) is cancellable
    assert detail(sent)["is_cancellation_allowed"] is False  # something has shipped

    retry = status in lifecycle.ORDER_RETRY_PAYMENT.sources
    status_of_waiting = api.get(f"{API}/orders/{waiting.number}/payment-status").json()["content"]
    assert status_of_waiting["is_retry_available"] is retry
    assert (b"Try again" in page(waiting)) is retry

    returnable = status in lifecycle.ORDER_RETURN.sources
    assert detail(received)["shipments"][0]["is_return_allowed"] is returnable
    form = client.get(f"/account/orders/{received.number}/return/")  # its own page (issue 26)
    assert (form.status_code == 200 and b"Request return" in form.content) is returnable
    assert detail(sent)["shipments"][0]["is_return_allowed"] is False  # not delivered yet


def test_the_return_flag_closes_with_the_window(shopper, settings):
    order = delivered(shopper)
    shipment = order.shipments.get()
    later = timezone.now() + timedelta(days=settings.RETURN_WINDOW_DAYS + 1)
    assert lifecycle.is_return_allowed(order) and not lifecycle.is_return_allowed(order, now=later)
    assert not lifecycle.is_shipment_returnable(shipment, now=later)


# --- payments: the latest attempt, and what each method keeps -----------------------------


def test_the_latest_payment_is_the_newest_attempt_of_the_status_asked(shopper, django_assert_num_queries):
    order = unpaid(shopper)
    first = order.payments.get()
    second = Payment.objects.get(request_number=services.payment_retry(order=order)["request_number"])
    Payment.objects.filter(pk=second.pk).update(created_at=first.created_at)  # a tie: the id decides
    order = Order.objects.prefetch_related("payments").get(pk=order.pk)
    with django_assert_num_queries(0):  # read from the prefetch
        assert lifecycle.payment_latest(order) == max(first, second, key=lambda p: p.pk)
        assert lifecycle.payment_latest(order, status=AttemptStatus.FAILED) == first
        assert lifecycle.payment_latest(order, status=AttemptStatus.SUCCESS) is None


@pytest.mark.parametrize("method", PaymentMethod.values)
def test_a_payment_keeps_and_shows_only_its_methods_details(client_for, shopper, method):
    every = {
        "card_last4": "4242",
        "card_type": "Visa",
        "upi_id": "meera@okhdfc",
        "bank_name": "HDFC Bank",
        "wallet_name": "Paytm",
        "bank_account_last4": "9012",
    }
    order = services.order_place(
        services.Placement(
            customer=shopper,
            lines=[services.OrderLine(product=products(1)[0], quantity=1)],
            billing_address=make_address(shopper),
            payment_method=method,
            payment_details=every,
        )
    )
    payment = order.payments.get()
    kept = lifecycle.PAYMENT_METHOD_FIELDS[method]
    assert {name for name in every if getattr(payment, name)} == set(kept)
    row = client_for(shopper).get(f"{API}/orders/{order.number}/payments").json()["content"]["payments"][0]
    shown = set(row) - {
        "transaction_type",
        "request_number",
        "amount",
        "payment_status",
        "payment_date",
        "payment_reference_number",
        "payment_method",
    }
    masked = {"card_last4": "card_number", "bank_account_last4": "bank_account_number"}
    assert shown == {masked.get(name, name) for name in kept}


# --- status groups --------------------------------------------------------------------------


def test_the_return_groups_split_every_return_status():
    """Under way or completed, a return holds its items; rejected or cancelled, it stopped."""
    assert lifecycle.RETURN_OPEN_STATUSES < lifecycle.RETURN_HOLDING_STATUSES
    assert lifecycle.RETURN_HOLDING_STATUSES - lifecycle.RETURN_OPEN_STATUSES == {ReturnStatus.COMPLETE}
    assert lifecycle.RETURN_HOLDING_STATUSES.isdisjoint(lifecycle.RETURN_STOPPED_STATUSES)
    assert lifecycle.RETURN_HOLDING_STATUSES | lifecycle.RETURN_STOPPED_STATUSES == set(ReturnStatus)
    # A return under way is one staff can still act on before it completes.
    assert lifecycle.RETURN_OPEN_STATUSES == lifecycle.RETURN_CANCEL.sources | lifecycle.RETURN_COMPLETE.sources


def test_the_refund_groups_are_the_tables():
    """An open refund is one that can still succeed or fail; a failed one gives nothing back."""
    assert lifecycle.REFUND_OPEN_STATUSES == lifecycle.REFUND_SUCCEED.sources == lifecycle.REFUND_FAIL.sources
    assert lifecycle.REFUND_COUNTED_STATUSES == set(RefundStatus) - {RefundStatus.FAILED}


def test_a_bank_account_with_a_refund_on_its_way_cannot_be_deleted_until_it_is_paid(shopper):
    from customers.models import BankAccount
    from customers.services import bank_account_delete

    from .factories import verified_bank_account

    account = verified_bank_account(shopper)
    services.order_cancel(order=place(shopper), reason="x", refund_mode="bank-transfer", bank_account_id=account.id)
    refund = Refund.objects.get(bank_account=account)
    for status in lifecycle.REFUND_OPEN_STATUSES:
        force(refund, status=status)
        with pytest.raises(DomainError) as refused:
            bank_account_delete(account=account)
        assert refused.value.code == "account_in_use" and "refund is on its way" in refused.value.message
    assert BankAccount.objects.filter(pk=account.pk).exists()
    for status in set(RefundStatus) - lifecycle.REFUND_OPEN_STATUSES:
        force(refund, status=status)
        assert lifecycle.bank_account_hold(account) == ""


def test_a_payment_failure_is_stale_once_the_order_no_longer_waits_for_that_payment(shopper):
    """The rule notifications reads before it sends "payment failed" (message_stale)."""
    order = place(shopper, outcome="failed")
    assert not lifecycle.is_payment_failure_stale(order.number)  # still waiting: worth telling
    attempt = order.payments.get()
    force(attempt, status=AttemptStatus.PENDING)  # being paid again
    assert lifecycle.is_payment_failure_stale(order.number)
    force(attempt, status=AttemptStatus.FAILED)
    assert lifecycle.is_payment_failure_stale(services.order_cancel(order=order, reason="x").number)
    assert lifecycle.is_payment_failure_stale(place(shopper).number)  # paid
    assert lifecycle.is_payment_failure_stale("ORD-NO-SUCH")
