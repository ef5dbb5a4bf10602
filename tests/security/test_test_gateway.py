"""Issue 16, item 2: the built-in test payment gateway marks payments paid for anyone who asks.

Its page and callback are routed only when `TEST_GATEWAY_ENABLED` is on (default: DEBUG) and the
shop's `PAYMENT_GATEWAY` is "test"; otherwise they are 404. And a gateway's callback settles only
attempts that this gateway started.
"""

import importlib
import importlib.util
import itertools
import sys

import pytest
from django.urls import NoReverseMatch, converters, reverse

from common.exceptions import DomainError
from common.testing import API, assert_error
from orders import gateways, services
from orders.gateways import PaymentStart, TestGateway
from orders.models import AttemptStatus, Order, Payment, PaymentStatus
from orders.tests.factories import place

pytestmark = pytest.mark.django_db

_names = itertools.count()


@pytest.fixture
def routed(settings):
    """Build the URL conf again from config/urls.py with the settings given (it reads them when
    imported), as a fresh module, and serve requests with it for the rest of the test."""
    importlib.import_module("config.urls")  # the real one first: it registers the ulid converter once
    built = []

    def build(**overrides):
        for name, value in overrides.items():
            setattr(settings, name, value)
        spec = importlib.util.find_spec("config.urls")
        module = importlib.util.module_from_spec(spec)
        converters.REGISTERED_CONVERTERS.pop("ulid", None)  # config/urls.py registers it again
        spec.loader.exec_module(module)
        name = f"tests.security._urlconf_{next(_names)}"
        sys.modules[name] = module
        built.append(name)
        settings.ROOT_URLCONF = name  # the settings fixture puts the real one back afterwards
        return module

    yield build
    for name in built:
        sys.modules.pop(name, None)


@pytest.fixture(autouse=True)
def _gateway_on(routed):
    """Every test starts with the test gateway on and routed, whatever DEBUG the run has."""
    routed(TEST_GATEWAY_ENABLED=True, PAYMENT_GATEWAY="test")


def _settings_probe(monkeypatch, **env):
    """config/settings.py evaluated afresh under these environment variables."""
    for name in ("DEBUG", "TEST_GATEWAY_ENABLED", "PAYMENT_GATEWAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("config.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pending_attempt(shopper) -> Payment:
    """A failed order with a retry in progress: the attempt a hostile client would try to pay."""
    order = place(shopper, outcome="failed")
    info = services.payment_retry(order=order)
    return Payment.objects.get(request_number=info["request_number"])


def _assert_unpaid(payment: Payment):
    payment.refresh_from_db()
    assert payment.status == AttemptStatus.PENDING and payment.payment_reference_number == ""
    assert Order.objects.get(pk=payment.order_id).payment_status != PaymentStatus.SUCCESS


class AcmeGateway(TestGateway):
    """Another gateway, with its own signing key: what a real one (Razorpay, PayU, ...) would be."""

    name = "acme"

    def _signature(self, request_number, outcome, reference):
        return "acme-" + super()._signature(request_number, outcome, reference)

    def start(self, payment, *, request=None):
        return PaymentStart(
            gateway=self.name,
            payment_url=f"https://pay.acme.example/{payment.request_number}",
            expires_at=payment.expires_at,
        )


@pytest.fixture
def acme(monkeypatch):
    gateway = AcmeGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "acme", gateway)
    return gateway


# --- the setting ---------------------------------------------------------------------------


def test_the_test_gateway_follows_debug_unless_set(monkeypatch):
    assert _settings_probe(monkeypatch, DEBUG="1").TEST_GATEWAY_ENABLED is True
    assert _settings_probe(monkeypatch, DEBUG="0").TEST_GATEWAY_ENABLED is False
    assert _settings_probe(monkeypatch, DEBUG="0", TEST_GATEWAY_ENABLED="1").TEST_GATEWAY_ENABLED is True
    assert _settings_probe(monkeypatch, DEBUG="1", TEST_GATEWAY_ENABLED="0").TEST_GATEWAY_ENABLED is False


# --- routed only when enabled ----------------------------------------------------------------


def test_with_the_setting_off_the_page_and_callback_are_404_and_nothing_is_paid(client, shopper, routed):
    payment = _pending_attempt(shopper)  # started while the gateway was on
    routed(TEST_GATEWAY_ENABLED=False, PAYMENT_GATEWAY="test")
    with pytest.raises(NoReverseMatch):
        reverse("test-gateway-page", args=[payment.request_number])
    page = f"/payments/test-gateway/{payment.request_number}"
    assert client.get(page).status_code == 404
    assert client.post(page, {"outcome": "success"}).status_code == 404
    signed = TestGateway().sign_callback(request_number=payment.request_number, outcome="success", reference="X1")
    assert client.post("/payments/test-gateway/callback", signed).status_code == 404
    _assert_unpaid(payment)


def test_with_another_payment_gateway_the_test_gateway_is_404(client, shopper, routed, acme):
    payment = _pending_attempt(shopper)  # a test-gateway attempt left from before the switch
    routed(TEST_GATEWAY_ENABLED=True, PAYMENT_GATEWAY="acme")
    page = f"/payments/test-gateway/{payment.request_number}"
    assert client.get(page).status_code == 404
    assert client.post(page, {"outcome": "success"}).status_code == 404
    signed = TestGateway().sign_callback(request_number=payment.request_number, outcome="success", reference="X1")
    assert client.post("/payments/test-gateway/callback", signed).status_code == 404
    _assert_unpaid(payment)


def test_switched_off_at_run_time_the_views_still_refuse(client, shopper, settings):
    """Defence in depth: even where the routes exist, the views check the setting on each request."""
    payment = _pending_attempt(shopper)
    settings.TEST_GATEWAY_ENABLED = False
    page = f"/payments/test-gateway/{payment.request_number}"
    assert client.get(page).status_code == 404
    assert client.post(page, {"outcome": "success"}).status_code == 404
    signed = TestGateway().sign_callback(request_number=payment.request_number, outcome="success", reference="X1")
    assert client.post("/payments/test-gateway/callback", signed).status_code == 404
    with pytest.raises(DomainError):
        services.payment_callback(data=signed, gateway_name="test")
    _assert_unpaid(payment)


def test_with_the_setting_off_no_retry_is_offered(client_for, shopper, routed):
    """No gateway to send the shopper to: no retry is offered, and one asked for is refused in the
    envelope (not a 500 from a URL that is not there)."""
    order = place(shopper, outcome="failed")
    routed(TEST_GATEWAY_ENABLED=False, PAYMENT_GATEWAY="test")
    api = client_for(shopper)
    assert api.get(f"{API}/orders/{order.number}/payment-status").json()["content"]["is_retry_available"] is False
    assert_error(api.post(f"{API}/orders/{order.number}/retry-payment", {}, format="json"), 409, "retry_not_available")
    assert not order.payments.filter(status=AttemptStatus.PENDING).exists()


def test_with_the_setting_on_the_page_pays_the_attempt(client, shopper):
    payment = _pending_attempt(shopper)
    page = reverse("test-gateway-page", args=[payment.request_number])
    assert client.get(page).status_code == 200
    assert client.post(page, {"outcome": "success"}).status_code == 200
    payment.refresh_from_db()
    assert payment.status == AttemptStatus.SUCCESS
    assert Order.objects.get(pk=payment.order_id).payment_status == PaymentStatus.SUCCESS


# --- a gateway settles only its own attempts --------------------------------------------------


def test_the_test_gateway_cannot_settle_another_gateways_attempt(client, shopper, settings, acme):
    settings.PAYMENT_GATEWAY = "acme"
    payment = _pending_attempt(shopper)
    assert payment.gateway == "acme"
    settings.PAYMENT_GATEWAY = "test"  # the test gateway is on again, but the attempt is acme's
    signed = TestGateway().sign_callback(request_number=payment.request_number, outcome="success", reference="X1")
    assert client.post("/payments/test-gateway/callback", signed).status_code == 404
    page = f"/payments/test-gateway/{payment.request_number}"
    assert client.get(page).status_code == 404
    assert client.post(page, {"outcome": "success"}).status_code == 404
    with pytest.raises(DomainError):
        services.payment_callback(data=signed, gateway_name="test")
    _assert_unpaid(payment)


def test_another_gateway_cannot_settle_a_test_gateway_attempt(shopper, acme):
    payment = _pending_attempt(shopper)
    assert payment.gateway == "test"
    signed = acme.sign_callback(request_number=payment.request_number, outcome="success", reference="A1")
    with pytest.raises(DomainError):
        services.payment_callback(data=signed, gateway_name="acme")
    _assert_unpaid(payment)
    # Its own gateway still settles it.
    own = TestGateway().sign_callback(request_number=payment.request_number, outcome="success", reference="T1")
    services.payment_callback(data=own, gateway_name="test")
    payment.refresh_from_db()
    assert payment.status == AttemptStatus.SUCCESS
