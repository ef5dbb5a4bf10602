from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.exceptions import BadRequest, DomainError, InvalidInput
from common.testing import run_together
from customers.services import address_update
from loyalty.models import LoyaltyAccount, PointsEntry
from loyalty.services import points_adjust, points_redeemable
from orders import lifecycle, services
from orders.gateways import gateway_get
from orders.models import (
    AttemptStatus,
    Order,
    OrderReturn,
    OrderStatus,
    PaymentStatus,
    Refund,
    RefundStatus,
    ReturnItem,
    ReturnStatus,
    Shipment,
    ShipmentStatus,
)

from .factories import completed, delivered, place, shipped, verified_bank_account

pytestmark = pytest.mark.django_db


def reload(order) -> Order:
    return Order.objects.get(pk=order.pk)


def snapshot(order):
    order = reload(order)
    return (
        order.status,
        order.payment_status,
        order.amount_paid,
        order.modified_at,
        order.refunds.count(),
        order.shipments.count(),
    )


# --- placement ----------------------------------------------------------------------------


def test_order_totals_are_computed(shopper):
    order = place(shopper, quantities=(2, 1), shipping="59.00")
    # Products sell at 799.00 including 18% GST: 677.12 + 121.88.
    assert order.order_items_count == 2
    assert order.subtotal_including_tax == Decimal("2397.00")
    assert order.subtotal == Decimal("2031.36") and order.item_total_tax == Decimal("365.64")
    assert order.shipping_amount_including_tax == Decimal("59.00") and order.shipping_amount == Decimal("50.00")
    assert order.grand_total == Decimal("2456.00")
    assert order.total_tax == order.item_total_tax + order.shipping_tax_amount
    assert order.total_savings == Decimal("600.00")  # (999 - 799) x 3
    assert (order.status, order.payment_status, order.amount_paid) == ("confirmed", "success", Decimal("2456.00"))
    assert order.number.startswith("ORD-") and len(order.number) == 14


def test_order_keeps_its_address_snapshot(shopper):
    order = place(shopper)
    address = shopper.addresses.get()
    address_update(address=address, data={"city": "Mysuru", "pincode": "570001"})
    assert reload(order).shipping_address["city"] == "Bengaluru"


def test_failed_payment_leaves_the_order_pending(shopper):
    order = place(shopper, outcome="failed")
    assert (order.status, order.payment_status) == ("pending", "failed")
    assert lifecycle.is_retry_available(order)


def test_points_are_redeemed_at_placement(shopper):
    points_adjust(customer=shopper, points=300, remarks="gift")
    order = place(shopper, points=200)
    assert order.to_be_paid == order.grand_total - 200
    account = LoyaltyAccount.objects.get(customer=shopper)
    assert account.points_balance == 100
    with pytest.raises(DomainError):
        place(shopper, points=200)  # only 100 left
    assert Order.objects.count() == 1


# --- the state machine --------------------------------------------------------------------


def test_a_pending_unpaid_order_cannot_ship(shopper):
    order = place(shopper, outcome="failed")
    before = snapshot(order)
    with pytest.raises(DomainError) as exc:
        services.shipment_create(order=order)
    assert exc.value.code == "invalid_transition"
    assert snapshot(order) == before


def test_ship_partially_then_fully_then_deliver(shopper):
    order = place(shopper, quantities=(2, 1))
    first, second = order.items.all()
    services.shipment_create(order=order, items=[(first, 1)])
    assert reload(order).status == OrderStatus.PARTIALLY_SHIPPED
    with pytest.raises(InvalidInput):
        services.shipment_create(order=order, items=[(second, 2)])
    services.shipment_create(order=order)  # the rest
    order = reload(order)
    assert order.status == OrderStatus.SHIPPED and order.shipments.count() == 2
    with pytest.raises(DomainError):
        services.shipment_create(order=order)
    one, two = order.shipments.all()
    services.shipment_deliver(shipment=one)
    assert reload(order).status == OrderStatus.PARTIALLY_DELIVERED
    services.shipment_deliver(shipment=two)
    assert reload(order).status == OrderStatus.DELIVERED
    with pytest.raises(DomainError):
        services.shipment_deliver(shipment=two)


@pytest.mark.parametrize(
    "action",
    [
        lambda o: services.order_complete(order=o),
        lambda o: services.order_confirm(order=o),
        lambda o: (
            services.shipment_deliver(shipment=o.shipments.first())
            if o.shipments.exists()
            else services.order_complete(order=o)
        ),
    ],
)
def test_illegal_transitions_raise_and_save_nothing(shopper, action):
    order = place(shopper)  # confirmed: cannot be completed or confirmed again
    before = snapshot(order)
    with pytest.raises(DomainError):
        action(order)
    assert snapshot(order) == before


def _two_shipments(shopper) -> Order:
    order = place(shopper, quantities=(1, 1))
    first, second = order.items.all()
    services.shipment_create(order=order, items=[(first, 1)])
    services.shipment_create(order=order, items=[(second, 1)])
    return reload(order)


@pytest.mark.parametrize(
    "deliver",
    [
        lambda s: services.shipment_deliver(shipment=s),
        lambda s: services.order_deliver(order=s.order),
    ],
    ids=["shipment", "order"],
)
def test_a_failed_delivery_attempt_can_still_be_delivered(shopper, deliver):
    shipment = shipped(shopper).shipments.get()
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.DELIVERY_ATTEMPTED)
    deliver(Shipment.objects.get(pk=shipment.pk))
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DELIVERED
    assert reload(shipment.order).status == OrderStatus.DELIVERED


def test_delivering_an_order_is_one_transaction(shopper, monkeypatch):
    order = _two_shipments(shopper)

    def broken(order, product_ids):
        raise RuntimeError("the reviews app is down")

    monkeypatch.setattr("orders.services.fulfilment.received_changed", broken)
    with pytest.raises(RuntimeError):
        services.order_deliver(order=order)
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.SHIPPED}
    assert reload(order).status == OrderStatus.SHIPPED


@pytest.mark.django_db(transaction=True)
def test_concurrent_order_deliveries_deliver_once(shopper):
    order = _two_shipments(shopper)
    delivered_at = []

    def deliver():
        delivered_at.append(services.order_deliver(order=order).delivered_at)

    errors = run_together(deliver, deliver)
    assert len(delivered_at) == 1
    assert [(e.code, e.message) for e in errors] == [("invalid_transition", "Nothing of this order is on its way.")]
    assert set(order.shipments.values_list("delivered_date", flat=True)) == set(delivered_at)
    assert reload(order).status == OrderStatus.DELIVERED


def test_complete_awards_points_pending_until_the_window_closes(shopper, settings):
    settings.RETURN_WINDOW_DAYS = 14
    order = completed(shopper)
    assert order.grand_total == Decimal("2447.00")
    assert order.status == OrderStatus.COMPLETE and order.loyalty_points_earned == 244  # 2447.00 x 0.1
    account = LoyaltyAccount.objects.get(customer=shopper)
    assert account.points_balance == 244 and points_redeemable(account=account) == 0
    later = timezone.now() + timedelta(days=15)
    assert points_redeemable(account=account, now=later) == 244
    with pytest.raises(DomainError):
        services.order_complete(order=order)
    assert LoyaltyAccount.objects.get(customer=shopper).points_balance == 244


# --- cancel -------------------------------------------------------------------------------


def test_cancel_refunds_what_was_paid_to_the_original_mode(shopper):
    order = place(shopper)
    details = lifecycle.cancellation_refund_details(order)
    assert details["refundable_amount"] == order.amount_paid and details["payment_mode"] == "original-payment-mode"
    order = services.order_cancel(
        order=order, reason="Changed my mind", refund_mode="original_payment_mode", feedback="Too slow"
    )
    assert (order.status, order.cancellation_reason, order.feedback) == ("cancelled", "Changed my mind", "Too slow")
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.payment_mode, refund.status) == (
        order.amount_paid,
        "original-payment-mode",
        "pending",
    )
    assert reload(order).has_refund


def test_cancel_an_unpaid_order_refunds_nothing_and_gives_points_back(shopper):
    points_adjust(customer=shopper, points=100, remarks="gift")
    order = place(shopper, outcome="failed", points=100)
    services.order_cancel(order=order, reason="Payment failed")
    assert not Refund.objects.exists()
    assert LoyaltyAccount.objects.get(customer=shopper).points_balance == 100
    assert order.payments.get().status == AttemptStatus.FAILED


def test_cancel_by_bank_transfer_needs_an_own_verified_account(shopper, other_shopper):
    order = place(shopper)
    with pytest.raises(InvalidInput) as exc:
        services.order_cancel(order=order, reason="x", refund_mode="bank-transfer")
    assert "bank_account_id" in exc.value.errors
    theirs = verified_bank_account(other_shopper)
    with pytest.raises(InvalidInput):
        services.order_cancel(order=order, reason="x", refund_mode="bank_transfer", bank_account_id=theirs.id)
    mine = verified_bank_account(shopper)
    mine.is_verified = False
    mine.save()
    with pytest.raises(InvalidInput):
        services.order_cancel(order=order, reason="x", refund_mode="bank-transfer", bank_account_id=mine.id)
    assert reload(order).status == OrderStatus.CONFIRMED
    mine.is_verified = True
    mine.save()
    services.order_cancel(order=order, reason="x", refund_mode="bank-transfer", bank_account_id=mine.id)
    assert Refund.objects.get(order=order).bank_account == mine


def test_cancel_is_refused_once_shipped(shopper):
    order = shipped(shopper)
    assert not lifecycle.is_cancellation_allowed(order)
    with pytest.raises(DomainError) as exc:
        services.order_cancel(order=order, reason="Too late")
    assert exc.value.code == "not_cancellable"
    assert reload(order).status == OrderStatus.SHIPPED and not Refund.objects.exists()


def test_cancel_needs_a_reason_and_a_known_refund_mode(shopper):
    order = place(shopper)
    with pytest.raises(InvalidInput):
        services.order_cancel(order=order, reason="  ")
    with pytest.raises(InvalidInput):
        services.order_cancel(order=order, reason="x", refund_mode="cash")


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_cancels_give_exactly_one_success(shopper):
    order = place(shopper)
    outcomes = []

    def cancel():
        services.order_cancel(order=order, reason="Duplicate")
        outcomes.append("ok")

    errors = run_together(*[cancel for _ in range(50)])
    assert outcomes == ["ok"]
    assert len(errors) == 49 and all(getattr(e, "code", None) == "not_cancellable" for e in errors)
    assert Refund.objects.filter(order=order).count() == 1


# --- payments -----------------------------------------------------------------------------


def test_retry_then_pay_through_the_gateway_callback(shopper):
    order = place(shopper, outcome="failed")
    info = services.payment_retry(order=order)
    assert info["gateway"] == "test" and info["payment_url"].endswith(info["request_number"])
    assert info["amount"] == order.to_be_paid
    assert not lifecycle.is_retry_available(reload(order))  # an attempt is in progress
    data = gateway_get("test").sign_callback(request_number=info["request_number"], outcome="success", reference="T1")
    services.payment_callback(data=data)
    order = reload(order)
    assert (order.status, order.payment_status, order.amount_paid) == ("confirmed", "success", order.to_be_paid)
    with pytest.raises(DomainError) as exc:
        services.payment_callback(data=data)  # the same callback again
    assert exc.value.code == "payment_already_settled"
    assert reload(order).amount_paid == order.to_be_paid


def test_a_failed_retry_can_be_retried_again(shopper):
    order = place(shopper, outcome="failed")
    info = services.payment_retry(order=order)
    services.payment_callback(
        data=gateway_get("test").sign_callback(request_number=info["request_number"], outcome="failure", reference="")
    )
    assert lifecycle.is_retry_available(reload(order))
    assert reload(order).payments.count() == 2


def test_forged_callbacks_are_refused(shopper):
    order = place(shopper, outcome="failed")
    info = services.payment_retry(order=order)
    data = gateway_get("test").sign_callback(request_number=info["request_number"], outcome="failure", reference="")
    with pytest.raises(BadRequest):
        services.payment_callback(data={**data, "outcome": "success"})
    assert reload(order).payment_status == PaymentStatus.FAILED


def test_retry_is_refused_when_not_available(shopper, settings):
    with pytest.raises(DomainError) as exc:
        services.payment_retry(order=place(shopper))  # paid
    assert exc.value.code == "retry_not_available"
    order = place(shopper, outcome="failed")
    Order.objects.filter(pk=order.pk).update(
        order_date=timezone.now() - timedelta(hours=settings.PAYMENT_RETRY_HOURS + 1)
    )
    assert not lifecycle.is_retry_available(reload(order))


# --- returns ------------------------------------------------------------------------------


def lines(order, *quantities, resolution="refund"):
    return [
        services.ReturnRequestLine(order_item=item, quantity=q, reason="Damaged", resolution=resolution)
        for item, q in zip(order.items.all(), quantities, strict=False)  # quantities of the first items
        if q
    ]


def test_return_only_delivered_items_within_the_window(shopper, settings):
    with pytest.raises(DomainError) as exc:
        services.return_create(order=shipped(shopper), lines=lines(shipped(shopper), 1))
    assert exc.value.code == "not_returnable"
    old = delivered(shopper, delivered_at=timezone.now() - timedelta(days=settings.RETURN_WINDOW_DAYS + 1))
    with pytest.raises(DomainError) as exc:
        services.return_create(order=old, lines=lines(old, 1))
    assert exc.value.code == "return_window_closed"


def test_return_quantities_are_bounded_by_delivered_minus_held(shopper):
    order = delivered(shopper, quantities=(2, 1))
    first = services.return_create(order=order, lines=lines(order, 1))
    with pytest.raises(DomainError) as exc:
        services.return_create(order=order, lines=lines(order, 2))
    assert exc.value.code == "quantity_exceeded"
    services.return_create(order=order, lines=lines(order, 1, 1))
    with pytest.raises(DomainError):
        services.return_create(order=order, lines=lines(order, 0, 1))
    services.return_cancel(order_return=first, reason="Found a use for it")
    services.return_create(order=order, lines=lines(order, 1))  # the cancelled return gave it back
    assert ReturnItem.objects.filter(order_return__status="created").count() == 3


def test_return_lifecycle_refund(shopper):
    order = completed(shopper, quantities=(2, 1))
    earned = order.loyalty_points_earned
    order_return = services.return_create(order=order, lines=lines(order, 1))
    with pytest.raises(DomainError):
        services.return_receive(order_return=order_return)  # not approved yet
    services.return_approve(order_return=order_return)
    with pytest.raises(DomainError) as exc:
        services.return_complete(order_return=order_return)
    assert exc.value.code == "not_received"
    services.return_receive(order_return=order_return)
    order_return = services.return_complete(order_return=order_return)
    assert order_return.status == ReturnStatus.COMPLETE
    refund = Refund.objects.get(order_return=order_return)
    assert refund.amount == Decimal("799.00")
    account = LoyaltyAccount.objects.get(customer=shopper)
    taken = PointsEntry.objects.get(account=account, kind="earn-reversal").points
    assert taken == int(earned * Decimal("799.00") / order.grand_total)
    assert account.points_balance == earned - taken


def test_return_lifecycle_replacement(shopper):
    order = delivered(shopper, quantities=(2, 1))
    order_return = services.return_create(order=order, lines=lines(order, 0, 1, resolution="replacement"))
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    order_return = services.return_complete(order_return=order_return)
    replacement = order_return.replacement_order
    assert replacement.grand_total == 0 and replacement.status == OrderStatus.CONFIRMED
    assert [(i.sku, i.quantity) for i in replacement.items.all()] == [("SKU-0002", 1)]
    assert replacement.shipping_address["city"] == "Bengaluru"
    assert not Refund.objects.exists()


def test_reject_needs_a_reason_and_frees_the_quantity(shopper):
    order = delivered(shopper, quantities=(1,))
    order_return = services.return_create(order=order, lines=lines(order, 1))
    with pytest.raises(InvalidInput):
        services.return_reject(order_return=order_return, reason="")
    services.return_reject(order_return=order_return, reason="Used item")
    assert OrderReturn.objects.get(pk=order_return.pk).status == ReturnStatus.REJECTED
    with pytest.raises(DomainError):
        services.return_approve(order_return=order_return)
    with pytest.raises(DomainError):
        services.return_cancel(order_return=order_return, reason="")
    services.return_create(order=order, lines=lines(order, 1))


@pytest.mark.django_db(transaction=True)
def test_parallel_returns_never_exceed_the_delivered_quantity(shopper):
    order = delivered(shopper, quantities=(3,))
    errors = run_together(*[(lambda: services.return_create(order=order, lines=lines(order, 1))) for _ in range(10)])
    held = sum(ReturnItem.objects.filter(order_return__order=order).values_list("quantity", flat=True))
    assert held == 3 and len(errors) == 7
    assert all(getattr(e, "code", None) == "quantity_exceeded" for e in errors)


# --- refunds ------------------------------------------------------------------------------


def test_refund_lifecycle(shopper):
    order = services.order_cancel(order=place(shopper), reason="x")
    refund = Refund.objects.get(order=order)
    services.refund_issue(refund=refund)
    with pytest.raises(DomainError):
        services.refund_issue(refund=refund)
    refund = services.refund_succeed(refund=refund, reference="UTR123")
    assert refund.status == RefundStatus.SUCCESS and refund.refund_date is not None
    with pytest.raises(DomainError):
        services.refund_fail(refund=refund, remarks="late")


def test_refund_can_fail_with_remarks(shopper):
    order = services.order_cancel(order=place(shopper), reason="x")
    refund = Refund.objects.get(order=order)
    with pytest.raises(InvalidInput):
        services.refund_fail(refund=refund, remarks="")
    assert services.refund_fail(refund=refund, remarks="Account closed").status == RefundStatus.FAILED


def test_shipment_return_flag(shopper, settings):
    order = delivered(shopper)
    shipment = order.shipments.get()
    assert shipment.status == ShipmentStatus.DELIVERED and lifecycle.is_shipment_returnable(shipment)
    later = timezone.now() + timedelta(days=settings.RETURN_WINDOW_DAYS + 1)
    assert not lifecycle.is_shipment_returnable(shipment, now=later)
