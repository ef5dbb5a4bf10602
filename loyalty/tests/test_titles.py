"""A points entry's title is stored in English (the API's `title`) and read in the shopper's
language on their pages, from the same sentences (loyalty.titles)."""

import pytest
from django.core.management import call_command
from django.utils import translation

from loyalty.titles import entry_title, entry_title_read, expired_title


@pytest.fixture(autouse=True)
def _compiled():
    call_command("translations_compile", verbosity=0)


def test_stored_in_english_whatever_the_language_of_the_request():
    with translation.override("hi"):
        assert entry_title("earned", number="ORD-1") == "Earned on order ORD-1"
        assert expired_title(1) == "1 point expired" and expired_title(40) == "40 points expired"


@pytest.mark.parametrize(
    "stored, hindi",
    [
        ("Welcome bonus", "स्वागत बोनस"),
        ("Earned on order ORD-7H2K", "ऑर्डर ORD-7H2K पर मिले"),
        ("Redeemed on order ORD-7H2K", "ऑर्डर ORD-7H2K पर भुनाए"),
        ("Upgraded to Gold", "Gold में अपग्रेड"),
        ("40 points expired", "40 पॉइंट की अवधि खत्म हुई"),
        ("Points for the Diwali contest", "Points for the Diwali contest"),  # written by hand: as written
    ],
)
def test_read_in_hindi_and_unchanged_in_english(stored, hindi):
    with translation.override("hi"):
        assert entry_title_read(stored) == hindi
    with translation.override("en"):
        assert entry_title_read(stored) == stored


@pytest.mark.django_db
def test_the_rewards_page_reads_them_in_hindi(signed_in, shopper):
    from loyalty.models import EntryKind, PointsAction, PointsActivity, PointsEntry
    from loyalty.services import loyalty_account_ensure

    account = loyalty_account_ensure(customer=shopper)
    PointsEntry.objects.create(
        account=account,
        action=PointsAction.ADD,
        activity=PointsActivity.SIGNUP,
        kind=EntryKind.SIGNUP,
        points=50,
        title=entry_title("welcome"),
        reference_number="signup",
    )
    signed_in.post("/account/language/", {"language": "hi", "next": "/account/"})
    page = signed_in.get("/account/rewards/").content.decode()
    assert "स्वागत बोनस" in page and "Welcome bonus" not in page
