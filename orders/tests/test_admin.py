import pytest

from orders.models import OrderReturn

from .factories import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, make_user):
    staff = make_user(email="staff@example.com", phone="9000011111")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


def test_staff_approve_receive_and_complete_a_return_in_admin(staff_client, shopper):
    from orders import services

    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    order_return = services.return_create(
        order=order, lines=[services.ReturnRequestLine(order_item=item, quantity=1, reason="Torn", resolution="refund")]
    )
    url = "/admin/orders/orderreturn/"
    assert staff_client.get(url).status_code == 200
    for action in ("approve", "receive", "complete"):
        response = staff_client.post(url, {"action": action, "_selected_action": [order_return.pk]}, follow=True)
        assert response.status_code == 200
    order_return = OrderReturn.objects.get(pk=order_return.pk)
    assert order_return.status == "complete" and order_return.refunds.count() == 1
    again = staff_client.post(url, {"action": "approve", "_selected_action": [order_return.pk]}, follow=True)
    assert b"Only a new return can be approved" in again.content


def test_bank_account_admin_masks_the_number(staff_client, shopper):
    from .factories import verified_bank_account

    account = verified_bank_account(shopper)
    page = staff_client.get(f"/admin/customers/bankaccount/{account.pk}/change/")
    assert page.status_code == 200
    assert b"123456789012" not in page.content and b"XXXXXXXX9012" in page.content
    listing = staff_client.get("/admin/customers/bankaccount/")
    assert b"123456789012" not in listing.content
