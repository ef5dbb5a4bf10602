"""The one reading of a phone number as people type it: "9876543210", "+91 98765 43210",
"098765-43210", "0091 98765 43210", "(202) 555-0123" with a country code beside it.

Every door that takes a phone (address book, phone change, registration, sign-in) stores or looks
up the same canonical pair: the country code as "+91" and the national number as digits only.
Parsing is Google's libphonenumber (the `phonenumbers` port), so country codes, trunk prefixes and
number lengths follow the numbering plans rather than a regex of our own.
"""

from dataclasses import dataclass

import phonenumbers

from common.digits import ascii_digits

DEFAULT_COUNTRY_CODE = "+91"
PHONE_HELP = "For example 98765 43210 or +91 98765 43210."
INVALID_PHONE = "Enter a phone number such as 98765 43210 or +91 98765 43210."
MAX_NATIONAL_DIGITS = 15


@dataclass(frozen=True)
class Phone:
    country_code: str  # "+91"
    number: str  # national number, digits only

    def __str__(self) -> str:
        return f"{self.country_code} {self.number}"


def phone_parse(raw: str, *, country_code: str | None = DEFAULT_COUNTRY_CODE) -> Phone:
    """`raw` as typed; `country_code` ("+91") applies when `raw` carries none. ValueError when it
    is not a possible number.

    Ten bare digits are always taken as a number of `country_code`: that is what the API has
    accepted from the start, whatever the numbering plan says.
    """
    text = ascii_digits(raw or "").strip()
    country_code = ascii_digits(country_code or DEFAULT_COUNTRY_CODE)
    if text.isascii() and text.isdigit() and len(text) == 10:
        return Phone(country_code, text)
    region = phonenumbers.region_code_for_country_code(int(country_code.lstrip("+") or 0))
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException:
        raise ValueError(INVALID_PHONE) from None
    number = phonenumbers.national_significant_number(parsed)
    if not phonenumbers.is_possible_number(parsed) or len(number) > MAX_NATIONAL_DIGITS:
        raise ValueError(INVALID_PHONE)
    return Phone(f"+{parsed.country_code}", number)


def phone_text(number: str | None, country_code: str | None = DEFAULT_COUNTRY_CODE) -> str:
    """A stored phone as people read it: "+91 98765 43210" (the numbering plan's international
    grouping, libphonenumber's); as stored when it cannot be parsed; empty for none."""
    if not number:
        return ""
    country_code = country_code or DEFAULT_COUNTRY_CODE
    try:
        parsed = phonenumbers.parse(f"{country_code}{number}")
    except phonenumbers.NumberParseException:
        return f"{country_code} {number}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_example(region: str) -> str:
    """ "For example 020 7946 0958 or +44 20 7946 0958": a mobile number of `region` as people
    there write it, and with its country code (libphonenumber's example numbers)."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return ""
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"For example {national} or {international}."
