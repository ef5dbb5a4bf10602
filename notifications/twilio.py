"""SMS and WhatsApp through Twilio's Messages API, as an `SMS_BACKEND`
(`SMS_BACKEND=notifications.twilio.TwilioSmsBackend`).

One call per message: `POST {TWILIO_API_URL}/2010-04-01/Accounts/{sid}/Messages.json` with the
account's SID and auth token as Basic credentials and `To`, `From`, `Body` as a form; WhatsApp is
the same call with both numbers prefixed `whatsapp:`. `TWILIO_API_URL` is configurable so the
tests run it against a local fake of that API. Any answer but 2xx raises, so the outbox retries.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from accounts.messaging import TextMessage


class TwilioError(Exception):
    pass


def _e164(number: str) -> str:
    return "".join(ch for ch in number if ch == "+" or ch.isdigit())


class TwilioSmsBackend:
    def send(self, message: TextMessage) -> str:
        """Send one text; answers Twilio's message SID."""
        sid, token = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN
        if message.channel == "whatsapp":
            to, sender = f"whatsapp:{_e164(message.to)}", f"whatsapp:{settings.TWILIO_WHATSAPP_FROM}"
        else:
            to, sender = _e164(message.to), settings.TWILIO_SMS_FROM
        request = urllib.request.Request(
            f"{settings.TWILIO_API_URL}/2010-04-01/Accounts/{sid}/Messages.json",
            data=urllib.parse.urlencode({"To": to, "From": sender, "Body": message.body}).encode(),
            method="POST",
        )
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=settings.TWILIO_TIMEOUT) as response:
                return json.loads(response.read())["sid"]
        except urllib.error.HTTPError as exc:
            detail = json.loads(exc.read() or b"{}")
            raise TwilioError(f"Twilio answered {exc.code}: {detail.get('code')} {detail.get('message')}") from exc
        except OSError as exc:
            raise TwilioError(f"Twilio did not answer: {exc}") from exc
