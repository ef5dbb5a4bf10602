"""Country-specific address rules: postal code formats and, where we keep one, the list of states.

`address_fields_check` is the one place these rules live; the API serializer and the website's
form both call it.
"""

import re
from dataclasses import dataclass

INDIA_STATES = [
    # States
    "Andhra Pradesh",
    "Arunachal Pradesh",
    "Assam",
    "Bihar",
    "Chhattisgarh",
    "Goa",
    "Gujarat",
    "Haryana",
    "Himachal Pradesh",
    "Jharkhand",
    "Karnataka",
    "Kerala",
    "Madhya Pradesh",
    "Maharashtra",
    "Manipur",
    "Meghalaya",
    "Mizoram",
    "Nagaland",
    "Odisha",
    "Punjab",
    "Rajasthan",
    "Sikkim",
    "Tamil Nadu",
    "Telangana",
    "Tripura",
    "Uttar Pradesh",
    "Uttarakhand",
    "West Bengal",
    # Union territories
    "Andaman and Nicobar Islands",
    "Chandigarh",
    "Dadra and Nagar Haveli and Daman and Diu",
    "Delhi",
    "Jammu and Kashmir",
    "Ladakh",
    "Lakshadweep",
    "Puducherry",
]


@dataclass(frozen=True)
class Country:
    name: str
    iso: str
    postal_code: str  # regex for the whole code
    postal_example: str
    states: tuple[str, ...] = ()


COUNTRIES = {
    country.iso: country
    for country in [
        Country("India", "IN", r"[1-9][0-9]{5}", "560001", tuple(INDIA_STATES)),
        Country("United States", "US", r"[0-9]{5}(-[0-9]{4})?", "94105"),
        Country("United Kingdom", "GB", r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", "SW1A 1AA"),
        Country("Canada", "CA", r"[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]", "K1A 0B1"),
        Country("Australia", "AU", r"[0-9]{4}", "2000"),
        Country("Germany", "DE", r"[0-9]{5}", "10115"),
        Country("Singapore", "SG", r"[0-9]{6}", "018956"),
        Country("United Arab Emirates", "AE", r"[0-9]{0,6}", "00000"),
    ]
}
_BY_NAME = {c.name.lower(): c for c in COUNTRIES.values()} | {c.iso.lower(): c for c in COUNTRIES.values()}
_BY_NAME |= {"usa": COUNTRIES["US"], "uk": COUNTRIES["GB"], "bharat": COUNTRIES["IN"]}
GENERIC_POSTAL_CODE = r"[A-Za-z0-9][A-Za-z0-9 -]{1,10}"


def country_lookup(value: str) -> Country | None:
    return _BY_NAME.get((value or "").strip().lower())


def address_fields_check(*, country: str, state: str, pincode: str) -> tuple[dict, dict]:
    """Normalise country/state/pincode; returns (cleaned values, {field: [errors]})."""
    errors: dict[str, list[str]] = {}
    known = country_lookup(country)
    cleaned = {
        "country": known.name if known else (country or "").strip(),
        "state": (state or "").strip(),
        "pincode": (pincode or "").strip().upper(),
    }
    pattern = known.postal_code if known else GENERIC_POSTAL_CODE
    if not re.fullmatch(pattern, cleaned["pincode"]):
        example = f" such as {known.postal_example}" if known else ""
        errors["pincode"] = [f"Enter a valid postal code for {cleaned['country'] or 'the country'}{example}."]
    if known and known.states:
        match = next((s for s in known.states if s.lower() == cleaned["state"].lower()), None)
        if match is None:
            errors["state"] = [f"Choose a state or union territory of {known.name}."]
        else:
            cleaned["state"] = match
    return cleaned, errors
