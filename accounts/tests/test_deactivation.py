"""Deactivating one's own account and coming back (issue 27, item 3): the service, the SDK's
`PUT /auth/user/{id}/deactivate`, sign-in refused by every door with `account_deactivated`,
reactivation by a code sign-in or by staff, and the website's "Deactivate my account"."""

import pytest
from django.core import mail
from django.test import Client

from accounts import erasure, services, signin
from accounts.errors import AccountDeactivated
from accounts.models import AuthSession, User
from accounts.tokens import session_start
from common.exceptions import DomainError, InvalidInput, Unauthorized
from common.testing import API, PASSWORD, admin_action, assert_error, run_together
from customers.tests.factories import make_address

pytestmark = pytest.mark.django_db(transaction=True)

USERS = "/admin/accounts/user/"


def post(api, path, body, **kwargs):
    return api.post(f"{API}{path}", body, format="json", **kwargs)


def deactivate(client, user_id):
    return client.put(f"{API}/auth/user/{user_id}/deactivate")


def code_sign_in(api, email):
    content = post(api, "/auth/login/email", {"email": email}).json()["content"]
    code = [m for m in mail.outbox if m.to == [email] and "is your code" in m.body][-1].body.split()[0]
    return post(api, "/auth/verify-otp", {"otp": code, "otp_token": content["otp_token"], "otp_action": "login"})


def subjects(to):
    return [m.subject for m in mail.outbox if m.to == [to]]


# --- the service ----------------------------------------------------------------------------


def test_deactivate_ends_every_session_keeps_the_data_and_tells_each_address(shopper, text_outbox):
    make_address(shopper)
    first, second = session_start(user=shopper), session_start(user=shopper)

    services.account_deactivate(user=shopper)

    user = User.objects.get(pk=shopper.pk)
    assert not user.is_active and user.deactivated_at is not None and user.is_deactivated_by_shopper
    assert user.email == "shopper@example.com" and user.addresses.count() == 1  # nothing erased
    ended = AuthSession.objects.filter(pk__in=[first.session.pk, second.session.pk])
    assert {(s.ended_at is not None, s.ended_reason) for s in ended} == {(True, "deactivated")}
    assert subjects(shopper.email) == ["Your account is deactivated"]
    assert [t.to for t in text_outbox] == ["+919123456780"] and "sign in with a code" in text_outbox[0].body


def test_deactivating_twice_sends_nothing_twice(shopper):
    services.account_deactivate(user=shopper)
    services.account_deactivate(user=shopper)
    assert subjects(shopper.email) == ["Your account is deactivated"]


def test_an_account_without_a_verified_address_is_not_deactivated(make_user):
    user = make_user(email="unproven@example.com", phone=None)
    with pytest.raises(DomainError) as refused:
        services.account_deactivate(user=user)
    assert refused.value.code == "conflict" and "Verify your email or phone" in refused.value.message
    assert User.objects.get(pk=user.pk).is_active


def test_reactivate_opens_it_and_says_so(shopper):
    services.account_deactivate(user=shopper)
    user = services.account_reactivate(user=shopper)
    assert user.is_active and user.deactivated_at is None and user.reactivated_at is not None
    assert subjects(shopper.email) == ["Your account is deactivated", "Your account is active again"]
    assert services.account_reactivate(user=user).reactivated_at == user.reactivated_at  # no-op when active


def test_an_erased_account_cannot_be_reactivated(shopper):
    erasure.account_erase(user=shopper, password=PASSWORD)
    with pytest.raises(DomainError):
        services.account_reactivate(user=User.objects.get(pk=shopper.pk))
    assert not User.objects.get(pk=shopper.pk).is_active


def test_staff_disabling_a_deactivated_account_takes_away_the_code_way_back(shopper):
    services.account_deactivate(user=shopper)
    services.user_deactivate(user=shopper)
    assert not User.objects.get(pk=shopper.pk).is_deactivated_by_shopper
    # Its right password is then the same 401 as any wrong one, and a code goes nowhere.
    with pytest.raises(Unauthorized):
        signin.sign_in(password=PASSWORD, ip="10.0.0.1", email=shopper.email)
    issued = signin.sign_in_code_send(channel="email", email=shopper.email)
    assert issued.record.user_id is None and subjects(shopper.email) == ["Your account is deactivated"]


def test_sign_in_says_deactivated_only_for_the_right_password(shopper):
    services.account_deactivate(user=shopper)
    with pytest.raises(AccountDeactivated) as refused:
        signin.sign_in(password=PASSWORD, ip="10.0.0.1", email=shopper.email)
    assert refused.value.status_code == 403 and refused.value.code == "account_deactivated"
    with pytest.raises(Unauthorized) as wrong:
        signin.sign_in(password="not-the-password", ip="10.0.0.1", email=shopper.email)
    with pytest.raises(Unauthorized) as unknown:
        signin.sign_in(password="not-the-password", ip="10.0.0.1", email="nobody@example.com")
    assert wrong.value.message == unknown.value.message


def test_a_code_sign_in_reactivates(shopper):
    services.account_deactivate(user=shopper)
    issued = signin.sign_in_code_send(channel="email", email=shopper.email)
    user = signin.sign_in_with_code(otp_token=issued.otp_token, otp=issued.code, ip="10.0.0.1")
    assert user.reactivated and User.objects.get(pk=shopper.pk).is_active
    # A wrong code reactivates nothing.
    services.account_deactivate(user=user)
    issued = signin.sign_in_code_send(channel="email", email=shopper.email)
    with pytest.raises(InvalidInput):
        wrong = "000000" if issued.code != "000000" else "111111"
        signin.sign_in_with_code(otp_token=issued.otp_token, otp=wrong, ip="10.0.0.1")
    assert not User.objects.get(pk=shopper.pk).is_active


# --- the API ----------------------------------------------------------------------------------


def test_deactivate_own_account(client_for, shopper):
    client = client_for(shopper)
    other_device = client_for(shopper)

    response = deactivate(client, shopper.pk)

    assert response.status_code == 200
    assert response.json() == {  # the SDK's shape: no content
        "message": "Your account is deactivated. Sign in with a code to reactivate it.",
        "success": True,
    }
    assert_error(client.get(f"{API}/auth/user/{shopper.pk}"), 401, "unauthorized")
    assert_error(other_device.get(f"{API}/auth/user/{shopper.pk}"), 401, "unauthorized")


def test_deactivate_is_for_ones_own_account_only(client_for, api, shopper, other_shopper):
    client = client_for(shopper)
    assert_error(deactivate(client, other_shopper.pk), 403, "forbidden")
    assert_error(deactivate(client_for(None), shopper.pk), 403, "forbidden")
    assert_error(deactivate(api, shopper.pk), 401, "unauthorized")
    assert deactivate(client, "not-an-id").status_code == 404
    assert User.objects.get(pk=other_shopper.pk).is_active and User.objects.get(pk=shopper.pk).is_active


def test_deactivate_twice_at_once(client_for, shopper):
    client = client_for(shopper)
    answers = []
    errors = run_together(
        lambda: answers.append(deactivate(client, shopper.pk).status_code),
        lambda: answers.append(deactivate(client, shopper.pk).status_code),
    )
    assert errors == []
    # Whichever came second waited for the first (a no-op), or found its session ended.
    assert 200 in answers and set(answers) <= {200, 401}
    assert subjects(shopper.email) == ["Your account is deactivated"]
    assert not User.objects.get(pk=shopper.pk).is_active


def test_every_way_to_sign_in_is_refused_with_its_own_code(api, client_for, shopper):
    refresh_token = client_for(shopper).pair.refresh_token
    deactivate(client_for(shopper), shopper.pk)

    for body in ({"email": shopper.email}, {"phone": shopper.phone, "country_code": "+91"}):
        body = assert_error(
            post(api, "/auth/login/password", {**body, "password": PASSWORD}), 403, "account_deactivated"
        )
        assert body["message"] == (
            "This account is deactivated. Reactivate it with a code sent to your email or phone."
        )
    assert_error(post(api, "/auth/refresh-token", {"refresh_token": refresh_token}), 403, "account_deactivated")
    # Without the credential nothing is told: a wrong password is the usual 401.
    wrong = post(api, "/auth/login/password", {"email": shopper.email, "password": "wrong-pass-1234"})
    unknown = post(api, "/auth/login/password", {"email": "nobody@example.com", "password": "wrong-pass-1234"})
    assert assert_error(wrong, 401, "unauthorized") == assert_error(unknown, 401, "unauthorized")


def test_reactivate_by_a_code_sign_in(api, client_for, shopper):
    old = client_for(shopper)
    deactivate(old, shopper.pk)

    response = code_sign_in(api, shopper.email)

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Welcome back: your account is active again."
    assert body["content"]["user"]["id"] == shopper.pk
    assert User.objects.get(pk=shopper.pk).is_active
    fresh = api.get(f"{API}/auth/user/{shopper.pk}", HTTP_AUTHORIZATION=f"Bearer {body['content']['access_token']}")
    assert fresh.status_code == 200
    # The sessions from before the deactivation stay ended.
    assert_error(old.get(f"{API}/auth/user/{shopper.pk}"), 401, "unauthorized")
    assert_error(post(api, "/auth/refresh-token", {"refresh_token": old.pair.refresh_token}), 401, "unauthorized")
    # And the password signs in again.
    assert post(api, "/auth/login/password", {"email": shopper.email, "password": PASSWORD}).status_code == 200


def test_a_password_reset_reactivates_too(api, shopper):
    new = "fresh-pass-5678"
    services.account_deactivate(user=shopper)
    content = post(api, "/auth/forgot-password", {"email": shopper.email}).json()["content"]
    code = [m for m in mail.outbox if "is your code" in m.body][-1].body.split()[0]

    response = post(
        api,
        "/auth/reset-password",
        {"otp": code, "otp_token": content["otp_token"], "new_password": new, "confirm_password": new},
    )

    assert response.status_code == 200 and response.json()["content"]["user"]["id"] == shopper.pk
    user = User.objects.get(pk=shopper.pk)
    assert user.is_active and user.check_password(new)


def test_the_reset_link_reaches_a_deactivated_account_and_reactivates_it(client, shopper):
    services.account_deactivate(user=shopper)
    client.post("/account/password-reset/", {"email": shopper.email})
    [link] = [m for m in mail.outbox if "password-reset/" in m.body]
    assert link.to == [shopper.email]
    services.password_set(user=shopper, new_password="fresh-pass-5678", field="new_password1")
    assert User.objects.get(pk=shopper.pk).is_active


def test_a_code_to_an_unverified_address_does_not_reactivate(api, make_user):
    user = make_user(email="half@example.com", phone="9000000077", is_phone_verified=True)
    services.account_deactivate(user=user)
    response = post(api, "/auth/login/email", {"email": "half@example.com"})
    assert response.status_code == 200 and response.json()["content"]["otp_action"] == "login"
    assert not [m for m in mail.outbox if "is your code" in m.body]
    assert not User.objects.get(pk=user.pk).is_active


# --- the website ------------------------------------------------------------------------------


def test_profile_offers_deactivate_beside_delete(signed_in):
    page = signed_in.get("/account/profile/").content.decode()
    assert "Deactivate my account" in page and "Delete my account" in page
    assert "keeping everything" in page and "for good" in page


def test_website_deactivate_with_the_password(signed_in, shopper, client_for):
    elsewhere = Client()
    elsewhere.force_login(shopper)
    api_client = client_for(shopper)

    response = signed_in.post("/account/profile/deactivate/", {"deactivate-password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/account/account-deactivated/"
    page = signed_in.get("/account/account-deactivated/")
    assert page.status_code == 200 and b"Send me a code" in page.content and b"Nothing is erased" in page.content
    assert User.objects.get(pk=shopper.pk).is_deactivated_by_shopper
    assert elsewhere.get("/account/profile/").status_code == 302  # signed out on the other browser too
    assert_error(api_client.get(f"{API}/auth/user/{shopper.pk}"), 401, "unauthorized")


def test_website_deactivate_with_a_wrong_password(signed_in, shopper):
    response = signed_in.post("/account/profile/deactivate/", {"deactivate-password": "not-it-at-all"})
    assert response.status_code == 400 and b"The password is not correct." in response.content
    assert User.objects.get(pk=shopper.pk).is_active


def test_website_deactivate_with_a_code_for_an_account_without_password(client, make_user):
    user = make_user(email="codes@example.com", phone=None, password=None, is_email_verified=True)
    client.force_login(user)
    client.post("/account/profile/data/code/")
    code = [m for m in mail.outbox if "is your code" in m.body][-1].body.split()[0]

    response = client.post("/account/profile/deactivate/", {"otp": code})

    assert response["Location"] == "/account/account-deactivated/"
    assert User.objects.get(pk=user.pk).is_deactivated_by_shopper


def test_the_deactivated_page_is_only_for_who_just_deactivated(signed_in):
    assert Client().get("/account/account-deactivated/")["Location"] == "/account/sign-in/"
    assert signed_in.get("/account/account-deactivated/")["Location"] == "/account/"


def test_website_sign_in_offers_the_code_then_reactivates(client, shopper):
    services.account_deactivate(user=shopper)

    refused = client.post("/account/sign-in/", {"username": shopper.email, "password": PASSWORD})
    assert refused.status_code == 200 and "This account is deactivated" in refused.content.decode()
    assert "Send me a code" in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated

    sent = client.post("/account/sign-in/", {"username": shopper.email, "send_code": "1"})
    assert sent["Location"] == "/account/sign-in/code/"
    code = [m for m in mail.outbox if "is your code" in m.body][-1].body.split()[0]
    signed = client.post("/account/sign-in/code/", {"otp": code}, follow=True)
    assert signed.wsgi_request.user.pk == shopper.pk
    assert "Welcome back: your account is active again." in signed.content.decode()


def test_a_browser_signed_in_before_stays_signed_out_after_reactivation(shopper):
    before = Client()
    before.force_login(shopper)
    services.account_deactivate(user=shopper)
    services.account_reactivate(user=shopper)
    assert before.get("/account/profile/").status_code == 302
    fresh = Client()
    fresh.force_login(User.objects.get(pk=shopper.pk))
    assert fresh.get("/account/profile/").status_code == 200


# --- staff ------------------------------------------------------------------------------------


def test_manager_reactivates_from_the_list_and_the_page(staff_client, shopper, other_shopper):
    client = staff_client("Managers")
    services.account_deactivate(user=shopper)
    page = client.get(f"{USERS}{shopper.pk}/change/").content.decode()
    assert "This account is deactivated (by the shopper)" in page and f"{shopper.pk}/reactivate/" in page

    admin_action(client, USERS, "reactivate", [shopper])
    assert User.objects.get(pk=shopper.pk).is_active

    services.user_deactivate(user=other_shopper)
    assert "(by staff)" in client.get(f"{USERS}{other_shopper.pk}/change/").content.decode()
    response = client.post(f"{USERS}{other_shopper.pk}/reactivate/")
    assert response.status_code == 302 and User.objects.get(pk=other_shopper.pk).is_active


def test_support_cannot_reactivate(staff_client, shopper):
    client = staff_client("Support")
    services.account_deactivate(user=shopper)
    page = client.get(f"{USERS}{shopper.pk}/change/").content.decode()
    assert "This account is deactivated (by the shopper)" in page and f"{shopper.pk}/reactivate/" not in page
    assert client.post(f"{USERS}{shopper.pk}/reactivate/").status_code == 403
    admin_action(client, USERS, "reactivate", [shopper])
    assert not User.objects.get(pk=shopper.pk).is_active
