"""One-click unsubscribe (RFC 8058): promotional and newsletter emails carry the two headers and a
signed link; a POST to it turns exactly that preference off without signing in, a GET only asks,
and a link that was altered (or is not ours) is a 400 page. Transactional emails and security
notices carry no unsubscribe at all."""

import pytest
from django.core import signing
from django.test import Client

from accounts.models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, User
from notifications import services
from notifications.models import Kind
from notifications.unsubscribe import SALT, unsubscribe_token

pytestmark = pytest.mark.django_db

CONTEXT = {
    "order_number": "ORD-1001",
    "order_path": "/account/orders/ORD-1001/",
    "total": "₹100.00",
    "products": ["Cotton shirt"],
    "reviews_path": "/account/reviews/",
}


def all_on(user):
    user.notification_preferences = {k: {c: True for c in NOTIFICATION_CHANNELS} for k in NOTIFICATION_KINDS}
    user.save()


def email_of(shopper, kind, event="review_reminder"):
    """Queue `event` of `kind` to the shopper and send its email; answers the sent email."""
    from django.core import mail

    message = next(
        m for m in services.notify(customer=shopper, event=event, kind=kind, context=CONTEXT) if m.channel == "email"
    )
    services.message_send(message_id=message.pk)
    return mail.outbox[-1]


def link_of(email) -> str:
    return email.extra_headers["List-Unsubscribe"].strip("<>")


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.mark.parametrize("kind", [Kind.PROMOTIONAL, Kind.NEWSLETTER])
def test_promotional_and_newsletter_emails_carry_one_click_unsubscribe(shopper, kind, mailoutbox):
    all_on(shopper)
    email = email_of(shopper, kind)
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = link_of(email)
    assert link.startswith("http://127.0.0.1:8000/account/unsubscribe/")
    assert signing.loads(path_of(link).split("/")[3], salt=SALT) == {"u": shopper.pk, "k": kind, "c": "email"}
    assert f"Unsubscribe from these emails: {link}" in email.body
    assert f'<a href="{link}"' in email.alternatives[0][0]
    # The message's header survives into the bytes the mail server receives.
    mime = email.message()
    assert mime["List-Unsubscribe"] == f"<{link}>" and mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_transactional_emails_and_security_notices_carry_none(shopper, mailoutbox):
    all_on(shopper)
    order_email = email_of(shopper, Kind.TRANSACTIONAL, event="order_delivered")
    notice = services.notice_queue(
        channel="email", to=shopper.email, subject="Your password changed", body="…", user=shopper
    )
    services.message_send(message_id=notice.pk)
    for email in (order_email, mailoutbox[-1]):
        assert "List-Unsubscribe" not in email.extra_headers and "List-Unsubscribe-Post" not in email.extra_headers
        assert "unsubscribe" not in email.body.lower()


def test_a_post_to_the_link_turns_off_exactly_that_preference_without_signing_in(shopper, mailoutbox):
    all_on(shopper)
    link = path_of(link_of(email_of(shopper, Kind.PROMOTIONAL)))
    mail_provider = Client(enforce_csrf_checks=True)  # no session, no CSRF token: RFC 8058's POST

    asked = mail_provider.get(link)  # what a mail scanner does: changes nothing
    assert asked.status_code == 200 and b"Unsubscribe</button>" in asked.content
    assert mail_provider.head(link).status_code == 200  # HEAD wherever GET works (RFC 9110)
    assert User.objects.get(pk=shopper.pk).notification_preferences["promotional"]["email"] is True

    done = mail_provider.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert b"no longer send promotional messages by email to shopper@example.com" in done.content
    preferences = User.objects.get(pk=shopper.pk).notification_preferences
    assert preferences["promotional"]["email"] is False
    everything_else = {(k, c): v for k, chans in preferences.items() for c, v in chans.items()}
    del everything_else[("promotional", "email")]
    assert set(everything_else.values()) == {True}
    assert mail_provider.post(link).status_code == 200  # pressed twice: still off, no error


def test_a_later_promotional_email_is_then_skipped(shopper, mailoutbox):
    all_on(shopper)
    link = path_of(link_of(email_of(shopper, Kind.PROMOTIONAL)))
    Client().post(link)
    message = next(
        m
        for m in services.notify(customer=shopper, event="review_reminder", kind=Kind.PROMOTIONAL, context=CONTEXT)
        if m.channel == "email"
    )
    assert services.message_send(message_id=message.pk) == "skipped"


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        signing.dumps({"u": "01JHS28V83KDWTRBXXJQRTEKA0", "k": "promotional", "c": "email"}, salt="another.salt"),
        signing.dumps({"u": "01JHS28V83KDWTRBXXJQRTEKA0", "k": "promotional", "c": "email"}, salt=SALT) + "x",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_or_foreign_link_is_a_400_page_and_changes_nothing(client, shopper, token, method):
    response = getattr(client, method)(f"/account/unsubscribe/{token}/")
    assert response.status_code == 400 and b"This link does not work" in response.content
    assert User.objects.get(pk=shopper.pk).notification_preferences == shopper.notification_preferences


@pytest.mark.parametrize("kind", [Kind.TRANSACTIONAL, Kind.SECURITY])
def test_a_signed_link_for_a_kind_one_cannot_leave_is_refused(client, shopper, kind):
    all_on(shopper)
    token = unsubscribe_token(user_id=shopper.pk, kind=kind, channel="email")
    assert client.post(f"/account/unsubscribe/{token}/").status_code == 400
    assert User.objects.get(pk=shopper.pk).notification_preferences["transactional"]["email"] is True


def test_other_methods_are_refused(client, shopper):
    token = unsubscribe_token(user_id=shopper.pk, kind=Kind.PROMOTIONAL, channel="email")
    assert client.put(f"/account/unsubscribe/{token}/").status_code == 405
