"""The development mailbox: with DEBUG, messages are kept and listed with their codes at
/dev/mailbox/, one console line each; not found with DEBUG off. And a quiet seed_demo."""

import io

import pytest
from django.core.management import call_command

from accounts.messaging import deliver
from portal.dev_mailbox import mailbox_latest, one_time_code

pytestmark = pytest.mark.django_db

MAILBOX = "/dev/mailbox/"


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.DEBUG = True
    settings.DEV_MAILBOX = True
    settings.DEV_MAILBOX_PATH = tmp_path / "mailbox.jsonl"
    settings.EMAIL_BACKEND = "portal.dev_mailbox.MailboxEmailBackend"
    settings.SMS_BACKEND = "portal.dev_mailbox.MailboxSmsBackend"
    return settings.DEV_MAILBOX_PATH


def test_codes_sent_in_development_are_listed_newest_first(client, mailbox, capsys):
    deliver(channel="email", to="asha@example.com", subject="Your sign-in code", body="482913 is your code to sign in.")
    deliver(channel="sms", to="+91 9876543210", subject="", body="Your code: 004211. It expires in 10 minutes.")
    deliver(channel="whatsapp", to="+91 9876543210", subject="", body="Order ORD-AJF67NWY58 of ₹1,048.00 shipped.")
    console = capsys.readouterr().err.splitlines()
    assert console == [
        "[mailbox] email to asha@example.com · code 482913 · /dev/mailbox/",
        "[mailbox] sms to +91 9876543210 · code 004211 · /dev/mailbox/",
        "[mailbox] whatsapp to +91 9876543210 · /dev/mailbox/",
    ]
    response = client.get(MAILBOX)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert page.index("WHATSAPP to +91 9876543210") < page.index("SMS to +91") < page.index("EMAIL to asha@")
    assert page.count('class="mailbox-code"') == 2
    assert ">004211</strong>" in page and ">482913</strong>" in page
    assert "Order ORD-AJF67NWY58 of ₹1,048.00 shipped." in page


def test_the_mailbox_keeps_the_latest_fifty(mailbox, capsys):
    for n in range(55):
        deliver(channel="sms", to="+91 9876543210", subject="", body=f"{100000 + n} is your code.")
    kept = mailbox_latest()
    assert len(kept) == 50 and kept[0]["code"] == "100054" and kept[-1]["code"] == "100005"


def test_the_mailbox_page_is_not_found_without_debug(client, mailbox, settings):
    settings.DEBUG = False
    assert client.get(MAILBOX).status_code == 404
    settings.DEBUG, settings.DEV_MAILBOX = True, False
    assert client.get(MAILBOX).status_code == 404


def test_an_empty_mailbox_says_where_to_start(client, mailbox):
    page = client.get(MAILBOX).content.decode()
    assert "No messages yet." in page and 'href="/account/sign-in/"' in page


@pytest.mark.parametrize(
    "body, code",
    [
        ("482913 is your code to sign in.", "482913"),
        ("Your code: 004211.", "004211"),
        ("Refund of ₹1,00,000.00 on 4 Dec 2026 for ORD-AB123456CD", ""),
        ("Reference 1234567 and 12345", ""),
        ("", ""),
    ],
)
def test_the_code_is_picked_out_of_a_message(body, code):
    assert one_time_code(body) == code


# Committed for real, as `make run` does: the demo orders' messages are sent after commit.
@pytest.mark.django_db(transaction=True)
def test_seed_demo_says_one_line(mailbox, capsys):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Demo data ready. Shopper: demo@example.com / demo-pass-123")
    assert "[mailbox]" not in capsys.readouterr().err  # its order messages are kept, not printed
    assert len(mailbox_latest()) > 10
    call_command("seed_demo", stdout=io.StringIO(), verbosity=0)
    assert capsys.readouterr().err == ""


@pytest.mark.django_db(transaction=True)
def test_seed_demo_v2_names_what_it_created(mailbox, capsys):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, verbosity=2)
    text = out.getvalue()
    assert "Created demo shopper demo@example.com" in text and "Created support staff support@example.com" in text
    assert "[mailbox] email to demo@example.com" in capsys.readouterr().err
