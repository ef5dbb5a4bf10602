"""Issue 26 (outside attack): the time a request takes must not tell whether an account exists.

A code used to be sent inside the request for a known address (~380 ms) and not at all for an
unknown one (~90 ms); registration was the reverse. Now every code request hands exactly one
task to Celery once it commits, shaped alike for a known and an unknown address (the unknown
one carries nothing and the worker drops it), expiring with the code. A broker that cannot
take it is the project's 503, and the code is dead. Asserted on the structure, not on times.
"""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import OtpToken
from accounts.otp import otp_messages_send_task
from common.testing import API, assert_error

pytestmark = pytest.mark.django_db(transaction=True)

BROKER_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def handed_over(monkeypatch, settings):
    """A web server with a worker (REDIS_URL set): each task handed to the broker is recorded."""
    settings.NOTIFICATIONS_QUEUED = True
    calls = []
    monkeypatch.setattr(otp_messages_send_task, "apply_async", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def work(call) -> None:
    """What the worker does with a recorded task."""
    args, kwargs = call
    otp_messages_send_task.apply(args=kwargs["args"])


def sent() -> list[tuple[str, str]]:
    from accounts.messaging import LocmemSmsBackend

    return [(m.to[0], m.body) for m in mail.outbox] + [(t.to, t.body) for t in LocmemSmsBackend.outbox]


def post(client, path, body):
    return client.post(f"{API}{path}", body, format="json")


def options(call) -> dict:
    """A call's shape: everything but what the messages say."""
    args, kwargs = call
    return {"positional": args, **{k: v for k, v in kwargs.items() if k not in ("args", "expires")}}


@pytest.mark.parametrize(
    "path, known, unknown, to",
    [
        ("/auth/login/email", {"email": "shopper@example.com"}, {"email": "nobody@example.com"}, "shopper@example.com"),
        ("/auth/login/phone", {"phone": "9123456780"}, {"phone": "9000000040"}, "+919123456780"),
        ("/auth/login/whatsapp", {"phone": "9123456780"}, {"phone": "9000000040"}, "+919123456780"),
        (
            "/auth/forgot-password",
            {"email": "shopper@example.com"},
            {"email": "nobody@example.com"},
            "shopper@example.com",
        ),
    ],
)
def test_a_known_and_an_unknown_address_each_hand_over_one_task_of_one_shape(
    api, shopper, handed_over, path, known, unknown, to
):
    assert post(api, path, known).status_code == post(api, path, unknown).status_code == 200
    # Nothing is sent inside the request, for either.
    assert sent() == []
    assert len(handed_over) == 2
    first, second = handed_over
    assert options(first) == options(second) == {"positional": (), "argsrepr": "(hidden)"}
    # Each expires with its code: a late code is worthless.
    for call, target in ((first, to), (second, None)):
        code = OtpToken.objects.filter(target=target) if target else OtpToken.objects.exclude(target=to)
        assert call[1]["expires"] == code.get().expires_at

    for call in handed_over:
        work(call)
    [(address, body)] = sent()
    assert address == to and "is your code" in body


@pytest.mark.parametrize(
    "path, taken, free, owner",
    [
        (
            "/auth/register/email",
            {"email": "shopper@example.com"},
            {"email": "fresh@example.com"},
            "shopper@example.com",
        ),
        ("/auth/register/phone", {"phone": "9123456780"}, {"phone": "9000000041"}, "+919123456780"),
    ],
)
def test_registering_a_taken_and_a_free_address_each_hand_over_one_task(
    api, shopper, handed_over, path, taken, free, owner
):
    assert post(api, path, {**taken, "first_name": "X"}).status_code == 200
    assert post(api, path, {**free, "first_name": "Y"}).status_code == 200
    assert sent() == [] and len(handed_over) == 2
    assert options(handed_over[0]) == options(handed_over[1])
    for call in handed_over:
        work(call)
    # The owner of the taken address gets the notice, never a code; the free one its code.
    [(to, notice), (_, code)] = sent()
    assert to == owner and "already have one" in notice and "is your code" in code


# --- the broker is down ---------------------------------------------------------------------


@pytest.fixture
def broker_down(settings):
    """Celery set up for a worker (not eager), its broker a port where nothing answers."""
    settings.NOTIFICATIONS_QUEUED = True
    app = otp_messages_send_task.app
    saved = (app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER_DOWN
    app._pool = app.amqp._producer_pool = None  # connect afresh, to the broker above
    yield
    app.conf.task_always_eager, app.conf.broker_url, app._pool, app.amqp._producer_pool = saved


def test_api_code_requests_are_503_when_the_broker_is_down_and_the_code_is_dead(api, shopper, broker_down):
    for path, body in (
        ("/auth/login/email", {"email": shopper.email}),
        ("/auth/login/email", {"email": "nobody@example.com"}),
        ("/auth/register/phone", {"phone": "9000000042", "first_name": "X"}),
    ):
        response = post(api, path, body)
        assert_error(response, 503, "service_unavailable")
        assert int(response["Retry-After"]) > 0
    assert sent() == []
    # Never sent, so never usable, and no resend wait for it either.
    assert not OtpToken.objects.filter(consumed_at__isnull=True).exists()


def test_asking_again_once_the_broker_is_back_is_not_held_by_the_resend_wait(api, shopper, monkeypatch, settings):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    settings.NOTIFICATIONS_QUEUED = True
    monkeypatch.setattr(otp_messages_send_task, "apply_async", down)
    assert_error(post(api, "/auth/login/email", {"email": shopper.email}), 503, "service_unavailable")
    calls = []
    monkeypatch.setattr(otp_messages_send_task, "apply_async", lambda *args, **kwargs: calls.append(kwargs))
    response = post(api, "/auth/login/email", {"email": shopper.email})
    assert response.status_code == 200 and len(calls) == 1
    otp_messages_send_task.apply(args=calls[0]["args"])
    assert [m.to for m in mail.outbox] == [[shopper.email]]


def test_without_a_worker_the_code_is_sent_in_process_after_the_commit(api, shopper, monkeypatch):
    """Development and `make test` (no REDIS_URL): no broker is touched."""

    def refuse(*args, **kwargs):
        raise AssertionError("no broker without REDIS_URL")

    monkeypatch.setattr(otp_messages_send_task, "apply_async", refuse)
    assert post(api, "/auth/login/email", {"email": shopper.email}).status_code == 200
    assert [m.to for m in mail.outbox] == [[shopper.email]]


def test_the_websites_send_me_a_code_is_503_when_the_broker_is_down(shopper, broker_down):
    client = Client()
    response = client.post("/account/sign-in/", {"username": shopper.email, "password": "", "send_code": "1"})
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "briefly unavailable" in response.content.decode()
    assert "pending_sign_in_code" not in client.session
