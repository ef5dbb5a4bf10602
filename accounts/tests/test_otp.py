from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import OtpToken
from accounts.otp import otp_consume, otp_issue
from common.exceptions import InvalidInput, Throttled

pytestmark = pytest.mark.django_db(transaction=True)


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
