"""ULID ids: 26 Crockford base32 characters, sortable by creation time."""

import re

from ulid import ULID

ULID_PATTERN = r"[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}"
_ULID_RE = re.compile(rf"^{ULID_PATTERN}$")


def new_ulid() -> str:
    return str(ULID())


def is_ulid(value) -> bool:
    return isinstance(value, str) and bool(_ULID_RE.match(value))


class UlidConverter:
    """Path converter: a malformed id never reaches a view, so it is a 404, not a 500."""

    regex = ULID_PATTERN

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return str(value)
