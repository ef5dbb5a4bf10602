"""The back office home page: a work queue of what waits for staff, each count a link to the
list of exactly those rows, for staff allowed to see them."""

import pytest
from django.test import Client

from orders import services
from orders.models import Refund
from orders.tests.factories import delivered, place

pytestmark = pytest.mark.django_db


def _queue(page: str) -> dict[str, tuple[int, str]]:
    section = page.split('<section class="module work-queue"', 1)[1].split("</section>", 1)[0]
    lines = {}
    for item in section.split("<li>")[1:]:
        url = item.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        count = int(item.split("</strong>", 1)[0].rsplit(">", 1)[1])
        label = item.split("</strong>", 1)[1].split("</a>", 1)[0].strip()
        lines[label] = (count, url)
    return lines


def _waiting_work(shopper):
    """Two paid orders to ship, one shipped, one new return, one failed refund."""
    place(shopper), place(shopper)
    order = delivered(shopper, quantities=(1,))
    services.return_create(
        order=order,
        lines=[
            services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason="Torn", resolution="refund")
        ],
    )
    refund = Refund.objects.get(order=services.order_cancel(order=place(shopper), reason="Out of stock"))
    services.refund_fail(refund=refund, remarks="Card expired")


def test_the_home_page_counts_what_waits_and_links_to_it(staff_client, shopper, django_assert_max_num_queries):
    _waiting_work(shopper)
    client = staff_client("Support")
    client.get("/admin/")  # warm the session and permission caches
    with django_assert_max_num_queries(9):  # session, user, permissions x2, the three counts, the log
        page = client.get("/admin/").content.decode()
    queue = _queue(page)
    assert queue == {
        "Returns to approve": (1, "/admin/orders/orderreturn/?status__exact=created"),
        "Orders to ship": (2, "/admin/orders/order/?status__in=confirmed,awaiting_shipment,partially_scheduled"),
        "Refunds that failed": (1, "/admin/orders/refund/?status__exact=failed"),
    }
    # Each link opens the list of exactly those rows.
    for count, url in queue.values():
        listing = client.get(url)
        assert listing.status_code == 200
        rows = listing.content.decode().split('id="result_list"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert rows.count("<tr") == count, url


def test_the_queue_is_for_staff_who_may_see_the_lists(make_user, shopper):
    _waiting_work(shopper)
    clerk = make_user(email="clerk@example.com", phone=None)
    clerk.is_staff = True
    clerk.save()
    client = Client()
    client.force_login(clerk)
    page = client.get("/admin/").content.decode()
    assert page.count("work-queue") == 0 and "Returns to approve" not in page
    assert Client().get("/admin/").status_code == 302  # signed out: to the sign-in page
