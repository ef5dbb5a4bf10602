"""The API's body parsers: DRF's, refusing what would otherwise surface as a 500 further in.

- A NUL character in any string (a value, a key, a form field, a file name) is a 400: PostgreSQL
  cannot store it in text, and no field of ours has a use for it.
- JSON nested deeper than Python's recursion limit raises RecursionError in `json`, which DRF
  does not catch; it is malformed input like any other (400 `bad_request`).
"""

from django.utils.translation import gettext_lazy
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL_MESSAGE = gettext_lazy("The request contains a NUL character, which is not allowed.")


def contains_nul(data) -> bool:
    """True when a NUL is in any string of a parsed body (walked without recursion)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False


def form_contains_nul(data, files=None) -> bool:
    """The same for form data (a QueryDict) and the names of uploaded files."""
    if any(contains_nul(key) or contains_nul(values) for key, values in data.lists()):
        return True
    if files is not None:
        for key, uploads in files.lists():
            if contains_nul(key) or any("\x00" in (upload.name or "") for upload in uploads):
                return True
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        if contains_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        if form_contains_nul(result.data, result.files):
            raise ParseError(NUL_MESSAGE)
        return result


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if form_contains_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data
