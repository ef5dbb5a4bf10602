"""The Twilio adapter against a local fake of Twilio's Messages API (the real one lives outside
this machine): the request Twilio documents, and a refusal turned into a retry."""

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications import services
from notifications.models import Message, MessageStatus

pytestmark = pytest.mark.django_db
SID, TOKEN = "AC0123456789abcdef0123456789abcdef", "secret-token"


class FakeTwilio(BaseHTTPRequestHandler):
    """POST /2010-04-01/Accounts/{sid}/Messages.json: 201 with the new message's SID, 401 for
    wrong credentials, and (while `down`) 503 as Twilio's API answers when it is unavailable."""

    received: list = []
    down = False

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.path != f"/2010-04-01/Accounts/{SID}/Messages.json" or self.headers["Authorization"] != expected:
            return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        if type(self).down:
            return self.answer(503, {"code": 20500, "message": "Service Unavailable", "status": 503})
        type(self).received.append({key: values[0] for key, values in form.items()})
        self.answer(201, {"sid": f"SM{len(type(self).received):032d}", "status": "queued"})

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeTwilio.received, FakeTwilio.down = [], False
    settings.SMS_BACKEND = "notifications.twilio.TwilioSmsBackend"
    settings.TWILIO_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
    settings.TWILIO_SMS_FROM, settings.TWILIO_WHATSAPP_FROM = "+15005550006", "+14155238886"
    yield FakeTwilio
    server.shutdown()
    server.server_close()


def test_sms_and_whatsapp_go_through_twilio_messages_api(twilio, shopper):
    for message in services.notify(
        customer=shopper, event="order_delivered", context={"order_number": "ORD-5", "headline": "Delivered 4 Dec"}
    ):
        if message.channel != "email":
            assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    assert twilio.received == [
        {"To": "+919123456780", "From": "+15005550006", "Body": "Order ORD-5: Delivered 4 Dec."},
        {"To": "whatsapp:+919123456780", "From": "whatsapp:+14155238886", "Body": "Order ORD-5: Delivered 4 Dec."},
    ]


def test_twilio_unavailable_is_retried_and_wrong_credentials_are_reported(twilio, shopper, settings):
    sms = next(
        m
        for m in services.notify(customer=shopper, event="order_delivered", context={"order_number": "ORD-6"})
        if m.channel == "sms"
    )
    twilio.down = True
    with pytest.raises(services.SendFailed):
        services.message_send(message_id=sms.pk)
    assert Message.objects.get(pk=sms.pk).last_error == "TwilioError: Twilio answered 503: 20500 Service Unavailable"
    settings.TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(services.SendFailed):
        services.message_send(message_id=sms.pk)
    assert Message.objects.get(pk=sms.pk).last_error == "TwilioError: Twilio answered 401: 20003 Authenticate"
    twilio.down, settings.TWILIO_AUTH_TOKEN = False, TOKEN
    assert services.message_send(message_id=sms.pk) == MessageStatus.SENT and len(twilio.received) == 1
