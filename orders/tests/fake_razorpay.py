"""A local stand-in for Razorpay's REST API, for tests: nothing outside this machine can be reached.

It speaks the shapes of the real API (https://razorpay.com/docs/api/): `POST /v1/orders` and
`POST /v1/payments/{id}/refund`, HTTP basic auth with the key id and secret, amounts in paise,
errors as `{"error": {"code", "description"}}`. It records every request it is sent, and can be
told to answer 5xx or to hang past the client's timeout. It also signs what Razorpay signs
(Checkout's answer, webhooks) with the test's secrets.
"""

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY_ID = "rzp_test_fakekey01"
KEY_SECRET = "fake-key-secret-0123456789"
WEBHOOK_SECRET = "fake-webhook-secret-9876543210"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: dict | None

    @property
    def credentials(self) -> tuple[str, str] | None:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None
        key_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return key_id, secret


@dataclass
class FakeRazorpay:
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    # "ok"; "error" (500); "hang" (answers only once `released`, past any timeout); "refuse" (400)
    mode: str = "ok"
    released: threading.Event = field(default_factory=threading.Event)
    orders: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_Fake{next(self._ids):010d}"

    def answer(self, handler: "_Handler", method: str) -> tuple[int, dict]:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        record = Recorded(method, handler.path, dict(handler.headers.items()), body)
        self.requests.append(record)
        if self.mode == "hang":
            self.released.wait(10)
        if self.mode in ("error", "hang"):
            return 500, {"error": {"code": "SERVER_ERROR", "description": "The server encountered an error."}}
        if self.mode == "refuse":
            return 400, {
                "error": {
                    "code": "BAD_REQUEST_ERROR",
                    "description": "The refund amount provided is greater than amount captured.",
                }
            }
        if record.credentials != (KEY_ID, KEY_SECRET):
            return 401, {"error": {"code": "BAD_REQUEST_ERROR", "description": "Authentication failed"}}
        if method == "POST" and handler.path == "/v1/orders":
            return self._order_create(body or {})
        if method == "POST" and handler.path.startswith("/v1/payments/") and handler.path.endswith("/refund"):
            return self._refund_create(handler.path.split("/")[3], body or {}, record.headers)
        return 404, {
            "error": {"code": "BAD_REQUEST_ERROR", "description": "The requested URL was not found on the server."}
        }

    def _order_create(self, body: dict) -> tuple[int, dict]:
        amount = body.get("amount")
        if not isinstance(amount, int) or amount < 100:
            return 400, {"error": {"code": "BAD_REQUEST_ERROR", "description": "The amount must be atleast INR 1.00"}}
        order = {
            "id": self.new_id("order"),
            "entity": "order",
            "amount": amount,
            "amount_paid": 0,
            "amount_due": amount,
            "currency": body.get("currency", "INR"),
            "receipt": body.get("receipt"),
            "offer_id": None,
            "status": "created",
            "attempts": 0,
            "notes": body.get("notes") or [],
            "created_at": int(time.time()),
        }
        self.orders[order["id"]] = order
        return 200, order

    def _refund_create(self, payment_id: str, body: dict, headers: dict) -> tuple[int, dict]:
        key = headers.get("X-Refund-Idempotency") or self.new_id("key")
        if key in self.refunds:
            return 200, self.refunds[key]
        refund = {
            "id": self.new_id("rfnd"),
            "entity": "refund",
            "amount": body.get("amount"),
            "currency": "INR",
            "payment_id": payment_id,
            "notes": body.get("notes") or [],
            "receipt": body.get("receipt"),
            "acquirer_data": {"arn": None},
            "created_at": int(time.time()),
            "batch_id": None,
            "status": "pending",
            "speed_processed": "normal",
            "speed_requested": body.get("speed", "normal"),
        }
        self.refunds[key] = refund
        return 200, refund

    # --- what Razorpay signs ---------------------------------------------------------------

    @staticmethod
    def checkout_answer(order_id: str, payment_id: str, *, secret: str = KEY_SECRET) -> dict:
        """What Checkout's handler hands the page after a successful payment."""
        signature = hmac.new(secret.encode(), f"{order_id}|{payment_id}".encode(), hashlib.sha256).hexdigest()
        return {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}

    @staticmethod
    def webhook(
        event: str,
        *,
        order_id: str,
        amount: int,
        currency: str = "INR",
        payment_id: str = "pay_Fake01",
        secret: str = WEBHOOK_SECRET,
    ) -> tuple[bytes, str]:
        """A webhook's raw body and its X-Razorpay-Signature, in Razorpay's event shape."""
        status = {"payment.failed": "failed", "payment.captured": "captured", "order.paid": "captured"}[event]
        payment = {
            "id": payment_id,
            "entity": "payment",
            "amount": amount,
            "currency": currency,
            "status": status,
            "order_id": order_id,
            "method": "upi",
            "captured": status == "captured",
            "error_code": "BAD_REQUEST_ERROR" if status == "failed" else None,
            "error_description": "Payment was declined by the bank" if status == "failed" else None,
        }
        payload = {"payment": {"entity": payment}}
        contains = ["payment"]
        if event == "order.paid":
            payload["order"] = {
                "entity": {
                    "id": order_id,
                    "entity": "order",
                    "amount": amount,
                    "amount_paid": amount,
                    "amount_due": 0,
                    "currency": currency,
                    "status": "paid",
                }
            }
            contains.append("order")
        body = json.dumps(
            {
                "entity": "event",
                "account_id": "acc_Fake01",
                "event": event,
                "contains": contains,
                "payload": payload,
                "created_at": int(time.time()),
            }
        ).encode()
        return body, hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    fake: FakeRazorpay

    def do_POST(self):
        self._send(*self.fake.answer(self, "POST"))

    def do_GET(self):
        self._send(*self.fake.answer(self, "GET"))

    def _send(self, status: int, body: dict):
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); what a real server sees too

    def log_message(self, format, *args):
        pass


def serve() -> tuple[FakeRazorpay, ThreadingHTTPServer]:
    """Start the fake on a free local port, in a daemon thread."""
    fake = FakeRazorpay()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return fake, server
