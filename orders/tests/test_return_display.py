"""What the website says about a return (issue 20, "Returns that say what happens"): the refund and
where it goes, the pickup address, the return window, the status as shoppers say it, the
timeline, the confirmation before cancelling, and open returns on the order list and its items."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders import services
from orders.lifecycle import return_window_closes
from orders.models import Order, OrderReturn, Refund, RefundStatus, Resolution
from orders.selectors import returns_for_order
from orders.selectors_returns import return_outcome, return_timeline

from .factories import delivered, place, verified_bank_account

pytestmark = pytest.mark.django_db

PICKUP = {
    "first_name": "Meera",
    "last_name": "Nair",
    "phone": "9123456780",
    "address_line1": "12 MG Road",
    "address_line2": None,
    "pincode": "560001",
    "city": "Bengaluru",
    "state": "Karnataka",
    "country": "India",
}


def _request(order, *, resolutions=(Resolution.REFUND,), pickup_address=None) -> OrderReturn:
    items = list(order.items.all())
    return services.return_create(
        order=order,
        pickup_address=pickup_address,
        lines=[
            services.ReturnRequestLine(order_item=item, quantity=1, reason="Too small", resolution=resolution)
            for item, resolution in zip(items, resolutions, strict=False)  # the first len(resolutions) items
        ],
    )


def _loaded(order_return):
    """The return and its order as the order page loads them (items, refunds prefetched)."""
    order = Order.objects.prefetch_related("refunds__bank_account").get(pk=order_return.order_id)
    return returns_for_order(order=order).get(pk=order_return.pk), order


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_order_page_says_what_a_requested_return_gives_back_where_from_and_until_when(signed_in, shopper):
    order = delivered(shopper, quantities=(2, 1))
    order_return = _request(order)
    text = _text(signed_in.get(f"/account/orders/{order.number}/"))
    outcome = return_outcome(*_loaded(order_return))
    assert outcome.amount > 0
    assert f"Return {order_return.request_number} Requested" in text
    assert f"Expected refund ₹{outcome.amount:,.2f} to the card, UPI or wallet you paid with" in text
    assert order.shipping_address["address_line1"] in text  # no pickup address given: the shipping one
    closes = return_window_closes(order)
    assert f"can be returned until {timezone.localtime(closes):%-d %b %Y}" in text  # shop time


def test_a_pickup_address_given_with_the_request_is_the_one_shown(signed_in, shopper):
    order = delivered(shopper, quantities=(1,))
    _request(order, pickup_address=PICKUP)
    assert "12 MG Road" in _text(signed_in.get(f"/account/orders/{order.number}/"))


def test_the_expected_refund_is_what_completing_the_return_refunds(shopper):
    order = delivered(shopper, quantities=(2, 1), points=0)
    order_return = _request(order, resolutions=(Resolution.REFUND, Resolution.REPLACEMENT))
    expected = return_outcome(*_loaded(order_return))
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    account = verified_bank_account(shopper)
    services.return_complete(order_return=order_return, refund_mode="bank-transfer", bank_account_id=account.id)
    refund = Refund.objects.get(order_return=order_return)
    started = return_outcome(*_loaded(order_return))
    # Issued but not yet succeeded: "Refund started ..., expected by", never "Refunded".
    assert expected.amount == refund.amount == started.amount and not expected.settled
    assert started.started and not started.settled and started.expected_by is not None
    assert started.destination == f"your bank account {account}"
    if refund.status == RefundStatus.PENDING:
        services.refund_issue(refund=refund)
    services.refund_succeed(refund=Refund.objects.get(pk=refund.pk), reference="UTR123")
    settled = return_outcome(*_loaded(order_return))
    assert settled.settled and not settled.started and settled.expected_by is None


def test_an_order_paid_partly_in_points_gives_back_money_and_points_as_completing_does(signed_in, shopper):
    from loyalty.models import PointsEntry
    from loyalty.services import points_adjust

    points_adjust(customer=shopper, points=300, remarks="Welcome")
    order = delivered(shopper, quantities=(2, 1), points=300)
    order_return = _request(order)
    expected = return_outcome(*_loaded(order_return))
    assert (
        f"₹{expected.amount:,.2f} to the card, UPI or wallet you paid with, and {expected.points} points back to "
        "your rewards"
    ) in _text(signed_in.get(f"/account/orders/{order.number}/"))
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    services.return_complete(order_return=order_return)
    given_back = PointsEntry.objects.get(kind="redeem-reversal", reference_number=order.number)
    assert 0 < expected.points == given_back.points
    assert expected.amount == Refund.objects.get(order_return=order_return).amount


def test_a_replacement_only_return_promises_no_refund(signed_in, shopper):
    order = delivered(shopper, quantities=(1,))
    order_return = _request(order, resolutions=(Resolution.REPLACEMENT,))
    assert return_outcome(*_loaded(order_return)) is None
    assert "refund" not in _text(signed_in.get(f"/account/orders/{order.number}/")).split("Returns")[-1].lower()


def _states(order_return):
    return [(step.label, step.state, step.date is not None) for step in return_timeline(_loaded(order_return)[0])]


def test_the_timeline_walks_a_return_from_request_to_refund_and_replacement(shopper):
    order = delivered(shopper, quantities=(2, 1))
    order_return = _request(order, resolutions=(Resolution.REFUND, Resolution.REPLACEMENT))
    assert _states(order_return) == [
        ("Requested", "current", True),
        ("Approved", "upcoming", False),
        ("Picked up", "upcoming", False),
        ("Refunded and replacement sent", "upcoming", False),
    ]
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    assert [s for s in _states(order_return) if s[1] == "current"] == [("Picked up", "current", True)]
    services.return_complete(order_return=order_return)
    assert _states(order_return)[-1] == ("Refund started and replacement sent", "current", True)
    refund = Refund.objects.get(order_return=order_return)
    if refund.status == RefundStatus.PENDING:
        services.refund_issue(refund=refund)
    services.refund_succeed(refund=Refund.objects.get(pk=refund.pk), reference="UTR124")
    assert _states(order_return)[-1] == ("Refunded and replacement sent", "current", True)
    assert [s[1] for s in _states(order_return)] == ["done", "done", "done", "current"]


def test_a_rejected_or_cancelled_return_stops_its_timeline_there(shopper):
    order = delivered(shopper, quantities=(2, 1))
    rejected = services.return_reject(order_return=_request(order), reason="Used")
    assert _states(rejected) == [("Requested", "done", True), ("Rejected", "stopped", True)]
    cancelled = services.return_cancel(order_return=_request(order), reason="")
    assert _states(cancelled) == [("Requested", "done", True), ("Cancelled", "stopped", True)]
    assert return_outcome(*_loaded(rejected)) is None and return_outcome(*_loaded(cancelled)) is None


def test_the_timeline_marks_its_current_step_for_screen_readers(signed_in, shopper):
    order = delivered(shopper, quantities=(1,))
    _request(order)
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert re.search(r'<li class="step-current" aria-current="step">\s*<span class="step-label">Requested', page)


def test_the_admin_shows_the_same_status_label(staff_client, shopper):
    _request(delivered(shopper, quantities=(1,)))
    page = staff_client("Support").get("/admin/orders/orderreturn/").content.decode()
    assert ">Requested<" in page and ">Created<" not in page


def test_an_open_return_shows_on_its_item_and_in_the_order_list(signed_in, shopper):
    order = delivered(shopper, quantities=(2, 1))
    order_return = _request(order)
    first, second = order.items.all()
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    note = f"Return requested — {order_return.request_number}"
    cells = {
        sku: cell
        for cell in re.findall(r"<td[^>]*>.*?</td>", page, re.S)
        for sku in (first.sku, second.sku)
        if f"SKU {sku}<" in cell
    }
    assert note in cells[first.sku] and note not in cells[second.sku]
    with CaptureQueriesContext(connection) as queries:
        listing = _text(signed_in.get("/account/orders/?sort=oldest"))
    assert listing.count("Return requested") == 1
    assert len([q for q in queries if 'FROM "orders_orderreturn"' in q["sql"]]) == 1  # one for the page
    services.return_approve(order_return=order_return)
    assert "Return approved" in _text(signed_in.get("/account/orders/"))
    services.return_receive(order_return=order_return)
    services.return_complete(order_return=order_return)
    listing = _text(signed_in.get("/account/orders/"))
    assert "Return approved" not in listing and "Return requested" not in listing
    assert note not in _text(signed_in.get(f"/account/orders/{order.number}/"))


def test_no_return_is_looked_up_for_a_page_of_orders_none_can_have(signed_in, shopper):
    place(shopper)
    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/account/orders/")
    assert not [q for q in queries if 'FROM "orders_orderreturn"' in q["sql"]]


def test_cancelling_a_return_asks_first_then_cancels_through_the_service(signed_in, shopper):
    order = delivered(shopper, quantities=(1,))
    order_return = _request(order)
    detail = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    confirm_url = f"/account/orders/{order.number}/returns/{order_return.request_number}/cancel/confirm/"
    assert f'href="{confirm_url}"' in detail and f'returns/{order_return.request_number}/cancel/"' not in detail
    confirm = signed_in.get(confirm_url)
    assert confirm.status_code == 200 and "Yes, cancel this return" in _text(confirm)
    assert OrderReturn.objects.get(pk=order_return.pk).status == "created"  # asking changes nothing
    done = signed_in.post(
        f"/account/orders/{order.number}/returns/{order_return.request_number}/cancel/",
        {"reason": "Found it fits"},
        follow=True,
    )
    assert "Return cancelled." in _text(done)
    cancelled = OrderReturn.objects.get(pk=order_return.pk)
    assert cancelled.status == "cancelled" and cancelled.cancellation_reason == "Found it fits"
    again = _text(signed_in.get(confirm_url))
    assert "can no longer be cancelled: it is cancelled" in again and "Yes, cancel" not in again


def test_the_confirmation_page_is_only_for_the_shoppers_own_returns(signed_in, shopper, other_shopper):
    mine = delivered(shopper, quantities=(1,))
    theirs = delivered(other_shopper, quantities=(1,))
    their_return = _request(theirs)
    for number, reference in (
        (theirs.number, their_return.request_number),
        (mine.number, their_return.request_number),
        (mine.number, "RET-NOPE"),
    ):
        assert signed_in.get(f"/account/orders/{number}/returns/{reference}/cancel/confirm/").status_code == 404


def test_the_return_window_date_follows_the_setting(signed_in, shopper, settings):
    order = delivered(shopper, quantities=(1,))
    _request(order)
    settings.RETURN_WINDOW_DAYS = 30
    closes = Order.objects.get(pk=order.pk).delivered_at + timedelta(days=30)
    assert f"can be returned until {timezone.localtime(closes):%-d %b %Y}" in _text(
        signed_in.get(f"/account/orders/{order.number}/")
    )


def test_a_completed_return_with_its_refund_on_the_way_says_refund_started_everywhere(signed_in, shopper):
    """Screenshots of the return page read "Return RET-…: completed" above an amber "Refund
    started", and the order's payments table "Pending" for the same refund; one rule now words a
    return (selectors_returns.return_headline) and a refund (lifecycle.refund_words)."""
    order = delivered(shopper, quantities=(2, 1), points=0)
    order_return = _request(order, resolutions=(Resolution.REFUND, Resolution.REPLACEMENT))
    services.return_approve(order_return=order_return)
    services.return_receive(order_return=order_return)
    services.return_complete(order_return=order_return)
    order_return.refresh_from_db()
    refund = Refund.objects.get(order_return=order_return)
    assert refund.status != RefundStatus.SUCCESS and order_return.replacement_order is not None

    page = _text(signed_in.get(f"/account/orders/{order.number}/returns/{order_return.request_number}/"))
    assert f"Return {order_return.request_number}: refund started" in page and "completed" not in page.lower()
    assert f"Replacement Order {order_return.replacement_order.number}" in page
    assert "Return window" not in page  # nothing more to send back once a return is finished

    order_page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert '<span class="badge warn">Refund started</span>' in order_page
    assert ">Pending<" not in order_page and "Original payment mode" not in order_page
    assert "Refund to the card you paid with" in _text(signed_in.get(f"/account/orders/{order.number}/"))
