"""The account overview, through Django's test client."""

import pytest

from orders.tests.factories import delivered

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboard(signed_in, shopper, django_assert_max_num_queries):
    for _ in range(3):
        delivered(shopper, quantities=(1, 1))
    signed_in.get("/account/")  # the first visit opens the loyalty membership
    with django_assert_max_num_queries(12):
        page = signed_in.get("/account/")
    assert b"Recent orders" in page.content and b"Waiting for your review" in page.content
