"""Issue 26 (outside attack): an address nobody proved reserves nothing.

The attack: sign up with your own phone and someone else's email beside it, prove the phone,
and the account holds the email unverified; the real owner then got no code from
`register/email` or `login/email` (answered "we sent...", sent nothing), locked out of their
own address. Now an address is held only once proved with a code, and whoever proves it takes
it from an account that has it unproven (accounts.services.contact.address_claim).
"""

import pytest
from django.core import mail

from accounts import services, signin
from accounts.models import User
from accounts.tokens import session_new
from common.exceptions import DomainError
from common.testing import API, PASSWORD, assert_error, run_together

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM_EMAIL = "victim@example.org"
VICTIM_PHONE = "9222222222"
SQUATTER_PHONE = "9111111111"
SQUATTER_EMAIL = "squatter@example.net"


def post(api, path, body):
    return api.post(f"{API}{path}", body, format="json")


def verify(api, content, otp):
    return post(
        api, "/auth/verify-otp", {"otp": otp, "otp_token": content["otp_token"], "otp_action": content["otp_action"]}
    )


def email_code(to: str) -> str:
    return [m for m in mail.outbox if m.to == [to] and "is your code" in m.body][-1].body.split()[0]


def text_code(outbox, to: str) -> str:
    return [m for m in outbox if m.to == to and "is your code" in m.body][-1].body.split()[0]


def squat_email(api, text_outbox) -> User:
    """The attack: the squatter's own phone proved, the victim's email typed beside it."""
    content = post(
        api, "/auth/register/phone", {"phone": SQUATTER_PHONE, "first_name": "A", "email": VICTIM_EMAIL}
    ).json()["content"]
    user = verify(api, content, text_code(text_outbox, f"+91{SQUATTER_PHONE}")).json()["content"]["user"]
    assert (user["email"], user["is_email_verified"], user["is_phone_verified"]) == (VICTIM_EMAIL, False, True)
    return User.objects.get(pk=user["id"])


def squat_phone(api) -> User:
    content = post(
        api, "/auth/register/email", {"email": SQUATTER_EMAIL, "first_name": "A", "phone": VICTIM_PHONE}
    ).json()["content"]
    user = verify(api, content, email_code(SQUATTER_EMAIL)).json()["content"]["user"]
    assert (user["phone"], user["is_phone_verified"], user["is_email_verified"]) == (VICTIM_PHONE, False, True)
    return User.objects.get(pk=user["id"])


@pytest.mark.parametrize(
    "path, extra",
    [("/auth/register/email", {"first_name": "Vera"}), ("/auth/login/email", {"register_if_not_exists": True})],
)
def test_the_owner_of_a_squatted_email_registers_and_signs_in_and_the_squatter_loses_it(api, text_outbox, path, extra):
    squatter = squat_email(api, text_outbox)

    response = post(api, path, {"email": VICTIM_EMAIL, **extra})
    assert response.status_code == 200
    owner = verify(api, response.json()["content"], email_code(VICTIM_EMAIL)).json()["content"]["user"]
    assert owner["id"] != squatter.pk
    assert (owner["email"], owner["is_email_verified"]) == (VICTIM_EMAIL, True)

    squatter.refresh_from_db()
    assert (squatter.email, squatter.is_email_verified) == (None, False)
    assert (squatter.phone, squatter.is_phone_verified) == (SQUATTER_PHONE, True)  # the rest is left
    [notice] = [t for t in text_outbox if t.to == f"+91{SQUATTER_PHONE}" and "no longer on your account" in t.body]
    assert VICTIM_EMAIL in notice.body

    # The owner signs in with a code to the address, into the account made just now.
    content = post(api, "/auth/login/email", {"email": VICTIM_EMAIL}).json()["content"]
    signed_in = verify(api, content, email_code(VICTIM_EMAIL))
    assert signed_in.status_code == 200 and signed_in.json()["content"]["user"]["id"] == owner["id"]
    assert User.objects.filter(email=VICTIM_EMAIL).count() == 1


def test_the_owner_of_a_squatted_phone_registers_and_signs_in_and_the_squatter_loses_it(api, text_outbox):
    squatter = squat_phone(api)

    content = post(api, "/auth/register/phone", {"phone": VICTIM_PHONE, "first_name": "Vera"}).json()["content"]
    owner = verify(api, content, text_code(text_outbox, f"+91{VICTIM_PHONE}")).json()["content"]["user"]
    assert owner["id"] != squatter.pk and (owner["phone"], owner["is_phone_verified"]) == (VICTIM_PHONE, True)

    squatter.refresh_from_db()
    assert (squatter.phone, squatter.is_phone_verified, squatter.email) == (None, False, SQUATTER_EMAIL)
    [notice] = [m for m in mail.outbox if m.to == [SQUATTER_EMAIL] and "removed" in m.subject]
    assert f"+91{VICTIM_PHONE}" in notice.body

    for path in ("/auth/login/phone", "/auth/login/whatsapp"):
        content = post(api, path, {"phone": VICTIM_PHONE}).json()["content"]
        signed_in = verify(api, content, text_code(text_outbox, f"+91{VICTIM_PHONE}"))
        assert signed_in.status_code == 200 and signed_in.json()["content"]["user"]["id"] == owner["id"]


def test_the_owner_proves_a_squatted_email_as_the_new_email_of_their_account(api, client_for, shopper, text_outbox):
    squatter = squat_email(api, text_outbox)
    client = client_for(shopper)
    response = client.put(f"{API}/auth/user/{shopper.pk}", {"email": VICTIM_EMAIL}, format="json")
    content = response.json()["content"]
    assert response.status_code == 200 and content["otp_action"] == "update-email"

    response = client.post(
        f"{API}/auth/verify-otp",
        {"otp": email_code(VICTIM_EMAIL), "otp_token": content["otp_token"], "otp_action": "update-email"},
        format="json",
    )
    user = response.json()["content"]["user"]
    assert response.status_code == 200 and (user["email"], user["is_email_verified"]) == (VICTIM_EMAIL, True)
    squatter.refresh_from_db()
    assert squatter.email is None
    assert [t for t in text_outbox if t.to == f"+91{SQUATTER_PHONE}" and VICTIM_EMAIL in t.body]


def test_a_proved_address_is_never_taken(api, text_outbox, shopper):
    """What a proof takes is only what nobody proved: the shopper's own addresses stay theirs,
    and registering them sends the owner a notice, never a code to the one who asked."""
    before = len(mail.outbox)
    post(api, "/auth/register/email", {"email": shopper.email, "first_name": "X"})
    post(api, "/auth/login/email", {"email": "new@example.com", "register_if_not_exists": True})
    assert not [m for m in mail.outbox[before:] if m.to == [shopper.email] and "is your code" in m.body]
    content = post(
        api, "/auth/register/phone", {"phone": "9000000031", "first_name": "Y", "email": shopper.email}
    ).json()["content"]
    # The email typed beside the proved phone is someone's: the account is made without it.
    user = verify(api, content, text_code(text_outbox, "+919000000031")).json()["content"]["user"]
    assert user["email"] is None and user["is_phone_verified"] is True
    shopper.refresh_from_db()
    assert (shopper.email, shopper.is_email_verified) == ("shopper@example.com", True)


def test_the_address_typed_beside_stays_off_when_another_account_has_it_unproven(api, text_outbox, make_user):
    holder = make_user(email="typed@example.com", phone="9000000032")  # neither proved
    content = post(
        api, "/auth/register/phone", {"phone": "9000000033", "first_name": "Y", "email": "typed@example.com"}
    ).json()["content"]
    user = verify(api, content, text_code(text_outbox, "+919000000033")).json()["content"]["user"]
    assert user["email"] is None  # unproven, it takes nothing
    assert User.objects.get(pk=holder.pk).email == "typed@example.com"


def test_an_account_left_without_any_address_keeps_it_and_the_proof_is_409(api, make_user):
    only = make_user(email=VICTIM_EMAIL, phone=None)  # made by staff, never proved, nothing else
    content = post(api, "/auth/register/email", {"email": VICTIM_EMAIL, "first_name": "Vera"}).json()["content"]
    assert_error(verify(api, content, email_code(VICTIM_EMAIL)), 409, "account_exists")
    assert User.objects.get(pk=only.pk).email == VICTIM_EMAIL and User.objects.count() == 1


def test_password_sign_in_and_reset_still_ignore_the_unproved_address(api, text_outbox):
    squatter = squat_email(api, text_outbox)
    services.password_set(user=squatter, new_password=PASSWORD)
    assert post(api, "/auth/login/password", {"email": VICTIM_EMAIL, "password": PASSWORD}).status_code == 401
    before = len(mail.outbox)
    post(api, "/auth/forgot-password", {"email": VICTIM_EMAIL})
    assert mail.outbox[before:] == []


# --- two proofs at once -------------------------------------------------------------------


def test_two_proofs_of_one_squatted_email_at_once_one_wins_the_other_is_409(api, text_outbox, make_user):
    squatter = squat_email(api, text_outbox)
    changer = make_user(email="changer@example.com", phone="9000000034", is_email_verified=True)
    sign_up = services.registration_start(password=None, email=VICTIM_EMAIL, first_name="Vera")
    change = services.contact_code_send(
        user=changer,
        action="update-email",
        channel="email",
        email=VICTIM_EMAIL,
        session=session_new(user=changer, client=None),
    )
    sign_in = signin.sign_in_code_send(channel="email", email=VICTIM_EMAIL, register_if_not_exists=True)
    done = []

    def register():
        done.append(services.registration_complete(otp_token=sign_up.otp_token, otp=sign_up.code))

    def change_email():
        done.append(
            services.contact_code_confirm(
                user=changer, action="update-email", otp_token=change.otp_token, otp=change.code
            )
        )

    errors = run_together(register, change_email)

    assert len(done) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].status_code == 409
    assert errors[0].code in ("account_exists", "conflict")
    [holder] = User.objects.filter(email=VICTIM_EMAIL)
    assert holder.pk == done[0].pk and holder.is_email_verified
    assert User.objects.get(pk=squatter.pk).email is None
    # A third proof afterwards signs in to the winner; it makes no account and takes nothing.
    assert signin.sign_in_with_code(otp_token=sign_in.otp_token, otp=sign_in.code, ip=None).pk == holder.pk


def test_two_sign_ups_proving_one_squatted_phone_at_once_make_one_account(api, make_user):
    squatter = squat_phone(api)
    sign_up = services.registration_start(password=None, phone=VICTIM_PHONE, first_name="Vera", channel="sms")
    sign_in = signin.sign_in_code_send(channel="whatsapp", phone=VICTIM_PHONE, register_if_not_exists=True)
    done = []
    errors = run_together(
        lambda: done.append(services.registration_complete(otp_token=sign_up.otp_token, otp=sign_up.code)),
        lambda: done.append(signin.sign_in_with_code(otp_token=sign_in.otp_token, otp=sign_in.code, ip=None)),
    )
    # Either both land on one account (the second proof, coming after, signs in to it) or the
    # second meets the first's row and is refused 409: never two accounts, never a 500.
    assert all(isinstance(e, DomainError) and e.status_code == 409 for e in errors), errors
    assert len(done) + len(errors) == 2 and len({u.pk for u in done}) == 1
    assert User.objects.filter(phone=VICTIM_PHONE).count() == 1
    assert User.objects.get(pk=squatter.pk).phone is None


def test_an_account_made_without_a_code_takes_nothing(make_user):
    """Staff, seeding and tests make accounts directly: no proof, so an address another
    account has, even unproven, is refused (409) rather than taken or a database error."""
    holder = make_user(email="typed@example.com", phone="9000000035")
    for address in ({"email": "TYPED@example.com", "phone": None}, {"email": None, "phone": "9000000035"}):
        with pytest.raises(DomainError) as exc:
            services.user_create(password=PASSWORD, **address)
        assert exc.value.code == "account_exists"
    assert User.objects.get() == holder
