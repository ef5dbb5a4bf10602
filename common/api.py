"""Small helpers every API view uses to answer."""

from rest_framework.response import Response


def ok(content: dict | None = None, *, message: str = "OK", status: int = 200) -> Response:
    """A success answer; the renderer adds the envelope around `content`."""
    response = Response(content, status=status)
    response.message = message
    return response
