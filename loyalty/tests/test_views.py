import pytest

from loyalty import services

pytestmark = pytest.mark.django_db


def test_rewards_page(client, shopper, django_assert_max_num_queries, settings):
    client.force_login(shopper)
    assert b"No points yet" in client.get("/account/rewards/").content
    for n in range(20):
        services.points_adjust(customer=shopper, points=5, remarks=f"Bonus {n}")
    with django_assert_max_num_queries(9):
        page = client.get("/account/rewards/")
    assert b"100 <small>points</small>" in page.content and b"Page 1 of 2" in page.content
    settings.LOYALTY_ENABLED = False
    assert client.get("/account/rewards/").status_code == 404
