"""Any country's address and phone (issue 30 items 3 and 4): Google's address data for every
country's fields, postal codes and states; the SDK's countries, states and PIN codes."""

import pytest

from accounts.services import user_create
from common.testing import API, assert_error, require_service
from customers.models import Address
from tests.test_sdk import run_sdk

from .factories import address_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pincodes():
    """India's PIN codes as their data migration loads them (a transactional test before this
    one may have flushed the table)."""
    import importlib

    from django.apps import apps

    from customers.models import Pincode

    if not Pincode.objects.exists():
        importlib.import_module("customers.migrations.0008_load_in_pincodes").load(apps, None)


US = {
    "first_name": "Ann",
    "last_name": "Lee",
    "address_line1": "1 Market St",
    "city": "San Francisco",
    "state": "CA",
    "pincode": "94105",
    "country": "United States",
    "country_code": "+1",
    "phone": "4155550123",
    "email": "ann@example.com",
}
UK = {
    **US,
    "address_line1": "10 Downing Street",
    "city": "London",
    "state": "",
    "pincode": "sw1a 2aa",
    "country": "United Kingdom",
    "country_code": "+44",
    "phone": "7400123456",
}


def create(client, shopper, body):
    return client.post(f"{API}/customers/{shopper.pk}/addresses", body, format="json")


def test_a_us_and_a_uk_address_and_phone_are_accepted(client_for, shopper):
    me = client_for(shopper)
    us = create(me, shopper, US)
    assert us.status_code == 200, us.json()
    assert (us.json()["content"]["address"]["state"], us.json()["content"]["address"]["phone"]) == (
        "California",
        "4155550123",
    )
    uk = create(me, shopper, UK)
    assert uk.status_code == 200, uk.json()
    saved = Address.objects.get(pk=uk.json()["content"]["address"]["id"])
    assert (saved.pincode, saved.country_code, saved.state) == ("SW1A 2AA", "+44", "")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"pincode": "9410"}, "pincode"),  # not a ZIP code
        ({"pincode": "10001"}, "pincode"),  # New York's, not California's
        ({"state": "Narnia"}, "state"),
        ({"country": "Freedonia"}, "country"),
    ],
)
def test_a_wrong_zip_state_or_country_is_refused_with_the_field_named(client_for, shopper, change, field):
    refused = assert_error(create(client_for(shopper), shopper, {**US, **change}), 400, "validation_error")
    assert field in refused["errors"], refused
    assert not Address.objects.exists()


def test_an_indian_pin_must_be_of_the_state_given(client_for, shopper):
    body = address_data(state="Maharashtra", pincode="560001")
    refused = assert_error(create(client_for(shopper), shopper, body), 400, "validation_error")
    assert refused["errors"]["pincode"] == ["This PIN code is not in Maharashtra. It is a PIN code of Karnataka."]


def test_the_website_form_follows_the_country(signed_in, shopper):
    page = signed_in.post("/account/addresses/new/", {"country": "United States", "refresh_country": "1", "city": "SF"})
    html = page.content.decode()
    assert page.status_code == 200 and "ZIP code" in html and '<option value="California">' in html
    assert 'value="SF"' in html and "errorlist" not in html  # what was typed stays; no errors yet
    uk = signed_in.post(
        "/account/addresses/new/", {"country": "United Kingdom", "refresh_country": "1"}
    ).content.decode()
    assert "Postcode" in uk and 'name="state"' not in uk and "For example 07400 123456" in uk
    data = {
        "first_name": "Ann",
        "phone": "020 7946 0958",  # a London number as Londoners write it
        "address_line1": "10 Downing Street",
        "city": "London",
        "pincode": "SW1A 2AA",
        "country": "United Kingdom",
    }
    saved = signed_in.post("/account/addresses/new/", data)
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    address = Address.objects.get(customer=shopper)
    assert (address.country_code, address.phone, address.pincode) == ("+44", "2079460958", "SW1A 2AA")
    wrong = signed_in.post(
        "/account/addresses/new/", {**data, "country": "United States", "state": "California", "pincode": "9410"}
    )
    assert "Enter a valid ZIP code for United States such as 95014." in wrong.content.decode()


def test_countries_states_and_pincodes(api):
    countries = api.get(f"{API}/common/countries").json()["content"]["countries"]
    india = next(c for c in countries if c["country_iso_code"] == "IN")
    assert india["country_name"] == "India" and india["country_code"] == "+91" and india["currency_symbol"] == "₹"
    assert len(countries) > 240
    states = api.get(f"{API}/common/countries/IN/states").json()["content"]["states"]
    assert len(states) == 36
    assert {"id": "IN-KA", "name": "Karnataka", "iso_code": "KA", "gst_code": "29", "state_alias": None} in states
    us = api.get(f"{API}/common/countries/us/states").json()["content"]["states"]
    assert any(s["name"] == "California" and s["iso_code"] == "CA" for s in us)
    assert api.get(f"{API}/common/countries/GB/states").json()["content"]["states"] == []
    found = api.get(f"{API}/common/countries/IN/pincodes", {"pincode": "110001"}).json()["content"]
    assert found["pincodes"] == [
        {
            "pincode": "110001",
            "city": "New Delhi",
            "state_name": "Delhi",
            "country_name": "India",
            "country_iso_code": "IN",
        }
    ]
    page = api.get(f"{API}/common/countries/IN/pincodes", {"pincode": "560", "limit": 10, "page": 2}).json()["content"]
    assert len(page["pincodes"]) == 10 and page["pagination"]["current_page"] == 2
    assert all(p["pincode"].startswith("560") and p["state_name"] == "Karnataka" for p in page["pincodes"])
    assert api.get(f"{API}/common/countries/US/pincodes").json()["content"]["pincodes"] == []


@pytest.mark.parametrize("iso", ["XX", "IND", "1", "%00", "Z" * 300])
def test_unknown_countries_are_404(api, iso):
    for path in ("states", "pincodes"):
        assert api.get(f"{API}/common/countries/{iso}/{path}").status_code in (400, 404)


@pytest.mark.parametrize("query", [{"pincode": "56"}, {"pincode": "5" * 13}, {"limit": "0"}, {"page": "x"}])
def test_bad_pincode_queries_are_400(api, query):
    assert api.get(f"{API}/common/countries/IN/pincodes", query).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_sdk_lists_countries_states_pincodes_and_saves_a_us_address(live_server):
    require_service("node")
    user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    seen = run_sdk("countries_flow.mjs", f"{live_server.url}/api/v1/storefront", "sdk@example.com", "sdk-pass-1234")
    assert seen["countries"]["india"] == {"name": "India", "code": "+91", "currency": "INR"}
    assert seen["inStates"]["count"] == 36 and seen["inStates"]["karnataka"]["gst_code"] == "29"
    assert seen["usStates"] == ["California"]
    assert seen["pincodes"][0]["city"] == "Bengaluru Urban"
    assert seen["usAddress"] == {
        "state": "California",
        "pincode": "94105",
        "country": "United States",
        "phone": "4155550123",
    }
