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


@pytest.mark.parametrize(
    "written", ["+91 98765 43210", "098765 43210", "9876543210", "+91-98765-43210", "0091 9876543210"]
)
def test_users_are_found_by_a_phone_as_written(staff_client, make_user, written, django_assert_max_num_queries):
    meera = make_user(email="meera@example.com", phone="9876543210", first_name="Meera")
    other = make_user(email="other@example.com", phone="9876500000", first_name="Olu")
    client = staff_client("Support")
    client.get(USERS)  # warm the session and permission caches
    with django_assert_max_num_queries(8):
        page = client.get(USERS, {"q": written}).content.decode()
    assert f"{USERS}{meera.pk}/change/" in page and meera.email in page and "1 result" in page
    assert other.email not in page
    assert "+91 98765 43210" in page  # the list writes it as the shopper's pages do


def test_users_are_found_by_an_order_or_return_number(staff_client, shopper, other_shopper):
    from orders import services
    from orders.tests.factories import delivered, place

    order, others = place(shopper), place(other_shopper)
    client = staff_client("Support")
    for term in (order.number, order.number.lower(), f"  {order.number} "):
        page = client.get(USERS, {"q": term}).content.decode()
        assert shopper.email in page and other_shopper.email not in page, term
    assert other_shopper.email in client.get(USERS, {"q": others.number}).content.decode()
    returned = delivered(shopper, quantities=(1,))
    order_return = services.return_create(
        order=returned,
        lines=[
            services.ReturnRequestLine(order_item=returned.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    page = client.get(USERS, {"q": order_return.request_number}).content.decode()
    assert shopper.email in page and other_shopper.email not in page


def test_the_users_search_takes_odd_input_calmly(staff_client, shopper):
    client = staff_client("Support")
    for term in ("ORD-NOSUCH", "+", "+91", "9" * 400, "x" * 5000, "Meera"):
        response = client.get(USERS, {"q": term})
        assert response.status_code == 200
        assert (shopper.email in response.content.decode()) == (term == "Meera")
    assert client.get(USERS, {"q": "98765\x0043210"}).status_code == 400
