"""The outbox with a real Celery worker (`celery -A config worker`, a separate process) on
Redis, sending email to a real SMTP server (aiosmtpd, in this process) and reading the test
database. The tests commit (`transaction=True`) so that the worker sees their rows.

Redis database 11 is the broker here (WORKER_TEST_REDIS to change it); it is emptied first.
Without Redis they skip, saying so (common.testing.require_service).
"""

import os
import time

import pytest
import redis
from django.db import connection, transaction

from accounts.models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS
from config.celery import app as celery_app
from notifications import services
from notifications.models import Kind, Message, MessageStatus
from notifications.tasks import message_send_task
from notifications.tests.smtp import Inbox, Worker, smtp_server

REDIS = os.environ.get("WORKER_TEST_REDIS", "redis://127.0.0.1:6379/11")
DONE = {MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SKIPPED}

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.requires_service("redis")]


@pytest.fixture(scope="module")
def smtp():
    inbox = Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, smtp, tmp_path_factory):
    with django_db_blocker.unblock():
        url = database_url()
    redis.Redis.from_url(REDIS).flushdb()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS,
        "CELERY_BROKER_URL": REDIS,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp[1]),
        "SMS_BACKEND": "accounts.messaging.LoggingSmsBackend",
        # A wishlist alert's fan-out in chunks of 2 shoppers, so a few shoppers cross chunks.
        "WISHLIST_ALERT_CHUNK": "2",
    }
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    with open(log_path, "w") as log:
        running = Worker(env, log)
        yield running
        running.stop()


@pytest.fixture(autouse=True)
def queued_on_redis(settings, smtp):
    """This process only queues (as a web server with REDIS_URL does); the worker sends."""
    settings.NOTIFICATIONS_QUEUED = True
    before = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=REDIS, task_always_eager=False)
    smtp[0].messages.clear()
    yield
    # The connection pool stays: it points at this same Redis for the next test.
    celery_app.conf.update(before)


def wait_until(check, seconds=45):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish in time")
        time.sleep(0.1)


def all_done():
    return not Message.objects.exclude(status__in=DONE).exists()


def broker_empty():
    broker = redis.Redis.from_url(REDIS)
    return broker.llen("celery") == 0 and broker.hlen("unacked") == 0


def delivered(shopper, kind=Kind.TRANSACTIONAL):
    with transaction.atomic():
        return services.notify(
            customer=shopper,
            event="order_delivered",
            kind=kind,
            context={
                "order_number": f"ORD-{kind[:5].upper()}",
                "order_path": "/account/orders/x/",
                "headline": "Delivered 4 Dec",
            },
        )


def test_a_message_queued_while_no_worker_runs_is_sent_once_a_worker_starts(worker, shopper, smtp):
    worker.stop()
    messages = delivered(shopper)
    assert redis.Redis.from_url(REDIS).llen("celery") == 3  # waiting in the broker
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.QUEUED}
    worker.start()
    wait_until(lambda: all_done() and broker_empty())
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert len(messages) == 3 and [m["Subject"] for m in smtp[0].messages] == ["Order ORD-TRANS: Delivered 4 Dec"]
    assert smtp[0].messages[0]["To"] == "shopper@example.com"


def test_preferences_per_kind_and_channel_and_security_notices_despite_them(worker, shopper, other_shopper, smtp):
    worker.start()
    on = {("transactional", "sms"), ("promotional", "email"), ("newsletter", "whatsapp")}
    shopper.notification_preferences = {k: {c: (k, c) in on for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    shopper.save()
    other_shopper.notification_preferences = {k: {c: False for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    other_shopper.save()
    for kind in NOTIFICATION_KINDS:
        delivered(shopper, kind=kind)
    with transaction.atomic():
        services.notice_queue(
            channel="email",
            to=other_shopper.email,
            subject="Your password changed",
            body="Your password was changed.",
            user=other_shopper,
        )
    wait_until(all_done)
    outcome = {(m.kind, m.channel): m.status for m in Message.objects.filter(user=shopper)}
    assert outcome == {
        (k, c): MessageStatus.SENT if (k, c) in on else MessageStatus.SKIPPED
        for k in NOTIFICATION_KINDS
        for c in NOTIFICATION_CHANNELS
    }
    assert sorted((m["To"], m["Subject"]) for m in smtp[0].messages) == [
        ("other@example.com", "Your password changed"),
        ("shopper@example.com", "Order ORD-PROMO: Delivered 4 Dec"),
    ]


def test_a_failing_mail_server_is_retried_and_the_message_sent_once_it_recovers(worker, shopper, smtp):
    worker.start()
    shopper.notification_preferences = {"transactional": {"email": True}}
    shopper.save()
    smtp[0].refuse = 2
    delivered(shopper)
    email_message = Message.objects.get(channel="email")
    wait_until(lambda: Message.objects.get(pk=email_message.pk).status in DONE)
    email_message.refresh_from_db()
    assert (email_message.status, email_message.attempts) == (MessageStatus.SENT, 3)
    assert email_message.last_error == "SMTPDataError: (451, b'4.3.0 Mail server busy, try again later')"
    assert [m["Subject"] for m in smtp[0].messages] == ["Order ORD-TRANS: Delivered 4 Dec"]


def test_nothing_is_sent_twice_when_the_send_task_runs_again(worker, shopper, smtp):
    worker.start()
    shopper.notification_preferences = {"transactional": {"email": True}}
    shopper.save()
    delivered(shopper)
    email_message = Message.objects.get(channel="email")
    message_send_task.delay(email_message.pk)  # the same message handed over twice more
    message_send_task.delay(email_message.pk)
    wait_until(lambda: all_done() and broker_empty())
    email_message.refresh_from_db()
    assert (email_message.status, email_message.attempts) == (MessageStatus.SENT, 1)
    assert len(smtp[0].messages) == 1


def test_a_sign_in_code_goes_through_the_worker_and_no_log_line_holds_it(worker, shopper, smtp):
    """accounts' code task (accounts.tasks): one task per request, known address or not; the
    worker sends the known one's code and drops the unknown one's empty task."""
    from accounts import signin

    worker.start()
    known = signin.sign_in_code_send(channel="email", email=shopper.email)
    signin.sign_in_code_send(channel="email", email="nobody@example.com")
    wait_until(lambda: smtp[0].messages and broker_empty())
    [message] = smtp[0].messages
    assert (message["To"], message["Subject"]) == (shopper.email, "Your sign-in code")
    assert message.get_payload().startswith(f"{known.code} is your code")
    worker.stop()  # its log is complete
    log = open(worker.log.name).read()
    assert log.count("accounts.tasks.otp_messages_send_task") >= 2 and known.code not in log


def test_a_price_drop_sends_one_message_per_opted_in_shopper_and_none_to_one_who_opted_out(
    worker, shopper, other_shopper, make_user, smtp
):
    """Staff lower a wishlisted product's price: the worker fans the change out (the staff request
    only hands it one task, notifications.wishlist_alerts) in chunks, and sends each shopper who
    wants offers by email one message; the shopper who turned offers off gets none, and saving
    again adds nothing."""
    from decimal import Decimal
    from email.header import decode_header, make_header

    from catalog import services as catalog
    from catalog.models import Product
    from customers.tests.factories import make_product

    worker.start()
    third = make_user(email="third@example.com", phone="9222222222")
    third.is_email_verified = True  # offers go only to proven addresses (notifications.services)
    third.save()
    product = make_product(name="Darjeeling Tea")
    for user, offers in ((shopper, True), (third, True), (other_shopper, False)):
        user.notification_preferences = {"promotional": {"email": offers, "sms": False, "whatsapp": False}}
        user.save()
        catalog.wishlist_add(customer=user, product_id=product.pk)
    for _ in range(2):  # the same edit saved twice is one change
        edited = Product.objects.get(pk=product.pk)
        edited.selling_price = Decimal("599.00")
        catalog.product_save(product=edited)
    wait_until(lambda: Message.objects.exists() and all_done() and broker_empty())
    assert sorted((m["To"], str(make_header(decode_header(m["Subject"])))) for m in smtp[0].messages) == [
        ("shopper@example.com", "Price drop: Darjeeling Tea is now ₹599.00"),
        ("third@example.com", "Price drop: Darjeeling Tea is now ₹599.00"),
    ]
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in smtp[0].messages)
    assert not Message.objects.filter(user=other_shopper).exists()
    assert set(Message.objects.filter(status=MessageStatus.SENT).values_list("kind", flat=True)) == {Kind.PROMOTIONAL}
    worker.stop()  # its log is complete
    log = open(worker.log.name).read()
    assert log.count("notifications.wishlist_alert_task") >= 2  # received and succeeded: one change, one task
    assert "Task notifications.wishlist_alert_task" in log and "succeeded" in log
