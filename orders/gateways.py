"""Payment gateways. A gateway starts a payment attempt and vouches for its outcome.

The built-in `test` gateway sends the shopper to a page of this service where the attempt can
be paid or failed; the page posts a signed callback exactly as a real gateway's server would,
and `orders.services.payment_callback` settles the attempt. A real gateway implements `start`
and `available`, and reports outcomes as `GatewayOutcome`s (`orders.razorpay`; PayU or Juspay
would be a module like it).

The test gateway pays any attempt for whoever opens its page, so it exists only where
`TEST_GATEWAY_ENABLED` is on (by default with DEBUG) and it is the shop's `PAYMENT_GATEWAY`:
elsewhere its URLs are not routed and `gateway_get("test")` refuses.
"""

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.errors import ErrorCode
from common.exceptions import BadRequest, NotFound

from .gateway_types import CallbackOutcome, GatewayOutcome, PaymentStart
from .razorpay import RazorpayGateway

__all__ = ["CallbackOutcome", "GatewayOutcome", "PaymentStart", "GATEWAYS", "gateway_get"]


class TestGateway:
    name = "test"

    def available(self) -> bool:
        # Guarded by name in gateway_available (test_gateway_enabled); a gateway built on this
        # one under another name (the tests' second gateway) is available once registered.
        return True

    def _signature(self, request_number: str, outcome: str, reference: str) -> str:
        message = f"{request_number}|{outcome}|{reference}".encode()
        key = hashlib.sha256(f"test-gateway:{settings.SECRET_KEY}".encode()).digest()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def start(self, payment, *, request=None) -> PaymentStart:
        path = reverse("test-gateway-page", args=[payment.request_number])
        url = request.build_absolute_uri(path) if request is not None else path
        return PaymentStart(gateway=self.name, payment_url=url, expires_at=payment.expires_at)

    def sign_callback(self, *, request_number: str, outcome: str, reference: str) -> dict:
        """What the gateway posts back (the test page builds it on the shopper's click)."""
        return {
            "request_number": request_number,
            "outcome": outcome,
            "reference": reference,
            "signature": self._signature(request_number, outcome, reference),
        }

    def verify_callback(self, data) -> CallbackOutcome:
        request_number = str(data.get("request_number", ""))
        outcome = str(data.get("outcome", ""))
        reference = str(data.get("reference", ""))
        expected = self._signature(request_number, outcome, reference)
        if outcome not in ("success", "failure") or not hmac.compare_digest(expected, str(data.get("signature", ""))):
            raise BadRequest("The payment callback's signature is not valid.", code=ErrorCode.INVALID_SIGNATURE)
        return CallbackOutcome(request_number=request_number, succeeded=outcome == "success", reference=reference)


GATEWAYS = {"test": TestGateway(), "razorpay": RazorpayGateway()}


def test_gateway_enabled() -> bool:
    """Whether the test gateway may be used: switched on, and the shop's gateway."""
    return bool(settings.TEST_GATEWAY_ENABLED) and settings.PAYMENT_GATEWAY == TestGateway.name


def gateway_available(name: str | None = None) -> bool:
    """Whether payments can go through this gateway (default: the shop's) here and now."""
    name = name or settings.PAYMENT_GATEWAY
    if name not in GATEWAYS:
        return False
    return test_gateway_enabled() if name == TestGateway.name else GATEWAYS[name].available()


def gateway_get(name: str | None = None):
    """The gateway called `name` (default: the shop's); refused when it is not available."""
    name = name or settings.PAYMENT_GATEWAY
    if not gateway_available(name):
        raise NotFound(_("This payment gateway is not available."))
    return GATEWAYS[name]
