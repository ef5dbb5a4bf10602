"""A name is one printable line at every door (issue 29 item 9): the website's name form kept a
first name with a line break and "Bcc: ...", the API too; now registration, the profile (API and
website), staff in the admin and the address book refuse it with the field named."""

import pytest

from accounts.services import user_create
from common.exceptions import InvalidInput
from common.testing import API
from common.text import one_line

pytestmark = pytest.mark.django_db

HEADER_INJECTION = "Mira\r\nBcc: thief@example.com"


@pytest.mark.parametrize(
    "value", [HEADER_INJECTION, "Mira\x00", "Mi\u202era", "Mira\u2028Nair", "Mira\x1b[31m", "\ue000"]
)
def test_control_and_invisible_characters_are_refused(value):
    with pytest.raises(InvalidInput) as refused:
        one_line(value, field="first_name", max_length=150)
    assert list(refused.value.errors) == ["first_name"]


def test_every_script_and_indic_joiners_are_kept_spaces_collapse():
    assert one_line("  मीरा   नायर ", field="n", max_length=150) == "मीरा नायर"
    assert one_line("ക്\u200dഷ", field="n", max_length=150) == "ക്\u200dഷ"  # Malayalam chillu with ZWJ
    with pytest.raises(InvalidInput):
        one_line("x" * 151, field="n", max_length=150)


def test_the_api_profile_and_registration_refuse_a_broken_name(api, client_for, shopper):
    answer = client_for(shopper).put(f"{API}/auth/user/{shopper.pk}", {"first_name": HEADER_INJECTION}, format="json")
    assert answer.status_code == 400 and "first_name" in answer.json()["errors"]
    answer = api.post(
        f"{API}/auth/register/password",
        {
            "email": "new@example.com",
            "password": "a-long-passphrase-51",
            "confirm_password": "a-long-passphrase-51",
            "first_name": HEADER_INJECTION,
        },
        format="json",
    )
    assert answer.status_code == 400 and "first_name" in answer.json()["errors"]
    shopper.refresh_from_db()
    assert shopper.first_name == "Meera"


def test_the_website_name_form_refuses_a_broken_name(signed_in, shopper):
    page = signed_in.post("/account/profile/name/", {"first_name": HEADER_INJECTION, "last_name": "Nair"})
    assert page.status_code == 400
    shopper.refresh_from_db()
    assert shopper.first_name == "Meera"
    signed_in.post("/account/profile/name/", {"first_name": "  Mira  ", "last_name": "Nair"})
    shopper.refresh_from_db()
    assert shopper.first_name == "Mira"


def test_staff_cannot_store_a_broken_name_either(staff_client, shopper):
    manager = staff_client("Managers")
    url = f"/admin/accounts/user/{shopper.pk}/change/"
    page = manager.get(url)
    assert page.status_code == 200
    form = {"first_name": HEADER_INJECTION, "last_name": "Nair", "notification_preferences": "{}"}
    answer = manager.post(url, form)
    shopper.refresh_from_db()
    assert shopper.first_name == "Meera"
    assert answer.status_code == 200  # the form again, with its error


def test_user_create_and_the_address_book_refuse_it(client_for, shopper):
    with pytest.raises(InvalidInput):
        user_create(password=None, email="x@example.com", first_name=HEADER_INJECTION)
    answer = client_for(shopper).post(
        f"{API}/customers/{shopper.pk}/addresses",
        {
            "first_name": "Mira",
            "last_name": "Nair",
            "address_line1": "12 MG Road\nBcc: thief@example.com",
            "city": "Pune",
            "state": "Maharashtra",
            "pincode": "411001",
            "country": "India",
            "phone": "9876543210",
            "country_code": "+91",
            "email": "mira@example.com",
        },
        format="json",
    )
    assert answer.status_code == 400 and "address_line1" in answer.json()["errors"], answer.json()
