"""The rewards page explains itself (issue 20, "Rewards that explain themselves"): what a point is
worth, how to use points, what each tier gives, how far the next tier is, and activity rows that
link to their orders."""

import re
from decimal import Decimal

import pytest

from loyalty import services
from loyalty.models import Tier
from orders.tests.factories import completed, place

pytestmark = pytest.mark.django_db

PAGE = "/account/rewards/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_points_worth_comes_from_the_setting_checkout_uses(signed_in, shopper, settings):
    services.points_adjust(customer=shopper, points=200, remarks="Welcome")
    settings.LOYALTY_POINT_VALUE = "0.50"
    text = _text(signed_in.get(PAGE))
    assert "1 point = ₹0.50 off an order" in text and "Worth ₹100.00 off your orders" in text
    assert "each takes ₹0.50 off, up to the order's total" in text


def test_how_to_use_points_says_when_they_unlock_and_expire(signed_in, settings):
    settings.RETURN_WINDOW_DAYS, settings.LOYALTY_POINTS_EXPIRY_MONTHS = 10, 6
    text = _text(signed_in.get(PAGE))
    assert "once its return window closes (10 days after delivery)" in text
    assert "expire 6 months after you earn them" in text


def test_each_tier_says_what_it_gives_from_the_tier_data(signed_in, tiers):
    Tier.objects.filter(pk=tiers["Gold"].pk).update(earn_multiplier=Decimal("2.00"))
    text = _text(signed_in.get(PAGE))
    assert "Silver Your tier Every member 100 points per ₹1,000.00 1× points" in text
    assert "Gold From ₹25,000.00 spent 200 points per ₹1,000.00 2× points" in text
    assert "Platinum From ₹1,00,000.00 spent 150 points per ₹1,000.00 1.50× points" in text


def test_the_next_tier_shows_how_far_with_a_progress_bar(signed_in, shopper):
    services.points_award(customer=shopper, order_number="ORD-1", amount=Decimal("10000"))
    page = signed_in.get(PAGE).content.decode()
    assert 'value="40"' in page and 'for="tier-progress"' in page
    assert "Spend ₹15,000.00 more to reach Gold" in _text(signed_in.get(PAGE))
    services.points_award(customer=shopper, order_number="ORD-2", amount=Decimal("40000"))
    text = _text(signed_in.get(PAGE))
    assert "Spend ₹50,000.00 more to reach Platinum" in text and "33% of the way" in text  # 25,000 of 75,000


def test_at_the_top_tier_the_page_says_so(signed_in, shopper):
    services.points_award(customer=shopper, order_number="ORD-1", amount=Decimal("150000"))
    page = signed_in.get(PAGE).content.decode()
    assert "You are in our top tier." in page and "<progress" not in page


def test_activity_rows_link_to_their_orders_and_only_to_the_shoppers_own(signed_in, shopper, other_shopper):
    order = completed(shopper, quantities=(1,))
    theirs = completed(other_shopper, quantities=(1,))
    services.points_adjust(customer=shopper, points=5, remarks="Bonus")
    # An entry that names someone else's order number (staff typed it) links nowhere.
    services.points_award(customer=shopper, order_number=theirs.number, amount=Decimal("100"))
    page = signed_in.get(PAGE).content.decode()
    assert f'href="/account/orders/{order.number}/">Earned on order {order.number}</a>' in page
    assert f"/account/orders/{theirs.number}/" not in page


def test_a_row_whose_title_names_no_order_links_it_below(signed_in, shopper):
    order = place(shopper)
    services.points_award(customer=shopper, order_number=order.number, amount=Decimal("30000"))  # reaches Gold
    page = signed_in.get(PAGE).content.decode()
    link = f'<a class="small" href="/account/orders/{order.number}/">Order {order.number}</a>'
    assert f"Upgraded to Gold<br>{link}" in page


def test_the_page_stays_within_its_query_budget(signed_in, shopper, django_assert_max_num_queries):
    for n in range(5):
        completed(shopper, quantities=(1,))
        services.points_adjust(customer=shopper, points=5, remarks=f"Bonus {n}")
    with django_assert_max_num_queries(11):  # the page's 9, the tiers and the activity's orders
        assert signed_in.get(PAGE).status_code == 200
