"""The one renderer of the API: it wraps every success in `{message, success, content}`."""

from rest_framework.renderers import JSONRenderer


class EnvelopeJSONRenderer(JSONRenderer):
    """Views return their named content keys; this adds the envelope.

    Error bodies are made complete by `common.exceptions.api_exception_handler` and pass through.
    The success message is the one `common.api.ok` put on the response, else "OK". A `None`
    body (a delete) gives an envelope without `content`.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        if response is not None and response.status_code >= 400:
            return super().render(data, accepted_media_type, renderer_context)
        message = getattr(response, "message", None) or "OK"
        envelope = {"message": message, "success": True}
        if data is not None:
            envelope["content"] = data
        return super().render(envelope, accepted_media_type, renderer_context)
