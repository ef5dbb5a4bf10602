"""The website's rewards page, and where the website shows loyalty when the program is off."""

import pytest

from loyalty import services
from loyalty.models import LoyaltyAccount

pytestmark = pytest.mark.django_db


def test_rewards_page(signed_in, shopper, django_assert_max_num_queries):
    assert b"No points yet" in signed_in.get("/account/rewards/").content
    for n in range(20):
        services.points_adjust(customer=shopper, points=5, remarks=f"Bonus {n}")
    with django_assert_max_num_queries(9):
        page = signed_in.get("/account/rewards/")
    assert b"100 <small>points</small>" in page.content and b"Page 1 of 2" in page.content


def test_with_the_program_off_no_page_link_or_card_shows_points(signed_in, shopper, settings):
    on = signed_in.get("/account/").content.decode()
    assert 'href="/account/rewards/"' in on and 'id="rewards-h"' in on
    LoyaltyAccount.objects.all().delete()
    settings.LOYALTY_ENABLED = False
    assert signed_in.get("/account/rewards/").status_code == 404
    for url in ("/account/", "/account/orders/", "/account/profile/"):
        page = signed_in.get(url).content.decode()
        assert "/account/rewards/" not in page and "Rewards" not in page, url
    assert not LoyaltyAccount.objects.exists()  # the overview opened no account either
