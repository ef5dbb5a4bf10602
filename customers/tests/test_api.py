"""Address book endpoints (CONTRACT.md section 6)."""

import pytest

from common.testing import API, assert_error
from customers.models import Address, Subscription

from .factories import address_data, make_address, make_product

pytestmark = pytest.mark.django_db


def addresses_url(user, address_id=None):
    url = f"{API}/customers/{user.id}/addresses"
    return f"{url}/{address_id}" if address_id else url


CONTRACT_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "country_code",
    "phone",
    "email",
    "address_line1",
    "address_line2",
    "landmark",
    "pincode",
    "city",
    "state",
    "country",
    "tax_identification_number",
    "business_name",
    "is_default_billing",
    "is_default_shipping",
    "is_phone_verified",
    "is_email_verified",
    "nickname",
}


def test_create_then_get(client_for, shopper):
    client = client_for(shopper)
    response = client.post(addresses_url(shopper), address_data(), format="json")
    address = response.json()["content"]["address"]
    assert response.status_code == 200 and set(address) == CONTRACT_FIELDS
    assert address["is_default_billing"] and address["is_default_shipping"]
    got = client.get(addresses_url(shopper, address["id"])).json()["content"]["address"]
    assert got == address


def test_optional_fields_sent_as_null_come_back_as_null(client_for, shopper):
    optional = ("last_name", "address_line2", "landmark", "tax_identification_number", "business_name", "nickname")
    body = {**address_data(), **dict.fromkeys(optional)}
    client = client_for(shopper)
    address = client.post(addresses_url(shopper), body, format="json").json()["content"]["address"]
    assert {name: address[name] for name in optional} == dict.fromkeys(optional)
    listed = client.get(addresses_url(shopper)).json()["content"]["addresses"]
    assert listed == [address]


def test_create_ignores_read_only_and_unknown_fields(client_for, shopper):
    body = {**address_data(), "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "is_phone_verified": True, "colour": "red"}
    address = client_for(shopper).post(addresses_url(shopper), body, format="json").json()["content"]["address"]
    assert address["id"] != "01ARZ3NDEKTSV4RRFFQ69G5FAV" and address["is_phone_verified"] is False


def test_create_names_each_bad_field(client_for, shopper):
    body = {"first_name": "", "phone": "12345", "email": "nope", "country_code": "91", "pincode": "1"}
    errors = assert_error(
        client_for(shopper).post(addresses_url(shopper), body, format="json"), 400, "validation_error"
    )["errors"]
    assert {"first_name", "phone", "email", "country_code", "address_line1", "city", "state"} <= set(errors)
    body = address_data(state="Narnia", pincode="000000")
    errors = assert_error(
        client_for(shopper).post(addresses_url(shopper), body, format="json"), 400, "validation_error"
    )["errors"]
    assert set(errors) == {"state", "pincode"}


def test_update_full_and_partial(client_for, shopper):
    client = client_for(shopper)
    first = make_address(shopper)
    second = make_address(shopper, nickname="Office")
    response = client.put(addresses_url(shopper, second.id), {"city": "Mysuru", "pincode": "570001"}, format="json")
    assert response.json()["content"]["address"]["city"] == "Mysuru"
    full = {**address_data(first_name="Asha"), "is_default_billing": True}
    address = client.put(addresses_url(shopper, second.id), full, format="json").json()["content"]["address"]
    assert address["first_name"] == "Asha" and address["is_default_billing"] is True
    assert Address.objects.get(pk=first.pk).is_default_billing is False


def test_delete_and_the_subscription_guard(client_for, shopper):
    client = client_for(shopper)
    home, office = make_address(shopper), make_address(shopper)
    subscription = Subscription.objects.create(
        customer=shopper, product=make_product(), shipping_address=office, billing_address=office
    )
    body = assert_error(client.delete(addresses_url(shopper, office.id)), 409, "address_in_use")
    assert body["subscription_id"] == subscription.id
    response = client.delete(addresses_url(shopper, home.id))
    assert response.status_code == 200 and response.json() == {"message": "Address deleted.", "success": True}
    assert list(Address.objects.filter(customer=shopper)) == [office]
    assert Address.objects.get(pk=office.pk).is_default_billing


def test_limit_exceeded_is_400(client_for, shopper):
    Address.objects.bulk_create([Address(customer=shopper, **address_data()) for _ in range(50)])
    response = client_for(shopper).post(addresses_url(shopper), address_data(), format="json")
    assert_error(response, 400, "limit_exceeded")


def test_list_is_paginated_newest_first(client_for, shopper):
    made = [make_address(shopper, nickname=f"N{n}") for n in range(7)]
    content = client_for(shopper).get(addresses_url(shopper), {"limit": 3, "page": 2}).json()["content"]
    assert [a["nickname"] for a in content["addresses"]] == ["N3", "N2", "N1"]
    assert content["pagination"] == {
        "total_records": 7,
        "total_pages": 3,
        "current_page": 2,
        "previous_page": 1,
        "next_page": 3,
        "limit": 3,
    }
    content = (
        client_for(shopper)
        .get(addresses_url(shopper), {"sort_by": '{"created_at":"asc"}', "limit": 2})
        .json()["content"]
    )
    assert [a["id"] for a in content["addresses"]] == [made[0].id, made[1].id]


def test_list_bad_query_values(client_for, shopper):
    client = client_for(shopper)
    assert_error(client.get(addresses_url(shopper), {"limit": 0}), 400, "validation_error")
    assert_error(client.get(addresses_url(shopper), {"limit": 101}), 400, "validation_error")
    assert_error(client.get(addresses_url(shopper), {"page": "abc"}), 400, "validation_error")
    assert_error(client.get(addresses_url(shopper), {"sort_by": '{"city":"asc"}'}), 400, "bad_request")


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(client_for, shopper, django_assert_num_queries, count):
    Address.objects.bulk_create([Address(customer=shopper, **address_data()) for _ in range(count)])
    client = client_for(shopper)
    client.get(addresses_url(shopper))  # the session and user are in the cache from now on
    with django_assert_num_queries(2):  # count, page
        response = client.get(addresses_url(shopper), {"limit": 100})
    assert len(response.json()["content"]["addresses"]) == count


def test_ownership(api, client_for, shopper, other_shopper):
    theirs = make_address(other_shopper)
    before = list(Address.objects.values())
    mine = client_for(shopper)
    # Another customer's path: 403; their address under my path: 404.
    assert_error(mine.get(addresses_url(other_shopper)), 403, "forbidden")
    assert_error(mine.post(addresses_url(other_shopper), address_data(), format="json"), 403, "forbidden")
    assert_error(mine.get(addresses_url(other_shopper, theirs.id)), 403, "forbidden")
    for method in ("get", "put", "delete"):
        response = getattr(mine, method)(addresses_url(shopper, theirs.id), {"city": "X"}, format="json")
        assert_error(response, 404, "not_found")
    assert_error(mine.get(addresses_url(shopper, "not-an-id")), 404, "not_found")
    assert_error(api.get(addresses_url(shopper)), 401, "unauthorized")
    assert_error(client_for(None).get(addresses_url(shopper)), 403, "forbidden")
    assert list(Address.objects.values()) == before


def test_a_phone_as_typed_is_stored_canonical(client_for, shopper):
    client = client_for(shopper)
    created = client.post(addresses_url(shopper), address_data(phone="+91 98765-43210"), format="json").json()
    address = created["content"]["address"]
    assert (address["country_code"], address["phone"]) == ("+91", "9876543210")
    # An update without a code keeps the address's own; one typed with the number replaces it.
    url = addresses_url(shopper, address["id"])
    assert client.put(url, {"phone": "9123456789"}, format="json").json()["content"]["address"]["country_code"] == "+91"
    changed = client.put(url, {"phone": "+44 20 7946 0958"}, format="json").json()["content"]["address"]
    assert (changed["country_code"], changed["phone"]) == ("+44", "2079460958")
