"""Returns that say what happens and rewards that explain themselves (issue 20, "What a shop account
is expected to have"), walked in a real browser on a laptop and on a phone-sized screen."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_fits_the_screen, sign_in, snapshot
from .test_journeys import go


def _shopper():
    from accounts.models import User

    return User.objects.get(email="demo@example.com")


def _delivered_order():
    from orders.models import Order

    return Order.objects.get(customer=_shopper(), status="delivered")


def _looked_at(page, name, *, full_page=True):
    """The page fits the screen, passes axe-core as it stands, and is kept as a screenshot."""
    assert_fits_the_screen(page)
    assert_accessible(page)
    snapshot(page, name, full_page=full_page)


def test_a_return_says_what_happens_and_asks_before_it_is_cancelled(page):
    sign_in(page)
    go(page, "Orders")
    page.locator("article", has_text="Delivered").first.get_by_role("link", name=re.compile("^ORD-")).click()
    page.goto(f"/account/orders/{_delivered_order().number}/return/")  # the return form's own page (issue 26)
    page.get_by_label("Ayurvedic Herbal Shampoo", exact=True).select_option("1")
    page.get_by_label("Reason").select_option("Arrived damaged")
    page.get_by_role("radio", name="Refund").check()
    page.get_by_role("button", name="Request return").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Return RET-\w+ requested"))
    number = re.search(r"RET-\w+", page.get_by_role("status").inner_text()).group(0)

    summary = page.get_by_role("article", name=re.compile(f"Return {number}"))
    expect(summary.locator(".badge")).to_have_text("Requested")
    expect(summary.get_by_text(re.compile(r"₹[\d,]+\.\d\d to the card, UPI or wallet you paid with"))).to_be_visible()
    expect(summary.get_by_text("Pickup from")).to_be_visible()
    expect(summary.get_by_text(re.compile(r"can be returned until \d{1,2} \w{3} \d{4}"))).to_be_visible()
    steps = summary.get_by_role("list", name="Return progress").get_by_role("listitem")
    expect(steps).to_have_count(4)
    expect(summary.locator("[aria-current=step]")).to_contain_text("Requested")
    page.goto(f"/account/orders/{_delivered_order().number}/")
    summary = page.get_by_role("article", name=re.compile(f"Return {number}"))
    expect(
        page.get_by_role("row", name=re.compile("Ayurvedic Herbal Shampoo")).get_by_text(f"Return requested — {number}")
    ).to_be_visible()
    _looked_at(page, "returns-1-requested")

    go(page, "Orders")
    row = page.locator("article", has_text=_delivered_order().number)
    expect(row.get_by_text("Return requested")).to_be_visible()
    row.scroll_into_view_if_needed()
    _looked_at(page, "returns-2-order-list-badge", full_page=False)

    row.get_by_role("link", name=re.compile("^ORD-")).click()
    page.get_by_role("article", name=re.compile(f"Return {number}")).get_by_role(
        "link", name="Cancel this return"
    ).click()
    expect(page.get_by_role("heading", name=f"Cancel return {number}?")).to_be_visible()
    _looked_at(page, "returns-3-cancel-confirm")
    page.get_by_label("Why are you cancelling?").fill("It fits after all")
    page.get_by_role("button", name="Yes, cancel this return").click()
    expect(page.get_by_role("status")).to_contain_text("Return cancelled.")
    # A cancelled return is folded under "earlier returns", below the ones still under way.
    page.get_by_text(re.compile(r"1 earlier return")).click()
    summary = page.get_by_role("article", name=re.compile(f"Return {number}"))
    expect(summary.locator(".badge")).to_have_text("Cancelled")
    expect(summary.locator("[aria-current=step]")).to_contain_text("Cancelled")
    expect(summary.get_by_text("Expected refund")).to_have_count(0)
    expect(page.get_by_text(f"Return requested — {number}")).to_have_count(0)
    _looked_at(page, "returns-4-cancelled")


def test_a_completed_return_shows_every_step_and_where_the_refund_went(page):
    from orders import services
    from orders.models import Resolution

    order = _delivered_order()
    first, second = order.items.all()
    order_return = services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(
                order_item=first, quantity=1, reason="Arrived damaged", resolution=Resolution.REFUND
            ),
            services.ReturnRequestLine(
                order_item=second, quantity=1, reason="Wrong item", resolution=Resolution.REPLACEMENT
            ),
        ],
    )
    services.return_approve(order_return=order_return)
    sign_in(page)
    page.goto(f"/account/orders/{order.number}/")
    summary = page.get_by_role("article", name=re.compile(f"Return {order_return.request_number}"))
    expect(summary.locator("[aria-current=step]")).to_contain_text("Approved")
    expect(summary.get_by_text("Not yet")).to_have_count(2)
    _looked_at(page, "returns-5-approved")

    services.return_receive(order_return=order_return)
    services.return_complete(
        order_return=order_return, refund_mode="bank-transfer", bank_account_id=_shopper().bank_accounts.get().id
    )
    page.reload()
    summary = page.get_by_role("article", name=re.compile(f"Return {order_return.request_number}"))
    # Completed, but the bank has not confirmed the refund yet: "Refund started", not "Refunded".
    expect(summary.locator(".badge")).to_have_text("Refund started")
    expect(summary.locator("[aria-current=step]")).to_contain_text("Refund started and replacement sent")
    expect(summary.get_by_text(re.compile(r"expected by"))).to_be_visible()
    refund = order_return.refunds.get()
    if refund.status == "pending":
        services.refund_issue(refund=refund)
    services.refund_succeed(refund=order_return.refunds.get(), reference="UTR555")
    page.reload()
    summary = page.get_by_role("article", name=re.compile(f"Return {order_return.request_number}"))
    # Settled: the badge says what the return gave, in the timeline's own words.
    expect(summary.locator(".badge")).to_have_text("Refunded and replacement sent")
    expect(summary.locator("[aria-current=step]")).to_contain_text("Refunded and replacement sent")
    expect(summary.get_by_text("Not yet")).to_have_count(0)
    expect(summary.get_by_text(re.compile(r"to your bank account HDFC Bank"))).to_be_visible()
    expect(summary.get_by_role("link", name="Cancel this return")).to_have_count(0)
    _looked_at(page, "returns-6-completed")


@pytest.fixture(autouse=True)
def _tiers(transactional_db):
    """The tiers a migration creates, before the demo shopper joins: the journeys' database is
    emptied between tests, migration data included."""
    from loyalty.models import Tier

    for name, spend, multiplier in (("Silver", "0", "1.00"), ("Gold", "25000", "1.25"), ("Platinum", "100000", "1.50")):
        Tier.objects.get_or_create(
            name=name, defaults={"min_spend": Decimal(spend), "earn_multiplier": Decimal(multiplier)}
        )


def test_the_rewards_page_explains_points_and_tiers(page):
    from orders.models import Order

    complete = Order.objects.get(customer=_shopper(), status="complete")  # it earned points
    sign_in(page)
    go(page, "Rewards")
    expect(page.get_by_text(re.compile(r"^1 point = ₹1\.00"))).to_be_visible()
    how = page.get_by_role("region", name="How points work")
    expect(how.get_by_text(re.compile("choose how many points to use"))).to_be_visible()
    tiers = page.get_by_role("region", name="What each tier gives")
    expect(tiers.get_by_role("listitem")).to_have_count(3)
    expect(tiers.get_by_role("listitem").filter(has_text="Platinum")).to_contain_text("150 points per ₹1,000.00")
    expect(tiers.get_by_role("listitem").filter(has_text="Silver")).to_contain_text("Your tier")
    progress = page.get_by_role("progressbar", name=re.compile(r"Spend ₹[\d,]+\.\d\d more to reach Gold"))
    expect(progress).to_be_visible()
    _looked_at(page, "rewards-1-explained")

    activity = page.get_by_role("region", name="Points activity")
    activity.get_by_role("link", name=f"Earned on order {complete.number}").click()
    expect(page.get_by_role("heading", name=f"Order {complete.number}")).to_be_visible()
