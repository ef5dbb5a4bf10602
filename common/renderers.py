"""The one renderer of the API: it wraps every success in `{message, success, content}`.

It encodes with orjson: on the order reads the stdlib encoder was a tenth of the request
(README "Performance"). What orjson does not know itself (Decimal, lazy strings, querysets, and
datetimes, so they keep DRF's "...Z" form) goes to DRF's own encoder, so the JSON is what DRF's
JSONRenderer wrote. A body orjson refuses (an integer beyond 64 bits) and a request for
indented JSON (`Accept: application/json; indent=4`) are left to DRF's renderer.

A selector that has PostgreSQL write a part of the answer as JSON text hands it over as
`RawJSON`, which goes into the body as it is.
"""

import orjson
from django.utils.translation import gettext
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class RawJSON:
    """JSON text written elsewhere (by PostgreSQL), to be put into an answer unchanged."""

    __slots__ = ("text",)

    def __init__(self, text: str | bytes):
        self.text = text


class _Encoder(JSONEncoder):
    """DRF's encoder, for what orjson leaves to it, and for the fallback (RawJSON read back)."""

    def default(self, obj):
        if isinstance(obj, RawJSON):
            return orjson.loads(obj.text)
        return super().default(obj)


_drf_default = JSONEncoder().default


def _default(obj):
    if isinstance(obj, RawJSON):
        return orjson.Fragment(obj.text)
    return _drf_default(obj)


class EnvelopeJSONRenderer(JSONRenderer):
    """Views return their named content keys; this adds the envelope.

    Error bodies are made complete by `common.exceptions.api_exception_handler` and pass through.
    The success message is the one `common.api.ok` put on the response, else "OK". A `None`
    body (a delete) gives an envelope without `content`.
    """

    encoder_class = _Encoder

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        if response is None or response.status_code < 400:
            # In the client's language (Accept-Language) where the catalogue has it; `code`s never change.
            envelope = {"message": gettext(str(getattr(response, "message", None) or "OK")), "success": True}
            if data is not None:
                envelope["content"] = data
            data = envelope
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context) is None:
            try:
                return orjson.dumps(data, default=_default, option=_OPTIONS)
            except orjson.JSONEncodeError:
                pass
        return super().render(data, accepted_media_type, renderer_context)
