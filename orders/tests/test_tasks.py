"""Orders' beat job: payment attempts past their expiry are settled as failed through the same
`settle_payment` as everywhere, so the shopper can retry at once and is told, with a link to pay;
running the job again changes nothing. Its scan reads a partial index of pending attempts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Message
from orders import lifecycle, tasks
from orders.models import AttemptStatus, Order, Payment, PaymentStatus
from orders.services.payments import payments_expire

from .factories import place

pytestmark = pytest.mark.django_db


def test_an_abandoned_attempt_fails_once_it_expires_and_the_shopper_may_retry(shopper):
    order = place(shopper, outcome="pending")
    attempt = order.payments.get()
    assert payments_expire() == 0  # not yet run out of time
    assert Payment.objects.get(pk=attempt.pk).status == AttemptStatus.PENDING

    Payment.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tasks.payments_expire_task() == 1
    attempt = Payment.objects.get(pk=attempt.pk)
    order = Order.objects.get(pk=order.pk)
    assert (attempt.status, attempt.failure_reason) == (AttemptStatus.FAILED, "Expired")
    assert order.payment_status == PaymentStatus.FAILED and lifecycle.is_retry_available(order)
    failed = Message.objects.get(event="payment_failed", channel="email")
    assert failed.context["payment_number"] == attempt.request_number
    assert failed.context["order_path"] == f"/account/orders/{order.number}/"

    assert tasks.payments_expire_task() == 0  # run twice: settled once, told once
    assert Message.objects.filter(event="payment_failed").count() == 3  # email, SMS, WhatsApp


def test_an_attempt_the_gateway_settled_meanwhile_is_left_alone(shopper):
    paid = place(shopper)  # settled as a success at once
    Payment.objects.filter(order=paid).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert payments_expire() == 0
    assert Payment.objects.get(order=paid).status == AttemptStatus.SUCCESS
    assert not Message.objects.filter(event="payment_failed").exists()


def test_the_expiry_scan_reads_the_partial_index_of_pending_attempts(shopper):
    place(shopper, outcome="pending")
    with CaptureQueriesContext(connection) as queries:
        payments_expire()
    scan = queries[0]["sql"]
    assert 'FROM "orders_payment"' in scan and "expires_at" in scan
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # as on a table too big to read whole
            cursor.execute(f"EXPLAIN {scan}")
        else:  # SQLite keeps partial indexes too, and says which one it reads
            cursor.execute(f"EXPLAIN QUERY PLAN {scan}")
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "orders_payment_pending_exp_idx" in plan
