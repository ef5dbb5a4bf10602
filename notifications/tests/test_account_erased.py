"""The "account erased" notice: a security notice, so it goes with every preference off, to the
addresses the account had, written before the erasure scrubs them and belonging to no account
afterwards. A failed erasure (wrong password) sends nothing. Plus the outbox's once-key, which
the reminders build on."""

import pytest
from django.db import transaction

from accounts.erasure import account_erase
from accounts.models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, User
from common.exceptions import InvalidInput
from common.testing import PASSWORD
from notifications import services
from notifications.models import Kind, Message, MessageStatus

pytestmark = pytest.mark.django_db


def test_the_erased_account_is_told_at_its_old_addresses_with_every_preference_off(
    shopper, mailoutbox, text_outbox, django_capture_on_commit_callbacks
):
    shopper.notification_preferences = {k: {c: False for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    shopper.save()
    services.notify(customer=shopper, event="order_delivered", context={"order_number": "ORD-1"})
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=shopper, password=PASSWORD)

    assert User.objects.get(pk=shopper.pk).email.endswith("@erased.invalid")
    notices = Message.objects.order_by("channel")
    assert [(m.channel, m.to, m.kind, m.user_id, m.status) for m in notices] == [
        ("email", "shopper@example.com", Kind.SECURITY, None, MessageStatus.SENT),
        ("sms", "+91 9123456780", Kind.SECURITY, None, MessageStatus.SENT),
    ]  # the shopper's own messages are gone with the account
    assert [(m.to, m.subject) for m in mailoutbox] == [(["shopper@example.com"], "Your account is erased")]
    assert "we erased your account" in mailoutbox[0].body
    assert [(t.channel, t.to) for t in text_outbox] == [("sms", "+91 9123456780")]


def test_a_refused_erasure_sends_nothing(shopper, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        account_erase(user=shopper, password="wrong password")
    assert not Message.objects.exists() and not mailoutbox


def test_a_once_key_writes_one_row_per_channel_however_often_it_is_queued(shopper):
    context = {
        "order_number": "ORD-1",
        "order_path": "/account/orders/ORD-1/",
        "products": ["Shirt"],
        "reviews_path": "/account/reviews/",
    }
    first = services.notify(
        customer=shopper,
        event="review_reminder",
        kind=Kind.PROMOTIONAL,
        context=context,
        once_key="review-reminder-ORD-1",
    )
    with transaction.atomic():
        again = services.notify(
            customer=shopper,
            event="review_reminder",
            kind=Kind.PROMOTIONAL,
            context=context,
            once_key="review-reminder-ORD-1",
        )
    assert len(first) == 3 and again == []
    other = services.notify(
        customer=shopper,
        event="review_reminder",
        kind=Kind.PROMOTIONAL,
        context=context,
        once_key="review-reminder-ORD-2",
    )
    plain = services.notify(customer=shopper, event="review_reminder", kind=Kind.PROMOTIONAL, context=context)
    assert len(other) == 3 and len(plain) == 3 and Message.objects.count() == 9
