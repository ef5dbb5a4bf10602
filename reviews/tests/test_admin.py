"""The back office for reviews: moderation, one by one or in bulk."""

import pytest

from common.testing import admin_action
from orders.tests.factories import delivered
from reviews.models import Review

from .factories import first_product, submit

pytestmark = pytest.mark.django_db


def test_moderation_in_admin(client, make_user, shopper):
    staff = make_user(email="staff@example.com", phone="9000011111")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    product = first_product(delivered(shopper, quantities=(1,)))
    review = submit(shopper, product, rating=4)
    response = admin_action(client, "/admin/reviews/review/", "approve", [review])
    assert response.status_code == 200
    review.refresh_from_db()
    product.refresh_from_db()
    assert review.status == "approved" and review.moderated_by == staff and product.review_count == 1


def test_support_moderates_reviews_in_bulk(staff_client, shopper, other_shopper):
    client = staff_client("Support")
    reviews = []
    for customer in (shopper, other_shopper):
        product = delivered(customer, quantities=(1,)).items.get().product
        reviews.append(submit(customer, product, rating=4, text="Fine"))
    admin_action(client, "/admin/reviews/review/", "approve", reviews)
    assert set(Review.objects.values_list("status", flat=True)) == {"approved"}
    admin_action(client, "/admin/reviews/review/", "reject", reviews[:1], reason="Spam")
    assert Review.objects.get(pk=reviews[0].pk).status == "rejected"
    product = reviews[0].product
    product.refresh_from_db()
    assert product.review_count == 1
