"""Small helpers every API view uses to answer."""

from rest_framework.response import Response


def ok(content: dict | None = None, *, message: str = "OK", status: int = 200) -> Response:
    """A success answer; the renderer adds the envelope around `content`."""
    response = Response(content, status=status)
    response.message = message
    return response


def absolute_url(request, url: str | None) -> str | None:
    """Media URLs are relative with local storage; API clients need them absolute."""
    if not url:
        return None
    if request is None or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)
