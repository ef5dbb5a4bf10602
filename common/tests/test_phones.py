"""The one phone parser: what people type becomes one canonical pair, whichever door it came in by."""

import pytest

from accounts.signin import credentials_from_username
from common.phones import Phone, phone_parse


@pytest.mark.parametrize(
    "typed",
    [
        "9876543210",
        "+91 98765 43210",
        "+91 98765-43210",
        "+919876543210",
        "098765 43210",
        "0091 98765 43210",
        " 98765-43210 ",
    ],
)
def test_an_indian_mobile_as_typed(typed):
    assert phone_parse(typed) == Phone("+91", "9876543210")
    # Sign-in reads the one box with the same parser: one account, one failure counter.
    assert credentials_from_username(typed) == {"phone": "9876543210", "country_code": "+91"}


def test_a_code_typed_with_the_number_wins_and_ten_bare_digits_keep_the_given_code():
    assert phone_parse("+44 20 7946 0958") == Phone("+44", "2079460958")
    assert phone_parse("(202) 555-0123", country_code="+1") == Phone("+1", "2025550123")
    # Ten digits are what the API always took, under whatever country code came with them.
    assert phone_parse("1234567890", country_code="+999") == Phone("+999", "1234567890")


@pytest.mark.parametrize("typed", ["12", "", "not a phone", "+91 98765 43210 98765 43210"])
def test_not_a_phone_number(typed):
    with pytest.raises(ValueError, match="Enter a phone number such as"):
        phone_parse(typed)


def test_sign_in_still_reads_an_email_as_an_email():
    assert credentials_from_username(" Demo@Example.com ") == {"email": "Demo@Example.com"}


def test_a_stored_phone_prints_as_people_read_it():
    from common.phones import phone_text

    assert phone_text("9876543210", "+91") == "+91 98765 43210"
    assert phone_text("2025550123", "+1") == "+1 202-555-0123"
    assert phone_text("", "+91") == ""
    assert phone_text("12", "+91") == "+91 12"  # not a number the plan knows: as stored


def test_digits_of_any_script_read_as_ascii():
    from common.digits import ascii_digits
    from common.phones import phone_parse

    assert (
        ascii_digits("٩٨٧٦٥٤٣٢١٠") == ascii_digits("९८७६५४३२१०") == ascii_digits("９８７６５４３２１０") == "9876543210"
    )
    assert ascii_digits("+९१ 98765-43210") == "+91 98765-43210"
    assert ascii_digits(None) is None and ascii_digits(42) == 42 and ascii_digits("abc") == "abc"
    assert phone_parse("९८७६५ ४३२१०").number == "9876543210"
    assert phone_parse("٠٠٩١ ٩٨٧٦٥٤٣٢١٠").country_code == "+91"


def test_a_digit_that_is_not_a_decimal_digit_makes_no_phone():
    """ "¹" is a digit to str.isdigit, not a decimal one: it must never reach a stored number."""
    import pytest

    from common.phones import phone_parse

    for typed in ("98765432¹0", "¹¹¹¹¹¹¹¹¹¹"):
        with pytest.raises(ValueError):
            phone_parse(typed)
