"""Razorpay behind the gateway interface (`orders.gateways`): its REST API, Checkout's signed
answer, and its webhooks.

A retry creates a Razorpay order (`POST /v1/orders`) for the attempt; the shopper pays it in
Razorpay Checkout on a page of ours (`orders.razorpay_views`). Checkout's answer is signed with
the key secret, a webhook with the webhook secret; each is checked in constant time before
anything is read from it. The events are turned into `GatewayOutcome`s, which
`orders.services.payment_gateway_settle` applies once.

The client is a few lines of `urllib` rather than the official `razorpay` package (2.0.1): that
one takes a base URL, but a timeout only as an argument of each call, and by default retries a
failed call itself, sleeping between tries, inside the shopper's request; here every call has
RAZORPAY_TIMEOUT and retries belong to the caller (`orders.tasks`). Calls are never made inside a
database transaction (the services make them before or after theirs).
"""

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.urls import reverse

from common.errors import ErrorCode
from common.exceptions import BadRequest, DomainError
from common.money import money_round

from .gateway_types import GatewayOutcome, PaymentStart

logger = logging.getLogger(__name__)

# What a webhook may be about; any other event is acknowledged and ignored.
PAYMENT_EVENTS = ("payment.captured", "payment.failed", "order.paid")
REFUND_EVENTS = ("refund.processed", "refund.failed")


class GatewayUnavailable(DomainError):
    """Razorpay timed out, failed (5xx) or refused the call: nothing of ours was written.
    `refused` is a definite no (4xx); otherwise whether it acted is unknown, so a call with an
    idempotency key may be repeated with the same key."""

    status_code = 502
    code = ErrorCode.PAYMENT_GATEWAY_ERROR
    message = "The payment gateway is not answering right now. Nothing was charged; please try again."

    def __init__(self, message: str | None = None, *, refused: bool = False, detail: str = ""):
        super().__init__(message)
        self.refused, self.detail = refused, detail or "no answer"


@dataclass(frozen=True)
class GatewayRefund:
    """What the gateway says about one of our refunds (its answer, or a refund event)."""

    refund_id: str
    receipt: str
    status: str  # the gateway's: pending, processed, failed
    amount: Decimal
    currency: str


def to_paise(amount: Decimal) -> int:
    """Rupees to integer paise, exactly (a fraction of a paisa is a bug, not a rounding)."""
    paise = Decimal(amount) * 100
    if paise != paise.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of paise")
    return int(paise)


def from_paise(paise) -> Decimal:
    return money_round(Decimal(int(paise)) / 100)


def _hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(secret: str, message: bytes, signature: str) -> bool:
    """HMAC-SHA256 of `message` with `secret`, compared in constant time; never with no secret."""
    return bool(secret) and hmac.compare_digest(_hmac_hex(secret, message), str(signature or ""))


def api_call(method: str, path: str, body: dict | None = None, *, headers: dict | None = None) -> dict:
    """One call to Razorpay's API with the key id and secret, within RAZORPAY_TIMEOUT seconds."""
    credentials = f"{settings.RAZORPAY_KEY_ID}:{settings.RAZORPAY_KEY_SECRET}".encode()
    call = urllib.request.Request(
        f"{settings.RAZORPAY_API_URL}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": "Basic " + base64.b64encode(credentials).decode(),
            "Content-Type": "application/json",
            "Accept": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(call, timeout=settings.RAZORPAY_TIMEOUT) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read() or b"{}").get("error", {}).get("description", "")
        except (ValueError, AttributeError):
            detail = ""
        logger.warning("Razorpay %s %s answered %s: %s", method, path, exc.code, detail)
        raise GatewayUnavailable(refused=exc.code < 500, detail=f"{exc.code} {detail}".strip()) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as exc:
        logger.warning("Razorpay %s %s failed: %s", method, path, exc)
        raise GatewayUnavailable(detail=str(exc)[:200]) from exc


class RazorpayGateway:
    name = "razorpay"

    def available(self) -> bool:
        return bool(settings.RAZORPAY_KEY_ID and settings.RAZORPAY_KEY_SECRET)

    def start(self, payment, *, request=None) -> PaymentStart:
        """Create the Razorpay order the shopper pays in Checkout (the attempt is not saved yet);
        for an attempt started already, send the shopper back to its page."""
        order = payment.order
        if payment.gateway_order_id:
            return self._checkout(payment, payment.gateway_order_id, request)
        paise = to_paise(payment.amount)
        created = api_call(
            "POST",
            "/v1/orders",
            {
                "amount": paise,
                "currency": order.currency_code,
                "receipt": payment.request_number,
                "notes": {"order_number": order.number, "request_number": payment.request_number},
            },
        )
        razorpay_order_id = created.get("id")
        if (
            not isinstance(razorpay_order_id, str)
            or not razorpay_order_id
            or created.get("amount") != paise
            or created.get("currency") != order.currency_code
        ):
            logger.error(
                "Razorpay created an order that does not match attempt %s: %r", payment.request_number, created
            )
            raise GatewayUnavailable()
        return self._checkout(payment, razorpay_order_id, request)

    def _checkout(self, payment, razorpay_order_id: str, request) -> PaymentStart:
        path = reverse("razorpay-checkout", args=[payment.request_number])
        path += f"?t={checkout_token(payment.request_number)}"  # ":" is as good in a query
        return PaymentStart(
            gateway=self.name,
            payment_url=request.build_absolute_uri(path) if request is not None else path,
            expires_at=payment.expires_at,
            gateway_order_id=razorpay_order_id,
            client={
                "key_id": settings.RAZORPAY_KEY_ID,
                "razorpay_order_id": razorpay_order_id,
                "currency": payment.order.currency_code,
            },
        )

    def verify_checkout(self, data) -> GatewayOutcome:
        """Checkout's answer after a payment: signed with the key secret over `order_id|payment_id`."""
        order_id = str(data.get("razorpay_order_id") or "")
        payment_id = str(data.get("razorpay_payment_id") or "")
        signature = str(data.get("razorpay_signature") or "")
        message = f"{order_id}|{payment_id}".encode()
        if not (order_id and payment_id) or not signature_matches(settings.RAZORPAY_KEY_SECRET, message, signature):
            raise BadRequest("The payment's signature is not valid.", code=ErrorCode.INVALID_SIGNATURE)
        return GatewayOutcome(gateway_order_id=order_id, succeeded=True, reference=payment_id)

    def verify_webhook(self, body: bytes, signature: str) -> dict:
        """The event of a webhook signed with the webhook secret over its raw body."""
        if not signature_matches(settings.RAZORPAY_WEBHOOK_SECRET, body, signature):
            raise BadRequest("The webhook's signature is not valid.", code=ErrorCode.INVALID_SIGNATURE)
        try:
            event = json.loads(body)
        except ValueError as exc:
            raise BadRequest("The webhook's body is not JSON.") from exc
        if not isinstance(event, dict):
            raise BadRequest("The webhook's body is not an event.")
        return event

    def payment_outcome(self, event: dict) -> GatewayOutcome | None:
        """What a payment event says about one of our Razorpay orders (None: nothing to settle)."""
        kind = event.get("event")
        if kind not in PAYMENT_EVENTS:
            return None
        payload = event.get("payload") or {}
        payment = ((payload.get("payment") or {}).get("entity")) or {}
        razorpay_order = ((payload.get("order") or {}).get("entity")) or {}
        order_id = payment.get("order_id") or razorpay_order.get("id")
        if not order_id:
            return None
        if kind == "order.paid":
            paise, currency = razorpay_order.get("amount_paid", payment.get("amount")), razorpay_order.get("currency")
        else:
            paise, currency = payment.get("amount"), payment.get("currency")
        if not isinstance(paise, int):
            return None
        succeeded = kind != "payment.failed"
        return GatewayOutcome(
            gateway_order_id=str(order_id),
            succeeded=succeeded,
            reference=str(payment.get("id") or ""),
            reason="" if succeeded else (payment.get("error_description") or "Declined at the gateway")[:200],
            amount=from_paise(paise),
            currency=str(currency or ""),
        )

    def refund(self, *, payment_id: str, amount: Decimal, currency: str, receipt: str, key: str) -> GatewayRefund:
        """Give `amount` of a captured payment back (`POST /v1/payments/{id}/refund`). The same
        `key` never refunds twice (Razorpay's X-Refund-Idempotency)."""
        paise = to_paise(amount)
        answer = api_call(
            "POST",
            f"/v1/payments/{payment_id}/refund",
            {"amount": paise, "speed": "normal", "receipt": receipt, "notes": {"refund": receipt}},
            headers={"X-Refund-Idempotency": key},
        )
        refund = _refund_of(answer)
        if refund is None or refund.amount != from_paise(paise) or refund.currency != currency:
            logger.error("Razorpay answered refund %s with %r", receipt, answer)
            raise GatewayUnavailable(detail="the answer does not match the refund")
        return refund

    def refund_outcome(self, event: dict) -> GatewayRefund | None:
        """What a refund event says (None: not a refund event)."""
        if event.get("event") not in REFUND_EVENTS:
            return None
        return _refund_of(((event.get("payload") or {}).get("refund") or {}).get("entity") or {})


def _refund_of(entity: dict) -> GatewayRefund | None:
    if not isinstance(entity, dict) or not entity.get("id") or not isinstance(entity.get("amount"), int):
        return None
    return GatewayRefund(
        refund_id=str(entity["id"]),
        receipt=str(entity.get("receipt") or ""),
        status=str(entity.get("status") or ""),
        amount=from_paise(entity["amount"]),
        currency=str(entity.get("currency") or ""),
    )


# The Checkout page is opened by whoever holds its link: the app that asked for the payment, or
# the website. Its number alone shows the order and the amount, never who the shopper is: the
# email and phone Checkout is prefilled with need the link's signed token (made for this
# attempt by `_checkout`) or the shopper's own website session.
_CHECKOUT_SALT = "orders.razorpay.checkout"
CHECKOUT_TOKEN_MAX_AGE = 7 * 24 * 3600


def checkout_token(request_number: str) -> str:
    return signing.TimestampSigner(salt=_CHECKOUT_SALT).sign(request_number).split(":", 1)[1]


def checkout_token_valid(request_number: str, token: str | None) -> bool:
    if not token or len(token) > 100:
        return False
    try:
        signing.TimestampSigner(salt=_CHECKOUT_SALT).unsign(f"{request_number}:{token}", max_age=CHECKOUT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return True
