"""English and Hindi (issue 30 item 1): the language is the shopper's saved choice, else their
browser's Accept-Language, else the shop's; the switch on every page saves it; messages are in the
shopper's language whoever's request queued them; the API's message follows Accept-Language and
its code never changes; every marked text has its Hindi (manage.py translations_check, in CI)."""

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from common.testing import API, PASSWORD, assert_error
from orders.tests.factories import place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _compiled():
    call_command("translations_compile", verbosity=0)


def test_accept_language_picks_hindi_and_the_page_says_so(client):
    page = client.get("/account/sign-in/", HTTP_ACCEPT_LANGUAGE="hi-IN,hi;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="hi">' in page and "मोबाइल नंबर या ईमेल" in page and "मुझे कोड भेजें" in page
    english = client.get("/account/sign-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Mobile number or email" in english
    # A language the site does not speak: the shop's.
    assert '<html lang="en">' in client.get("/account/sign-in/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_the_switch_saves_the_choice_on_the_account_and_it_wins_over_the_browser(signed_in, shopper):
    answer = signed_in.post("/account/language/", {"language": "hi", "next": "/account/addresses/"})
    assert answer.status_code == 302 and answer["Location"] == "/account/addresses/"
    assert User.objects.get(pk=shopper.pk).language == "hi"
    page = signed_in.get("/account/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="hi">' in page and "हाल के ऑर्डर" in page and "साइन आउट" in page
    signed_in.post("/account/language/", {"language": "en", "next": "/account/"})
    assert "Recent orders" in signed_in.get("/account/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()


@pytest.mark.parametrize("value", ["fr", "", "hi\x00", "x" * 500])
def test_an_unknown_language_changes_nothing(signed_in, shopper, value):
    answer = signed_in.post("/account/language/", {"language": value, "next": "https://evil.example/"})
    # Back to the account, never elsewhere (a NUL is refused before any view: 400).
    assert (answer.status_code, answer.get("Location")) in ((302, "/account/"), (400, None))
    assert User.objects.get(pk=shopper.pk).language == ""


def test_before_sign_in_the_choice_is_kept_in_the_cookie(client):
    client.post("/account/language/", {"language": "hi", "next": "/account/sign-in/"})
    assert "साइन इन" in client.get("/account/sign-in/").content.decode()


def test_an_email_queued_for_a_hindi_speaking_shopper_is_in_hindi(shopper, django_capture_on_commit_callbacks):
    shopper.language = "hi"
    shopper.save()
    with django_capture_on_commit_callbacks(execute=True):  # queued from an English request
        order = place(shopper)
    (email,) = [m for m in mail.outbox if m.to == [shopper.email] and order.number in m.subject]
    assert email.subject == f"ऑर्डर {order.number}: पुष्टि हो गई"
    assert "धन्यवाद: हमें आपका" in email.body and "नमस्ते Meera," in email.body
    html = email.alternatives[0][0]
    assert '<html lang="hi">' in html and f"ऑर्डर {order.number} देखें" in html


def test_the_same_email_for_an_english_speaking_shopper_stays_english(shopper, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shopper)
    (email,) = [m for m in mail.outbox if m.to == [shopper.email] and order.number in m.subject]
    assert email.subject == f"Order {order.number}: Confirmed" and "Thank you: we have your payment" in email.body


def test_the_apis_message_follows_accept_language_and_its_code_never_changes(api, shopper):
    body = {"email": shopper.email, "password": "wrong"}
    hindi = api.post(f"{API}/auth/login/password", body, format="json", HTTP_ACCEPT_LANGUAGE="hi")
    refused = assert_error(hindi, 401, "unauthorized")
    assert refused["message"] == "ईमेल/फ़ोन या पासवर्ड सही नहीं है।"
    english = api.post(f"{API}/auth/login/password", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert assert_error(english, 401, "unauthorized")["message"] == "The email/phone or password is not correct."
    signed = api.post(
        f"{API}/auth/login/password", {**body, "password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="hi"
    )
    assert signed.json()["message"] == "साइन इन हो गया।" and signed.json()["success"] is True
    missing = api.get(f"{API}/common/countries/XX/states", HTTP_ACCEPT_LANGUAGE="hi")
    assert assert_error(missing, 404, "not_found")["code"] == "not_found"


def test_every_marked_text_has_its_hindi():
    call_command("translations_check", verbosity=0)


def test_the_history_wishlist_messages_rewards_and_reviews_are_in_hindi(signed_in, shopper):
    place(shopper)
    signed_in.post("/account/language/", {"language": "hi", "next": "/account/"})
    history = signed_in.get("/account/orders/").content.decode()
    assert "ऑर्डर खोजें" in history and "नए पहले" in history and "डिलीवर हुए" in history
    assert "को दिया गया · 2 आइटम" in history and "Newest first" not in history
    for url, hindi, english in [
        ("/account/wishlist/", "आपकी पसंद सूची ख़ाली है", "Your wishlist is empty"),
        ("/account/messages/", "हमने आपको क्या भेजा", "What we sent you"),
        ("/account/rewards/", "पॉइंट कैसे काम करते हैं", "How points work"),
        ("/account/reviews/", "मेरी समीक्षाएँ", "My reviews"),
    ]:
        page = signed_in.get(url).content.decode()
        assert hindi in page and english not in page, url


def test_an_empty_search_says_what_it_looked_for_in_the_order_hindi_puts_it(signed_in, shopper):
    """The sentence is made of whole phrases whose order the translation chooses: English says
    what is missing first, Hindi last."""
    place(shopper)
    query = "/account/orders/?status=cancelled&search=kettle&order_date_from=2026-12-05"
    english = signed_in.get(query).content.decode()
    assert "No “cancelled” orders matching “kettle” placed on or after 5 Dec 2026" in english
    signed_in.post("/account/language/", {"language": "hi", "next": "/account/"})
    hindi = signed_in.get(query).content.decode()
    assert "“kettle” से मेल खाता" in hindi and "कोई “रद्द” ऑर्डर नहीं</strong>" in hindi
    assert hindi.index("“kettle” से मेल खाता") < hindi.index("कोई “रद्द” ऑर्डर नहीं")


def test_an_order_the_profile_and_the_sessions_are_in_hindi(signed_in, shopper):
    from orders.tests.factories import delivered

    order = delivered(shopper)
    signed_in.post("/account/language/", {"language": "hi", "next": "/account/"})
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert "क़ीमत का ब्योरा" in page and "भुगतान और रिफ़ंड" in page and "Price details" not in page
    # Statuses read in Hindi too, each from its model's choices (the API keeps the values).
    assert '<span class="badge good">पहुँच गया</span>' in page and '<span class="badge good">सफल</span>' in page
    assert ">Delivered<" not in page and ">Success<" not in page
    profile = signed_in.get("/account/profile/").content.decode()
    assert "सूचनाएँ" in profile and "न्यूज़लेटर" in profile and 'aria-label="ईमेल से न्यूज़लेटर"' in profile
    assert "Save notification choices" not in profile
    sessions = signed_in.get("/account/profile/sessions/").content.decode()
    assert "आप कहाँ साइन इन हैं" in sessions and "Where you're signed in" not in sessions


def test_shipping_delivery_and_refund_messages_reach_a_hindi_speaking_shopper_in_hindi(
    shopper, django_capture_on_commit_callbacks
):
    from orders.tests.factories import delivered

    shopper.language = "hi"
    shopper.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = delivered(shopper)
    mine = [m for m in mail.outbox if m.to == [shopper.email] and order.number in m.subject]
    bodies = "\n".join(m.body for m in mine)
    assert "यह BlueDart के साथ रास्ते में है।" in bodies and "AWB नंबर: AWB123" in bodies
    assert "हमें उम्मीद है कि आपको यह पसंद आएगा।" in bodies
    assert "It is on its way" not in bodies and "We hope you enjoy it" not in bodies


def test_the_services_messages_reach_the_api_in_hindi_with_their_codes_unchanged(api, shopper):
    """A rule's message (raised once, in its service) is written in the client's language on the
    way out; the `code` a client branches on is the same in both."""
    api.force_authenticate(shopper)
    missing = api.delete(f"{API}/customers/{shopper.id}/addresses/{'0' * 26}", HTTP_ACCEPT_LANGUAGE="hi")
    assert assert_error(missing, 404, "not_found")["message"] == "पता नहीं मिला।"
    english = api.delete(f"{API}/customers/{shopper.id}/addresses/{'0' * 26}", HTTP_ACCEPT_LANGUAGE="en")
    assert assert_error(english, 404, "not_found")["message"] == "Address not found."
    order = place(shopper)
    no_account = api.post(
        f"{API}/orders/{order.number}/cancel",
        {"cancellation_reason": "Ordered twice", "refund_mode": "bank-transfer"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    body = assert_error(no_account, 400, "validation_error")
    assert body["errors"] == {"bank_account_id": ["रिफ़ंड के लिए बैंक खाता चुनें।"]}


def test_security_notices_and_codes_are_in_the_account_owners_language(
    shopper, mailoutbox, django_capture_on_commit_callbacks
):
    """Written for the account, whoever's request caused them (here, none: an English default)."""
    from accounts.otp import otp_issue
    from accounts.services import password_change

    shopper.language = "hi"
    shopper.save()
    with django_capture_on_commit_callbacks(execute=True):
        password_change(user=shopper, old_password=PASSWORD, new_password="A-new-long-passphrase-42", session=None)
        otp_issue(action="login", channel="email", target=shopper.email, user=shopper)
    notice, code = mailoutbox[-2:]
    assert notice.subject == "आपका पासवर्ड बदला गया" and "आपके खाते का पासवर्ड" in notice.body
    assert code.subject == "आपका साइन-इन कोड" and "साइन इन के लिए आपका कोड है। यह 10 मिनट में" in code.body
    assert code.body.split()[0].isdigit()  # the code still opens the message
    with django_capture_on_commit_callbacks(execute=True):  # no account yet: the request's language
        from django.utils import translation

        with translation.override("hi"):
            otp_issue(action="register", channel="email", target="new@example.com")
        with translation.override("en"):
            otp_issue(action="register", channel="email", target="other@example.com")
    assert mailoutbox[-2].subject == "अपने नए खाते की पुष्टि करें" and mailoutbox[-1].subject == "Confirm your new account"


def test_what_a_message_keeps_of_a_refund_is_in_the_shoppers_words_whoever_raised_it(
    shopper, django_capture_on_commit_callbacks
):
    """The event's context (where the refund goes, how long it takes) is written when the event
    happens, in the shopper's language, not in the language of the request that raised it."""
    from django.utils import translation

    from orders import services

    shopper.language = "hi"
    shopper.save()
    order = place(shopper)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # a staff member's request
        services.order_cancel(order=order, reason="Ordered twice")
    (email,) = [m for m in mail.outbox if m.to == [shopper.email] and "रद्द" in m.subject]
    assert "वह कार्ड जिससे आपने भुगतान किया" in email.body and "the card you paid with" not in email.body


def test_a_business_documents_status_reads_in_hindi(signed_in, shopper):
    from customers.documents import document_create, kyc_documents_seed
    from customers.models import KycDocument

    kyc_documents_seed()
    document_create(
        customer=shopper, kyc_document_id=KycDocument.objects.get(document_type="pan").pk, document_number="ABCPE1234F"
    )
    signed_in.post("/account/language/", {"language": "hi", "next": "/account/"})
    page = signed_in.get("/account/business/").content.decode()
    assert "सत्यापित (अपने-आप जाँचा गया)" in page  # a PAN is checked automatically
    assert "Verified (checked automatically)" not in page


def test_the_frameworks_own_field_messages_are_in_hindi_too(api, shopper):
    """Django REST framework ships no Hindi; its field messages are in our catalogue."""
    api.force_authenticate(shopper)
    url = f"{API}/customers/{shopper.id}/addresses"
    body = {"first_name": "", "is_default_billing": "maybe"}
    refused = assert_error(api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="hi"), 400, "validation_error")
    assert refused["errors"]["is_default_billing"] == ["true या false होना चाहिए।"]
    english = assert_error(api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400, "validation_error")
    assert english["errors"]["is_default_billing"] == ["Must be a valid boolean."]
