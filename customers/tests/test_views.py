"""The website's address book pages."""

import pytest

from customers.models import Address, Subscription

from .factories import address_data, make_address, make_product

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = address_data(**overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_empty_book_invites_to_add(signed_in):
    page = signed_in.get("/account/addresses/")
    assert b"Your address book is empty" in page.content


@pytest.mark.parametrize("count", [1, 12])
def test_list_query_count(signed_in, shopper, django_assert_num_queries, count):
    for n in range(count):
        make_address(shopper, nickname=f"N{n}")
    with django_assert_num_queries(3):  # the session with its user, count, page
        page = signed_in.get("/account/addresses/")
    assert page.content.count(b"<article") == count


def test_add_edit_and_make_default(signed_in, shopper):
    response = signed_in.post("/account/addresses/new/", form_data(), follow=True)
    assert b"Address added." in response.content
    first = Address.objects.get(customer=shopper)
    assert first.is_default_billing and first.is_default_shipping
    signed_in.post("/account/addresses/new/", form_data(nickname="Office", is_default_shipping="on"))
    office = Address.objects.get(nickname="Office")
    assert office.is_default_shipping and not Address.objects.get(pk=first.pk).is_default_shipping
    signed_in.post(f"/account/addresses/{office.id}/default/billing/")
    assert Address.objects.get(pk=office.pk).is_default_billing
    response = signed_in.post(
        f"/account/addresses/{first.id}/", form_data(city="Mysuru", pincode="570001"), follow=True
    )
    assert b"Address saved." in response.content and Address.objects.get(pk=first.pk).city == "Mysuru"


def test_form_errors_are_shown_next_to_fields(signed_in):
    response = signed_in.post("/account/addresses/new/", form_data(state="Narnia", pincode="000000", phone="12"))
    content = response.content.decode()
    assert response.status_code == 200
    # Every error in one round: the phone's format beside the country's rules.
    assert "Enter a phone number such as 98765 43210 or +91 98765 43210." in content
    assert "Choose a state or union territory of India." in content
    assert "Enter a valid PIN code for India" in content
    assert not Address.objects.exists()


def test_delete_with_confirmation_and_subscription_guard(signed_in, shopper):
    home, office = make_address(shopper), make_address(shopper, nickname="Office")
    Subscription.objects.create(
        customer=shopper, product=make_product(), shipping_address=office, billing_address=office
    )
    page = signed_in.get(f"/account/addresses/{home.id}/delete/")
    assert b"Delete this address?" in page.content
    response = signed_in.post(f"/account/addresses/{office.id}/delete/")
    assert response.status_code == 409 and b"used by a subscription" in response.content
    response = signed_in.post(f"/account/addresses/{home.id}/delete/", follow=True)
    assert b"Address deleted." in response.content
    assert list(Address.objects.values_list("pk", flat=True)) == [office.pk]


def test_another_shoppers_address_is_404(signed_in, other_shopper):
    theirs = make_address(other_shopper)
    for url in (f"/account/addresses/{theirs.id}/", f"/account/addresses/{theirs.id}/delete/"):
        assert signed_in.get(url).status_code == 404
    assert signed_in.post(f"/account/addresses/{theirs.id}/default/billing/").status_code == 404


def test_india_gets_a_list_of_states_and_the_fields_follow_the_country(signed_in):
    page = signed_in.get("/account/addresses/new/").content.decode()
    assert '<option value="Puducherry">' in page and "State or union territory" in page and "PIN code" in page
    response = signed_in.post(
        "/account/addresses/new/", form_data(country="Germany", state="Berlin", pincode="10115"), follow=True
    )
    assert b"Address added." in response.content
    assert Address.objects.get().state == ""  # German addresses name no state


def test_a_phone_as_typed_is_stored_canonical(signed_in, shopper):
    signed_in.post("/account/addresses/new/", form_data(phone="+91 98765-43210"))
    address = Address.objects.get(customer=shopper)
    assert (address.country_code, address.phone) == ("+91", "9876543210")
    assert b'value="+91 9876543210"' in signed_in.get(f"/account/addresses/{address.id}/").content


def test_deleting_the_default_says_which_address_took_its_place(signed_in, shopper):
    home, office = make_address(shopper), make_address(shopper, nickname="Office")
    assert Address.objects.get(pk=home.pk).is_default_shipping
    page = signed_in.get(f"/account/addresses/{home.id}/delete/")
    assert b"This is your default shipping and billing address." in page.content
    response = signed_in.post(f"/account/addresses/{home.id}/delete/", follow=True)
    assert (
        f"Address deleted. Office ({office.address_line1}, {office.city}) is now your default shipping and "
        "billing address."
    ).encode() in response.content
    response = signed_in.post(f"/account/addresses/{office.id}/delete/", follow=True)
    assert b"You have no address left" in response.content


def test_the_address_form_asks_pin_first_with_a_number_pad_country_from_a_list_and_email_optional(signed_in):
    page = signed_in.get("/account/addresses/new/").content.decode()
    assert page.index('name="pincode"') < page.index('name="city"') < page.index('name="address_line1"')
    assert (
        'inputmode="numeric"'
        in page.split('name="pincode"')[0].rsplit("<input", 1)[1] + page.split('name="pincode"')[1].split(">")[0]
    )
    assert '<select name="country"' in page and '<option value="India" selected>' in page
    assert 'name="email"' in page and 'name="email" required' not in page
