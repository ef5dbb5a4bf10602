"""Loyalty endpoints (CONTRACT.md section 8)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.testing import API, assert_error
from loyalty import services
from loyalty.models import LoyaltyAccount, PointsEntry

pytestmark = pytest.mark.django_db


def url(user, suffix):
    return f"{API}/customers/{user.id}/{suffix}"


def test_summary_has_the_contract_fields(client_for, shopper):
    services.points_award(customer=shopper, order_number="ORD-1", amount=Decimal("4000"))
    services.points_award(
        customer=shopper, order_number="ORD-2", amount=Decimal("1000"), clears_at=timezone.now() + timedelta(days=5)
    )
    loyalty = client_for(shopper).get(url(shopper, "loyalty")).json()["content"]["loyalty"]
    assert set(loyalty) == {
        "membership_number",
        "date_of_join",
        "date_of_assign",
        "date_of_reset",
        "current_tier",
        "points_earned",
        "points_redeemed",
        "points_balance",
        "points_redeemable",
        "total_orders",
        "lifetime_orders",
        "total_spent",
        "lifetime_spent",
        "lifetime_savings",
    }
    assert loyalty["current_tier"] == "Silver"
    assert (loyalty["points_balance"], loyalty["points_redeemable"]) == (500, 400)
    assert loyalty["total_spent"] == 5000.0 and loyalty["total_orders"] == 2
    assert loyalty["date_of_join"].endswith("Z") and loyalty["date_of_reset"] is None


def test_activity_is_paginated_newest_first(client_for, shopper):
    for n in range(5):
        services.points_adjust(customer=shopper, points=10 + n, remarks=f"Bonus {n}")
    content = client_for(shopper).get(url(shopper, "loyalty-points-activity"), {"limit": 2}).json()["content"]
    activity = content["loyalty_points_activity"]
    assert [a["loyalty_points"] for a in activity] == [14, 13]
    assert set(activity[0]) == {
        "action",
        "activity",
        "reference_number",
        "title",
        "loyalty_points",
        "remarks",
        "created_at",
        "modified_at",
    }
    assert activity[0]["action"] == "add" and activity[0]["activity"] == "bonus"
    assert activity[0]["reference_number"] is None and activity[0]["remarks"] == "Bonus 4"
    assert content["pagination"]["total_records"] == 5 and content["pagination"]["next_page"] == 2
    asc = client_for(shopper).get(url(shopper, "loyalty-points-activity"), {"sort_by": '{"created_at":"asc"}'})
    assert asc.json()["content"]["loyalty_points_activity"][0]["loyalty_points"] == 10
    bad = client_for(shopper).get(url(shopper, "loyalty-points-activity"), {"sort_by": '{"points":"asc"}'})
    assert_error(bad, 400, "bad_request")


@pytest.mark.parametrize("count", [2, 40])
def test_activity_query_count_is_constant(client_for, shopper, django_assert_num_queries, count):
    account = services.loyalty_account_ensure(customer=shopper)
    PointsEntry.objects.bulk_create(
        [
            PointsEntry(account=account, action="add", activity="bonus", kind="adjustment", points=1, title="x")
            for _ in range(count)
        ]
    )
    client = client_for(shopper)
    client.get(url(shopper, "loyalty-points-activity"))  # the session and user are in the cache from now on
    with django_assert_num_queries(2):  # count, page
        response = client.get(url(shopper, "loyalty-points-activity"), {"limit": 100})
    assert len(response.json()["content"]["loyalty_points_activity"]) == count


def test_disabled_program_answers_404(client_for, shopper, settings):
    settings.LOYALTY_ENABLED = False
    for suffix in ("loyalty", "loyalty-points-activity"):
        assert_error(client_for(shopper).get(url(shopper, suffix)), 404, "loyalty_disabled")
    assert not LoyaltyAccount.objects.exists()  # asking opened no account


def test_ownership(api, client_for, shopper, other_shopper):
    services.points_adjust(customer=other_shopper, points=10, remarks="theirs")
    for suffix in ("loyalty", "loyalty-points-activity"):
        assert_error(client_for(shopper).get(url(other_shopper, suffix)), 403, "forbidden")
        assert_error(api.get(url(shopper, suffix)), 401, "unauthorized")
    mine = client_for(shopper).get(url(shopper, "loyalty-points-activity")).json()["content"]
    assert mine["loyalty_points_activity"] == []
