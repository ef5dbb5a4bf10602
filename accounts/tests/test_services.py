"""Account services: the profile, contact changes with codes, passwords, the picture; one-time
codes; erasure through each app's hook."""

import ast
import inspect
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from PIL import Image

from accounts import erasure, services
from accounts.models import AuthSession, OtpToken, User
from accounts.otp import otp_consume, otp_issue
from accounts.tokens import session_new, session_start
from common.exceptions import DomainError, InvalidInput, Throttled
from common.testing import PASSWORD
from common.tests.imagefiles import jpeg_with_gps, png, upload
from customers.tests.factories import make_address

pytestmark = pytest.mark.django_db(transaction=True)


def code_in(message) -> str:
    return message.body.split()[0]


# --- profile fields -----------------------------------------------------------------------


def test_update_names_only_touches_names(shopper):
    user = services.user_update(user=shopper, data={"first_name": "Mira"}).user
    assert user.first_name == "Mira" and user.last_name == "Nair"
    assert user.is_email_verified and mail.outbox == []


def test_email_given_to_update_waits_for_its_code_and_old_address_is_told(shopper):
    update = services.user_update(
        user=shopper,
        data={"email": "New@Example.com", "first_name": "Mira"},
        session=session_new(user=shopper, client=None),
    )
    user = User.objects.get(pk=shopper.pk)
    assert (user.email, user.is_email_verified, user.first_name) == ("shopper@example.com", True, "Mira")
    assert update.pending.otp_action == "update-email" and update.pending.record.target == "new@example.com"
    assert [m.to for m in mail.outbox] == [["new@example.com"], ["shopper@example.com"]]
    assert "new@example.com" in mail.outbox[1].body
    services.contact_code_confirm(
        user=shopper, action="update-email", otp_token=update.pending.otp_token, otp=code_in(mail.outbox[0])
    )
    assert User.objects.get(pk=shopper.pk).email == "new@example.com"


def test_phone_given_to_update_waits_for_its_code_and_old_number_is_told(shopper, text_outbox):
    update = services.user_update(
        user=shopper, data={"phone": "9000000009"}, session=session_new(user=shopper, client=None)
    )
    user = User.objects.get(pk=shopper.pk)
    assert (user.phone, user.is_phone_verified) == ("9123456780", True)
    assert update.pending.otp_action == "update-phone"
    assert [m.to for m in text_outbox] == ["+919000000009", "+919123456780"]


def test_email_and_phone_change_one_at_a_time(shopper):
    with pytest.raises(InvalidInput):
        services.user_update(
            user=shopper,
            data={"email": "n@example.com", "phone": "9000000009"},
            session=session_new(user=shopper, client=None),
        )
    assert OtpToken.objects.count() == 0 and mail.outbox == []


def test_email_or_phone_another_account_proved_is_a_conflict(shopper, make_user):
    # Proved: an address another account has without proof can be taken (test_squatting.py).
    other = make_user(email="taken@example.com", phone="9222222222", is_email_verified=True, is_phone_verified=True)
    for data in ({"email": "TAKEN@example.com"}, {"phone": other.phone}):
        with pytest.raises(DomainError) as exc:
            services.user_update(user=shopper, data=data, session=session_new(user=shopper, client=None))
        assert exc.value.code == "conflict"
    shopper.refresh_from_db()
    assert shopper.email == "shopper@example.com" and shopper.phone == "9123456780"


def test_account_keeps_a_verified_email_or_phone(make_user):
    user = make_user(email="only@example.com", phone=None, is_email_verified=True)
    with pytest.raises(InvalidInput):
        services.user_update(user=user, data={"email": None}, session=session_new(user=user, client=None))
    both = make_user(email="both@example.com", phone="9333333333", is_email_verified=True)
    with pytest.raises(InvalidInput):  # the phone left would be unverified
        services.user_update(user=both, data={"email": None}, session=session_new(user=both, client=None))
    both.is_phone_verified = True
    both.save()
    user = services.user_update(user=both, data={"email": None}, session=session_new(user=both, client=None)).user
    assert user.email is None and user.phone == "9333333333"
    assert mail.outbox[-1].to == ["both@example.com"]  # the address removed is told


def test_notification_preferences_partial_update(shopper):
    user = services.notification_preferences_update(
        user=shopper, changes={"promotional": {"whatsapp": True}, "transactional": {"sms": False}}
    )
    prefs = User.objects.get(pk=user.pk).notification_preferences
    assert prefs["promotional"] == {"email": False, "sms": False, "whatsapp": True}
    assert prefs["transactional"] == {"email": True, "sms": False, "whatsapp": True}
    assert prefs["newsletter"] == {"email": False, "sms": False, "whatsapp": False}


# --- email / phone with a code ------------------------------------------------------------


def test_update_email_code_goes_to_the_new_address_and_sets_it_verified(shopper):
    issued = services.contact_code_send(
        user=shopper,
        session=session_new(user=shopper, client=None),
        action="update-email",
        channel="email",
        email="fresh@example.com",
    )
    assert mail.outbox[0].to == ["fresh@example.com"]
    assert User.objects.get(pk=shopper.pk).email == "shopper@example.com"  # not before the code
    user = services.contact_code_confirm(
        user=shopper, action="update-email", otp_token=issued.otp_token, otp=code_in(mail.outbox[0])
    )
    assert user.email == "fresh@example.com" and user.is_email_verified is True
    notice = mail.outbox[-1]
    assert notice.to == ["shopper@example.com"] and "fresh@example.com" in notice.body


def test_update_phone_by_whatsapp(shopper, text_outbox):
    issued = services.contact_code_send(
        user=shopper,
        action="update-phone",
        channel="whatsapp",
        phone="9444444444",
        country_code="+91",
        session=session_new(user=shopper, client=None),
    )
    assert (text_outbox[0].channel, text_outbox[0].to) == ("whatsapp", "+919444444444")
    user = services.contact_code_confirm(
        user=shopper, action="update-phone", otp_token=issued.otp_token, otp=code_in(text_outbox[0])
    )
    assert user.phone == "9444444444" and user.is_phone_verified
    assert text_outbox[-1].to == "+919123456780"  # the old number is told


def test_verify_phone_marks_the_current_number_verified(shopper, text_outbox):
    User.objects.filter(pk=shopper.pk).update(is_phone_verified=False)
    shopper.refresh_from_db()
    issued = services.contact_code_send(user=shopper, action="verify-phone", channel="sms", phone=shopper.phone)
    user = services.contact_code_confirm(
        user=shopper, action="verify-phone", otp_token=issued.otp_token, otp=code_in(text_outbox[0])
    )
    assert user.is_phone_verified and user.phone == "9123456780"
    assert len(text_outbox) == 1  # no change notice: nothing changed


def test_verify_email_refuses_another_address_and_an_already_verified_one(shopper):
    with pytest.raises(InvalidInput):
        services.contact_code_send(user=shopper, action="verify-email", channel="email", email="x@example.com")
    with pytest.raises(DomainError) as exc:
        services.contact_code_send(user=shopper, action="verify-email", channel="email", email=shopper.email)
    assert exc.value.code == "already_verified"


def test_update_to_an_address_another_account_proved_is_a_conflict(shopper, make_user):
    make_user(email="taken@example.com", phone="9222222222", is_email_verified=True)
    with pytest.raises(DomainError) as exc:
        services.contact_code_send(
            user=shopper,
            session=session_new(user=shopper, client=None),
            action="update-email",
            channel="email",
            email="taken@example.com",
        )
    assert exc.value.code == "conflict"
    assert OtpToken.objects.count() == 0


def test_wrong_channel_for_the_action_is_refused(shopper):
    with pytest.raises(InvalidInput):
        services.contact_code_send(
            user=shopper,
            session=session_new(user=shopper, client=None),
            action="update-email",
            channel="sms",
            phone="9000000000",
        )


def test_a_code_only_works_for_the_user_it_was_sent_for(shopper, make_user):
    other = make_user(email="other@example.com", phone="9222222222")
    issued = services.contact_code_send(
        user=shopper,
        session=session_new(user=shopper, client=None),
        action="update-email",
        channel="email",
        email="fresh@example.com",
    )
    with pytest.raises(InvalidInput):
        services.contact_code_confirm(
            user=other, action="update-email", otp_token=issued.otp_token, otp=code_in(mail.outbox[0])
        )
    assert User.objects.get(pk=other.pk).email == "other@example.com"


def test_address_proved_by_another_between_send_and_confirm_is_a_conflict(shopper, make_user):
    issued = services.contact_code_send(
        user=shopper,
        session=session_new(user=shopper, client=None),
        action="update-email",
        channel="email",
        email="race@example.com",
    )
    make_user(email="race@example.com", phone="9555555555", is_email_verified=True)
    with pytest.raises(DomainError, match="Another account already uses this email"):
        services.contact_code_confirm(
            user=shopper, action="update-email", otp_token=issued.otp_token, otp=code_in(mail.outbox[0])
        )
    assert User.objects.get(pk=shopper.pk).email == "shopper@example.com"


# --- passwords ----------------------------------------------------------------------------


def test_change_password_ends_every_other_session(shopper):
    keep, other = session_start(user=shopper), session_start(user=shopper)
    services.password_change(
        user=shopper, old_password=PASSWORD, new_password="brand-new-pass-77", session=keep.session
    )
    assert User.objects.get(pk=shopper.pk).check_password("brand-new-pass-77")
    assert AuthSession.objects.get(pk=keep.session.pk).ended_at is None
    assert AuthSession.objects.get(pk=other.session.pk).ended_reason == "password-changed"
    assert mail.outbox[-1].subject == "Your password was changed"


def test_change_password_with_a_wrong_old_password(shopper):
    with pytest.raises(InvalidInput) as exc:
        services.password_change(user=shopper, old_password="wrong", new_password="brand-new-pass-77", session=None)
    assert exc.value.code == "invalid_password" and "old_password" in exc.value.errors
    assert User.objects.get(pk=shopper.pk).check_password(PASSWORD)


def test_change_password_runs_the_validators(shopper):
    with pytest.raises(InvalidInput) as exc:
        services.password_change(user=shopper, old_password=PASSWORD, new_password="12345678", session=None)
    assert "new_password" in exc.value.errors


def test_reset_password_with_the_code_ends_every_session(shopper):
    sessions = [session_start(user=shopper).session for _ in range(2)]
    issued = services.password_reset_start(email="SHOPPER@example.com")
    user = services.password_reset_complete(
        otp_token=issued.otp_token, otp=code_in(mail.outbox[0]), new_password="reset-pass-555"
    )
    assert user.check_password("reset-pass-555")
    assert not AuthSession.objects.filter(pk__in=[s.pk for s in sessions], ended_at__isnull=True).exists()


def test_reset_for_an_unknown_address_looks_the_same_but_sends_nothing(db):
    issued = services.password_reset_start(email="nobody@example.com")
    assert issued.otp_action == "reset-password" and issued.otp_token
    assert mail.outbox == []
    with pytest.raises(InvalidInput) as exc:
        services.password_reset_complete(otp_token=issued.otp_token, otp=issued.code, new_password="reset-pass-555")
    assert exc.value.code == "invalid_otp"


def test_weak_new_password_does_not_use_up_the_code(shopper):
    issued = services.password_reset_start(phone=shopper.phone)
    with pytest.raises(InvalidInput):
        services.password_reset_complete(otp_token=issued.otp_token, otp=issued.code, new_password="short")
    assert services.password_reset_complete(otp_token=issued.otp_token, otp=issued.code, new_password="reset-pass-555")


# --- profile picture ----------------------------------------------------------------------


def stored(user) -> Path:
    return Path(settings.MEDIA_ROOT) / user.profile_image.name


def test_picture_is_stored_normalised_without_exif(shopper):
    user = services.profile_image_set(user=shopper, upload=upload(jpeg_with_gps()))
    path = stored(user)
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert max(image.size) == 1024 and not image.getexif()
    assert user.profile_image_url.startswith("/media/profile-images/")


def test_replacing_deletes_the_old_file(shopper):
    first = stored(services.profile_image_set(user=shopper, upload=upload(jpeg_with_gps())))
    second = stored(services.profile_image_set(user=shopper, upload=upload(png(), "b.png", "image/png")))
    assert not first.exists() and second.exists()


def test_a_failed_upload_keeps_the_previous_picture(shopper):
    user = services.profile_image_set(user=shopper, upload=upload(jpeg_with_gps()))
    path = stored(user)
    with pytest.raises(InvalidInput):
        services.profile_image_set(user=shopper, upload=upload(b"not an image"))
    assert User.objects.get(pk=shopper.pk).profile_image.name == user.profile_image.name
    assert path.exists()
    assert len(list(path.parent.iterdir())) == 1  # nothing half-written left behind


def test_remove_deletes_the_file(shopper):
    path = stored(services.profile_image_set(user=shopper, upload=upload(jpeg_with_gps())))
    user = services.profile_image_remove(user=shopper)
    assert not user.profile_image and not path.exists()


def test_concurrent_picture_replacements_leave_one_picture_and_no_orphan_files(shopper):
    from common.testing import run_together

    def replace():
        services.profile_image_set(user=shopper, upload=upload(png((300, 200)), "p.png", "image/png"))

    errors = run_together(*[replace for _ in range(6)])
    assert errors == []
    user = User.objects.get(pk=shopper.pk)
    folder = Path(settings.MEDIA_ROOT) / "profile-images"
    assert [p.name for p in folder.iterdir()] == [Path(user.profile_image.name).name]


# --- one-time codes -----------------------------------------------------------------------


def issue(target="new@example.com", **kwargs):
    return otp_issue(action="register", channel=kwargs.pop("channel", "email"), target=target, **kwargs)


def test_code_is_six_digits_and_stored_only_as_a_hash():
    issued = issue()
    record = OtpToken.objects.get()
    assert len(issued.code) == 6 and issued.code.isdigit()
    stored = " ".join(str(value) for value in OtpToken.objects.values().get().values())
    assert issued.code not in stored
    assert issued.otp_token not in stored
    assert record.expires_at - record.created_at == timedelta(minutes=10)


def test_email_code_is_delivered_after_commit():
    issued = issue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert issued.code in mail.outbox[0].body


def test_sms_code_goes_through_the_text_backend(text_outbox):
    issued = issue(target="+919876543210", channel="sms")
    assert [(m.channel, m.to) for m in text_outbox] == [("sms", "+919876543210")]
    assert issued.code in text_outbox[0].body
    assert mail.outbox == []


def test_right_code_is_accepted_once():
    issued = issue()
    record = otp_consume(otp_token=issued.otp_token, otp=issued.code, action="register")
    assert record.consumed_at is not None
    with pytest.raises(InvalidInput) as exc:
        otp_consume(otp_token=issued.otp_token, otp=issued.code, action="register")
    assert exc.value.code == "invalid_otp"


def test_code_for_another_action_is_refused():
    issued = issue()
    with pytest.raises(InvalidInput):
        otp_consume(otp_token=issued.otp_token, otp=issued.code, action="reset-password")


def test_expired_code_is_refused():
    issued = issue()
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    with pytest.raises(InvalidInput) as exc:
        otp_consume(otp_token=issued.otp_token, otp=issued.code, action="register", now=later)
    assert exc.value.code == "otp_expired"


def test_five_wrong_codes_kill_the_token():
    issued = issue()
    wrong = "000000" if issued.code != "000000" else "111111"
    for tries_left in (4, 3, 2, 1):
        with pytest.raises(InvalidInput) as exc:
            otp_consume(otp_token=issued.otp_token, otp=wrong, action="register")
        assert f"{tries_left} tries left" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        otp_consume(otp_token=issued.otp_token, otp=wrong, action="register")
    assert exc.value.code == "otp_attempts_exceeded"
    assert OtpToken.objects.get().attempts == 5
    # Even the right code is now useless.
    with pytest.raises(InvalidInput):
        otp_consume(otp_token=issued.otp_token, otp=issued.code, action="register")


def test_resend_is_refused_for_30_seconds_then_replaces_the_old_code():
    first = issue()
    with pytest.raises(Throttled) as exc:
        issue()
    assert 1 <= exc.value.retry_after <= 30
    second = issue(now=timezone.now() + timedelta(seconds=31))
    with pytest.raises(InvalidInput):
        otp_consume(otp_token=first.otp_token, otp=first.code, action="register")
    assert otp_consume(otp_token=second.otp_token, otp=second.code, action="register")


def test_resend_window_is_per_address():
    issue(target="one@example.com")
    issue(target="two@example.com")
    assert OtpToken.objects.count() == 2


def test_a_failing_mail_server_does_not_fail_the_request(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 1  # nothing listens there
    issued = issue(target="down@example.com")
    assert issued.otp_token
    assert "Could not send a message by email" in caplog.text


# --- erasure: each app erases and exports its own data -----------------------------------------


def test_every_app_holding_shopper_data_registers_its_hooks_in_app_order():
    registered = {app.app_label: app for app in erasure.customer_data_registered()}
    assert list(registered) == ["catalog", "customers", "orders", "loyalty", "reviews", "notifications"]
    # Orders and the loyalty ledger are the shop's books: exported, never erased; orders erases
    # only the photos a shopper sent with a return.
    assert {label for label, app in registered.items() if app.erase} == {
        "catalog",
        "customers",
        "orders",
        "reviews",
        "notifications",
    }
    assert all(app.export for app in registered.values())


def test_the_accounts_app_imports_no_other_app_to_erase_or_export():
    tree = ast.parse(inspect.getsource(erasure))
    imported = {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    imported |= {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not imported & {"catalog", "customers", "loyalty", "notifications", "orders", "reviews"}, imported


def test_a_failing_hook_rolls_the_whole_erasure_back(shopper, monkeypatch, django_capture_on_commit_callbacks):
    services.profile_image_set(user=shopper, upload=upload(jpeg_with_gps()))
    picture = Path(settings.MEDIA_ROOT) / User.objects.get(pk=shopper.pk).profile_image.name
    make_address(shopper)

    def broken(*, user):
        raise RuntimeError("storage of the last app is down")

    monkeypatch.setattr(erasure, "_registry", dict(erasure._registry))
    erasure.customer_data_register(app_label="zzz", erase=broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erasure.account_erase(user=shopper, password=PASSWORD)
    user = User.objects.get(pk=shopper.pk)
    assert user.is_active and user.email == "shopper@example.com" and user.addresses.count() == 1
    assert picture.exists()  # files go only once the erasure has committed


def test_a_sign_up_code_is_resent_only_for_a_sign_up_that_exists(settings):
    from accounts.services import registration_code_resend, registration_start
    from common.exceptions import InvalidInput, Throttled

    with pytest.raises(InvalidInput):
        registration_code_resend(otp_token="no-such-token")
    issued = registration_start(password=PASSWORD, email="new@example.com")
    with pytest.raises(Throttled):
        registration_code_resend(otp_token=issued.otp_token)
    settings.OTP_RESEND_SECONDS = 0
    again = registration_code_resend(otp_token=issued.otp_token)
    assert again.record.target == "new@example.com" and again.record.payload == issued.record.payload


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("earlier_code", [False, True])
def test_codes_asked_for_at_once_give_one_code(earlier_code):
    """One code per address per window, even for requests that arrive together: with no code
    yet there is no row to lock, and a waiter on the old code's row used to find none live once
    the first request had replaced it (found by the attack run of issue 21's stop)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import OtpToken
    from accounts.otp import otp_issue
    from common.exceptions import Throttled
    from common.testing import run_together

    target = "race@example.com"
    if earlier_code:
        otp_issue(
            action="reset-password",
            channel="email",
            target=target,
            deliver=False,
            now=timezone.now() - timedelta(minutes=5),
        )

    def ask():
        otp_issue(action="reset-password", channel="email", target=target, deliver=False)

    errors = run_together(*[ask for _ in range(6)])
    assert all(isinstance(error, Throttled) for error in errors), errors
    assert len(errors) == 5
    assert OtpToken.objects.filter(target=target, consumed_at__isnull=True).count() == 1
