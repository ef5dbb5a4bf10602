"""Small helpers every API view uses to answer."""

from urllib.parse import urlsplit

from django.conf import settings
from rest_framework.response import Response


def ok(content: dict | None = None, *, message: str = "OK", status: int = 200) -> Response:
    """A success answer; the renderer adds the envelope around `content`."""
    response = Response(content, status=status)
    response.message = message
    return response


def absolute_url(url: str | None) -> str | None:
    """A media URL as API answers give it (the schema says `uri`): local storage's relative
    `/media/...` on SITE_URL, the public site; a storage's absolute URL (S3, signed) as it is.

    The one rule for every image the API answers (orders, shipments, returns, reviews, the
    profile image), also written in SQL by common.jsonshape's Kind.URL. SITE_URL rather than the
    request's host: answers built without a request (GET /orders' JSON written by PostgreSQL,
    emails) say the same, and the Host header a client sends never lands in an answer."""
    if not url:
        return None
    if url.startswith(ABSOLUTE_PREFIXES):
        return url
    return site_origin() + ("" if url.startswith("/") else "/") + url


ABSOLUTE_PREFIXES = ("http://", "https://")


def site_origin() -> str:
    """SITE_URL's scheme and host (a media URL's path is absolute already: MEDIA_URL)."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"
