"""One line of text a person typed (a name, a place, a label): the rule every door applies to
such fields before they are kept, so what reaches an email header, a PDF, a CSV or an SMS is
one printable line.

Refused: control characters (a line break, a NUL, an escape), invisible formatting characters
(bidirectional overrides that make "moc.evil" read backwards), private-use and unassigned code
points. Kept: letters and marks of every script, and the zero-width joiner and non-joiner that
Devanagari, Malayalam and other Indic scripts write names with. Runs of spaces become one space,
and the ends are trimmed.
"""

import unicodedata

from django.utils.translation import gettext

from .exceptions import InvalidInput

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_JOINERS = frozenset({"\u200c", "\u200d"})  # ZWNJ, ZWJ: part of how Indic names are spelled

ONE_LINE_MESSAGE = "Use letters, digits and punctuation only, on one line."


def one_line_problem(value: str) -> bool:
    return any(unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in _JOINERS for ch in value)


def one_line(value, *, field: str, max_length: int) -> str:
    """`value` as one trimmed line, or 400 naming `field`."""
    value = "" if value is None else str(value)
    if one_line_problem(value):
        raise InvalidInput.for_field(field, ONE_LINE_MESSAGE)
    value = " ".join(value.split())
    if len(value) > max_length:
        raise InvalidInput.for_field(
            field, gettext("Use at most %(max_length)s characters.") % {"max_length": max_length}
        )
    return value
