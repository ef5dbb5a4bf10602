"""Wishlist alerts: staff lower a saved product's price or bring it back, and each shopper who
saved it hears once, as a promotional message (per-channel switches, one-click unsubscribe);
nothing to a shopper who turned promotions off, nothing more for the same change."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS
from catalog import services as catalog
from catalog.models import Product
from catalog.selectors import wishlist_holders
from customers.tests.factories import make_product
from notifications import wishlist_alerts
from notifications.models import Kind, Message, MessageStatus

pytestmark = pytest.mark.django_db


def promotions(user, **channels):
    prefs = {k: {c: k == "transactional" for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    prefs["promotional"].update(channels)
    user.notification_preferences = prefs
    user.save()


def change(product, capture, **fields):
    product = Product.objects.get(pk=product.pk)
    for field, value in fields.items():
        setattr(product, field, value)
    with capture(execute=True):
        catalog.product_save(product=product)


@pytest.fixture
def tea(shopper, other_shopper, make_user, settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example.com/p/{slug}"
    product = make_product(name="Darjeeling Tea", slug="darjeeling-tea")
    never_saved = make_user(email="third@example.com", phone="9222222222")
    promotions(never_saved, email=True)
    for user in (shopper, other_shopper):
        catalog.wishlist_add(customer=user, product_id=product.pk)
    return product


def test_a_price_drop_reaches_each_opted_in_shopper_once(
    tea, shopper, other_shopper, mailoutbox, text_outbox, django_capture_on_commit_callbacks
):
    promotions(shopper, email=True, sms=False)
    promotions(other_shopper)  # promotions off on every channel
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("599.00"))

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["shopper@example.com"], "Price drop: Darjeeling Tea is now ₹599.00")
    ]
    email = mailoutbox[0]
    assert "now costs ₹599.00 (it was ₹799.00)" in email.body
    assert "Buy it: https://shop.example.com/p/darjeeling-tea" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert text_outbox == []  # SMS turned off
    rows = Message.objects.filter(event="wishlist_price_drop")
    assert {(m.user_id, m.channel, m.status) for m in rows} == {
        (shopper.pk, "email", MessageStatus.SENT),
        (shopper.pk, "sms", MessageStatus.SKIPPED),
        (shopper.pk, "whatsapp", MessageStatus.SKIPPED),
    }
    assert set(rows.values_list("kind", flat=True)) == {Kind.PROMOTIONAL}

    # The same edit saved again, and a dearer price: nothing more.
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("599.00"))
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("650.00"))
    assert len(mailoutbox) == 1


def test_the_handler_run_twice_for_one_change_writes_once(tea, shopper, mailoutbox, django_capture_on_commit_callbacks):
    promotions(shopper, email=True)
    product = Product.objects.get(pk=tea.pk)
    with django_capture_on_commit_callbacks(execute=True):
        told = [
            wishlist_alerts.wishlist_price_dropped(product=product, previous_price=Decimal("900"), change_id="C1")
            for _ in range(2)
        ]
    assert told == [1, 0]
    assert Message.objects.filter(user=shopper, channel="email").count() == 1
    assert len(mailoutbox) == 1


def test_back_in_stock_and_the_unsubscribe_link_stops_the_next(
    tea, shopper, mailoutbox, django_capture_on_commit_callbacks
):
    promotions(shopper, email=True)
    change(tea, django_capture_on_commit_callbacks, stock_available=False)
    assert mailoutbox == []
    change(tea, django_capture_on_commit_callbacks, stock_available=True)
    assert [m.subject for m in mailoutbox] == ["Back in stock: Darjeeling Tea"]
    assert "is back in stock at ₹799.00" in mailoutbox[0].body

    link = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://127.0.0.1:8000")
    assert Client().post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    shopper.refresh_from_db()
    assert shopper.notification_preferences["promotional"]["email"] is False
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("500.00"))
    assert len(mailoutbox) == 1
    assert not Message.objects.filter(event="wishlist_price_drop").exists()  # nobody left to tell


def test_removed_or_erased_shoppers_hear_nothing(tea, shopper, mailoutbox, django_capture_on_commit_callbacks):
    promotions(shopper, email=True)
    catalog.wishlist_remove(customer=shopper, product_id=tea.pk)
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("100.00"))
    assert mailoutbox == [] and not Message.objects.filter(user=shopper).exists()


def test_an_alert_no_longer_true_when_due_is_not_sent(tea, shopper, mailoutbox, django_capture_on_commit_callbacks):
    """Queued, then the shopper removed the product or staff raised the price again: skipped."""
    from notifications.services import message_send

    promotions(shopper, email=True)
    product = Product.objects.get(pk=tea.pk)
    for change_id in ("A", "B", "C"):
        with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
            wishlist_alerts.wishlist_price_dropped(product=product, previous_price=Decimal("900"), change_id=change_id)
    first, second, third = (Message.objects.get(once_key=f"wishlist-{c}", channel="email") for c in "ABC")
    assert message_send(message_id=first.pk) == MessageStatus.SENT
    Product.objects.filter(pk=tea.pk).update(selling_price=Decimal("850.00"))
    assert message_send(message_id=second.pk) == MessageStatus.SKIPPED
    Product.objects.filter(pk=tea.pk).update(selling_price=Decimal("799.00"))
    catalog.wishlist_remove(customer=shopper, product_id=tea.pk)
    assert message_send(message_id=third.pk) == MessageStatus.SKIPPED
    assert len(mailoutbox) == 1
    assert Message.objects.get(pk=second.pk).last_error == "No longer true when it was due."


def test_offers_go_only_to_addresses_the_shopper_proved(
    tea, shopper, make_user, mailoutbox, text_outbox, django_capture_on_commit_callbacks
):
    """A review found an account could type a stranger's email (never proved), switch offers on
    and save a product: the stranger then got the price drops. Promotional and newsletter kinds
    now go to verified addresses only; an order's messages still go where it was placed from."""
    typed = make_user(email="stranger@example.com", phone="9333333333")
    typed.is_email_verified, typed.is_phone_verified = False, True
    typed.save()
    promotions(typed, email=True, sms=True)
    catalog.wishlist_add(customer=typed, product_id=tea.pk)
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("599.00"))

    assert not Message.objects.filter(user=typed, to="stranger@example.com").exists()
    assert all(m.to != ["stranger@example.com"] for m in mailoutbox)
    assert Message.objects.filter(user=typed, kind=Kind.PROMOTIONAL, channel="sms").exists()


# --- the fan-out runs in the worker, in chunks ------------------------------------------------


def _savers(make_user, product, count, *, offers=True):
    users = []
    for n in range(count):
        n += 0 if offers else 50
        user = make_user(email=f"saver{n}@example.com", phone=f"98{n:08d}")
        user.is_email_verified = True
        user.save()
        promotions(user, email=offers)
        catalog.wishlist_add(customer=user, product_id=product.pk)
        users.append(user)
    return users


@pytest.fixture
def queued(settings, monkeypatch):
    """As a web server with a broker: the staff request only hands tasks over (recorded here)."""
    settings.NOTIFICATIONS_QUEUED = True
    handed = []
    monkeypatch.setattr(wishlist_alerts.wishlist_alert_task, "delay", lambda **change: handed.append(change))
    return handed


def test_the_staff_request_hands_one_task_over_and_writes_no_row(
    tea, make_user, queued, django_capture_on_commit_callbacks
):
    """30 shoppers saved it: the save's request writes no outbox row and runs no more statements
    than with none; it hands the worker one task, with the change as it was."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _savers(make_user, tea, 30)
    product = Product.objects.get(pk=tea.pk)
    product.selling_price = Decimal("599.00")
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        catalog.product_save(product=product)
    assert not Message.objects.exists()
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SAVEPOINT", "SELECT", "UPDATE", "RELEASE"]
    [change] = queued
    assert change == {
        "product_id": tea.pk,
        "price": "599.00",
        "change_id": change["change_id"],
        "previous_price": "799.00",
    }


def test_the_task_writes_in_chunks_once_per_change(
    tea, make_user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """5 shoppers who want offers, 1 who does not, 2 a chunk: three chunks, each one INSERT into
    the outbox; run again for the same change (a worker lost mid-way), nothing more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.WISHLIST_ALERT_CHUNK = 2
    wanting = _savers(make_user, tea, 5)
    _savers(make_user, tea, 1, offers=False)
    Product.objects.filter(pk=tea.pk).update(selling_price=Decimal("599.00"))
    change = {"product_id": tea.pk, "price": "599.00", "change_id": "C9", "previous_price": "799.00"}
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        told = wishlist_alerts.wishlist_alert_task(**change)
    inserts = [q for q in queries.captured_queries if re.match(r"INSERT .*INTO \"notifications_message\"", q["sql"])]
    # One INSERT for each chunk of 2 (in id order) with someone who wants offers: at least 3.
    holders = list(wishlist_holders(product_id=tea.pk))
    chunks = [holders[i : i + 2] for i in range(0, len(holders), 2)]
    assert told == 5 and len(inserts) == sum(any(u in wanting for u in chunk) for chunk in chunks) >= 3
    rows = Message.objects.filter(event="wishlist_price_drop", once_key="wishlist-C9")
    assert {m.user_id for m in rows} == {u.pk for u in wanting}
    assert wishlist_alerts.wishlist_alert_task(**change) == 0
    assert Message.objects.filter(once_key="wishlist-C9").count() == rows.count()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in wanting)  # sent in-process here
    assert all("now costs ₹599.00 (it was ₹799.00)" in m.body for m in mailoutbox)


def test_with_the_broker_down_the_request_fans_out_itself(
    tea, shopper, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """Redis down: the alert is not lost, the request writes it as it used to (and the rows wait
    for the broker; sent here at once, for the test to read)."""
    from kombu.exceptions import OperationalError

    from notifications.services import message_send

    def broker_down(**change):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    promotions(shopper, email=True)
    settings.NOTIFICATIONS_QUEUED = True  # a broker is configured, but it does not answer
    monkeypatch.setattr(wishlist_alerts.wishlist_alert_task, "delay", broker_down)
    monkeypatch.setattr("notifications.services.message_send_task.delay", lambda pk: message_send(message_id=pk))
    change(tea, django_capture_on_commit_callbacks, selling_price=Decimal("599.00"))
    assert [m.subject for m in mailoutbox] == ["Price drop: Darjeeling Tea is now ₹599.00"]


def test_a_product_deleted_before_the_task_runs_tells_nobody(tea, shopper):
    promotions(shopper, email=True)
    product_id = tea.pk
    Product.objects.filter(pk=product_id).delete()
    assert wishlist_alerts.wishlist_alert_task(product_id=product_id, price="1.00", change_id="D1") == 0
    assert not Message.objects.exists()
