"""The back office for customers and staff: groups, the customer page, deactivation, sign-in."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import AuthSession
from accounts.tokens import session_start
from common.testing import admin_action
from orders.tests.factories import verified_bank_account

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


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
    page = client.get(f"{USERS}{shopper.pk}/change/")
    assert page.status_code == 200
    assert shopper.password.encode() not in page.content and b"md5$" not in page.content
    assert b"123456789012" not in page.content and b"XXXXXXXX9012" in page.content
    assert client.get("/admin/accounts/otptoken/").status_code == 404
    found = client.get(USERS, {"q": shopper.phone})
    assert shopper.email.encode() in found.content


def test_manager_deactivates_a_customer(staff_client, shopper):
    client = staff_client("Managers")
    session = session_start(user=shopper).session
    admin_action(client, USERS, "deactivate", [shopper])
    shopper.refresh_from_db()
    assert not shopper.is_active and AuthSession.objects.get(pk=session.pk).ended_at is not None


def test_support_cannot_deactivate_but_may_look(staff_client, shopper):
    client = staff_client("Support")
    client.post(USERS, {"action": "deactivate", "_selected_action": [shopper.pk]})
    assert type(shopper).objects.get(pk=shopper.pk).is_active
    assert client.get(f"{USERS}{shopper.pk}/change/").status_code == 200


def test_admin_sign_in_accepts_email_or_phone(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert client.login(username="admin@example.com", password="admin-pass-123")
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(username="+91 98765 43210", password="demo-pass-123")
    assert not client.login(username="demo@example.com", password="wrong")


def test_customer_page_links_to_their_orders_and_returns(staff_client, shopper, other_shopper):
    from orders import services
    from orders.tests.factories import delivered, place

    other = other_shopper
    theirs, others = delivered(shopper, quantities=(1,)), place(other)
    order_return = services.return_create(
        order=theirs,
        lines=[
            services.ReturnRequestLine(order_item=theirs.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    client = staff_client("Support")
    page = client.get(f"{USERS}{shopper.pk}/change/").content.decode()
    orders_url = f"/admin/orders/order/?customer={shopper.pk}"
    returns_url = f"/admin/orders/orderreturn/?order__customer={shopper.pk}"
    assert f'href="{orders_url}">Their orders' in page and f'href="{returns_url}">Their returns' in page
    orders = client.get(orders_url)
    assert orders.status_code == 200 and theirs.number in orders.content.decode()
    assert others.number not in orders.content.decode()
    returns = client.get(returns_url)
    assert returns.status_code == 200 and order_return.request_number in returns.content.decode()
    elsewhere = client.get(f"/admin/orders/orderreturn/?order__customer={other.pk}").content.decode()
    assert order_return.request_number not in elsewhere
