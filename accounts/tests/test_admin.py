"""The back office for customers, loyalty, bank accounts and reviews."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import AuthSession
from accounts.tokens import session_start
from loyalty.models import LoyaltyAccount
from orders.tests.factories import delivered, verified_bank_account
from reviews.models import Review
from reviews.services import review_submit

pytestmark = pytest.mark.django_db


def act(client, url, action, objs, **form):
    data = {"action": action, "_selected_action": [o.pk for o in objs], **form}
    if form:
        data["apply"] = "1"
    return client.post(url, data, follow=True)


def test_groups_exist_with_their_powers():
    from django.contrib.auth.models import Permission

    from accounts.staff import staff_groups_sync

    staff_groups_sync(Group, Permission)
    support = set(Group.objects.get(name="Support").permissions.values_list("codename", flat=True))
    assert {"view_order", "view_user", "act_on_returns", "act_on_refunds", "moderate_reviews"} <= support
    assert not {"run_order_actions", "adjust_points", "change_user", "deactivate_customers"} & support
    managers = Group.objects.get(name="Managers").permissions.values_list("codename", flat=True)
    assert {"run_order_actions", "adjust_points", "deactivate_customers", "change_product"} <= set(managers)


def test_customer_page_shows_no_secrets(staff_client, shopper):
    client = staff_client("Managers")
    verified_bank_account(shopper)
    page = client.get(f"/admin/accounts/user/{shopper.pk}/change/")
    assert page.status_code == 200
    assert shopper.password.encode() not in page.content and b"md5$" not in page.content
    assert b"123456789012" not in page.content and b"XXXXXXXX9012" in page.content
    assert client.get("/admin/accounts/otptoken/").status_code == 404
    found = client.get("/admin/accounts/user/", {"q": shopper.phone})
    assert shopper.email.encode() in found.content


def test_manager_deactivates_a_customer(staff_client, shopper):
    client = staff_client("Managers")
    session = session_start(user=shopper).session
    act(client, "/admin/accounts/user/", "deactivate", [shopper])
    shopper.refresh_from_db()
    assert not shopper.is_active and AuthSession.objects.get(pk=session.pk).ended_at is not None


def test_support_cannot_deactivate_or_adjust_points(staff_client, shopper):
    from loyalty.services import loyalty_account_ensure

    client = staff_client("Support")
    account = loyalty_account_ensure(customer=shopper)
    client.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [shopper.pk]})
    assert type(shopper).objects.get(pk=shopper.pk).is_active
    act(client, "/admin/loyalty/loyaltyaccount/", "adjust", [account], points="50", activity="bonus", remarks="x")
    assert LoyaltyAccount.objects.get(pk=account.pk).points_balance == 0
    assert client.get(f"/admin/accounts/user/{shopper.pk}/change/").status_code == 200  # may look


def test_manager_adjusts_points_with_remarks(staff_client, shopper):
    from loyalty.services import loyalty_account_ensure

    client = staff_client("Managers")
    account = loyalty_account_ensure(customer=shopper)
    page = act(client, "/admin/loyalty/loyaltyaccount/", "adjust", [account], points="50", activity="bonus", remarks="")
    assert b"This field is required." in page.content
    act(client, "/admin/loyalty/loyaltyaccount/", "adjust", [account], points="50", activity="bonus",
        remarks="Sorry for the delay")
    assert LoyaltyAccount.objects.get(pk=account.pk).points_balance == 50
    refused = act(client, "/admin/loyalty/loyaltyaccount/", "adjust", [account], points="-80", activity="other",
                  remarks="Correction")
    assert b"cannot go below zero" in refused.content


def test_bank_account_verification(staff_client, shopper):
    from customers.services import bank_account_create

    account = bank_account_create(customer=shopper, data={"account_name": "M", "account_number": "123456789012",
                                                          "ifsc_code": "HDFC0001234", "bank_name": "HDFC"})
    support = staff_client("Support")
    act(support, "/admin/customers/bankaccount/", "verify", [account])
    account.refresh_from_db()
    assert not account.is_verified
    managers = staff_client("Managers")
    act(managers, "/admin/customers/bankaccount/", "verify", [account])
    account.refresh_from_db()
    assert account.is_verified


def test_support_moderates_reviews_in_bulk(staff_client, shopper, other_shopper):
    client = staff_client("Support")
    reviews = []
    for customer in (shopper, other_shopper):
        product = delivered(customer, quantities=(1,)).items.get().product
        reviews.append(review_submit(customer=customer, product=product, rating=4, review_text="Fine"))
    act(client, "/admin/reviews/review/", "approve", reviews)
    assert set(Review.objects.values_list("status", flat=True)) == {"approved"}
    act(client, "/admin/reviews/review/", "reject", reviews[:1], reason="Spam")
    assert Review.objects.get(pk=reviews[0].pk).status == "rejected"
    product = reviews[0].product
    product.refresh_from_db()
    assert product.review_count == 1
