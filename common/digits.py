"""Digits as people type them, read as the ASCII digits we store and compare.

A phone keypad in Hindi or Arabic, or a full-width IME, types "९८७६५४३२१०", "٩٨٧٦٥٤٣٢١٠" or
"９８７６５４３２１０" for 9876543210. Python's `\\d` and `str.isdigit()` accept those as they are, so
without one reading a number could be stored twice (once per script) and a right code counted as
a wrong try. Every door that takes a phone or a code reads it through `ascii_digits` first; the
patterns after it match ASCII only.
"""

import unicodedata

from django import forms
from rest_framework import serializers


def ascii_digits(value):
    """`value` with every decimal digit of any script (Unicode category Nd) as its ASCII digit;
    anything that is not a string is returned as it is, for the field's own checks."""
    if not isinstance(value, str) or value.isascii():
        return value
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in value)


class DigitsRegexField(serializers.RegexField):
    """DRF's RegexField on the ASCII reading of what was typed (`ascii_digits`)."""

    def to_internal_value(self, data):
        return super().to_internal_value(ascii_digits(data))


class DigitsRegexFormField(forms.RegexField):
    """Django's RegexField on the ASCII reading of what was typed (`ascii_digits`)."""

    def to_python(self, value):
        return super().to_python(ascii_digits(value))
