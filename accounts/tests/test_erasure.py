"""Leaving: erase the account's personal data; and taking one's data along (export)."""

import pytest

from accounts.models import AuthSession, User
from common.testing import API, PASSWORD, assert_error
from common.tests.imagefiles import jpeg_with_gps, upload
from customers.models import Address, BankAccount, Subscription
from customers.tests.factories import make_address, make_product
from orders import services as orders
from orders.models import Order
from orders.tests.factories import delivered, place, verified_bank_account
from reviews.models import Review
from reviews.services import review_approve, review_submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def full_account(shopper):
    from accounts.services import profile_image_set

    profile_image_set(user=shopper, upload=upload(jpeg_with_gps()))
    order = delivered(shopper, quantities=(1,))
    product = order.items.get().product
    review_approve(review=review_submit(customer=shopper, product=product, rating=5, review_text="Great"))
    account = verified_bank_account(shopper)
    orders.order_cancel(order=place(shopper), reason="x", refund_mode="bank-transfer", bank_account_id=account.id)
    home = make_address(shopper, nickname="Second")
    Subscription.objects.create(customer=shopper, product=make_product(9), shipping_address=home, billing_address=home)
    return {"order": order, "product": product}


def test_erase_removes_personal_data_and_keeps_the_books(client_for, shopper, full_account):
    client = client_for(shopper)
    assert_error(client.delete(f"{API}/auth/user/{shopper.id}", {"password": "wrong"}, format="json"),
                 400, "invalid_password")
    response = client.delete(f"{API}/auth/user/{shopper.id}", {"password": PASSWORD}, format="json")
    assert response.status_code == 200 and "content" not in response.json()

    user = User.objects.get(pk=shopper.pk)
    assert not user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name, user.phone, user.profile_image.name or None) == ("", "", None, None)
    assert user.email.endswith("@erased.invalid")
    assert not Address.objects.filter(customer=user).exists()
    husk = BankAccount.objects.get(customer=user)  # a refund points at it
    assert husk.account_number == "9012" and husk.account_name == ""
    assert not Review.objects.filter(customer=user).exists()
    full_account["product"].refresh_from_db()
    assert full_account["product"].review_count == 0
    assert not Subscription.objects.filter(customer=user, status="active").exists()
    assert not AuthSession.objects.filter(user=user, ended_at__isnull=True).exists()
    kept = Order.objects.get(pk=full_account["order"].pk)
    assert kept.shipping_address["first_name"] == "Meera"  # the order keeps its snapshot
    assert_error(client.get(f"{API}/auth/user/{shopper.id}"), 401, "unauthorized")
    from rest_framework.test import APIClient

    login = APIClient().post(f"{API}/auth/login/password", {"email": "shopper@example.com", "password": PASSWORD},
                             format="json")
    assert_error(login, 401, "unauthorized")


def test_export_has_everything_and_no_full_account_number(client_for, shopper, full_account):
    response = client_for(shopper).get(f"{API}/auth/user/{shopper.id}/export")
    export = response.json()["content"]["export"]
    assert set(export) == {"user", "addresses", "bank_accounts", "orders", "loyalty", "loyalty_points_activity",
                           "reviews"}
    assert export["user"]["email"] == "shopper@example.com" and len(export["orders"]) == 2
    assert export["reviews"][0]["rating"] == 5 and export["addresses"]
    assert "123456789012" not in response.content.decode()
