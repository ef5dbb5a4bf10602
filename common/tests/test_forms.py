"""The website's form plumbing (common.forms)."""

import pytest
from django import forms
from django.utils import translation

from common.forms import LongSelect

CHOICES = [("India", "India"), ("Nepal", "Nepal"), ("Sri Lanka", "Sri Lanka & more")]


@pytest.mark.parametrize("value", ["India", "Sri Lanka", "", None, "Atlantis", '"><script>'])
@pytest.mark.parametrize("attrs", [None, {"id": "id_country", "aria-invalid": "true"}])
def test_a_long_select_draws_what_djangos_select_draws_every_time(value, attrs):
    fast = LongSelect(attrs={"autocomplete": "country-name"}, choices=CHOICES)
    plain = forms.Select(attrs={"autocomplete": "country-name"}, choices=CHOICES)
    expected = plain.render("country", value, attrs)
    assert fast.render("country", value, attrs) == expected
    assert fast.render("country", value, attrs) == expected  # kept, or drawn again: the same


def test_a_long_select_keeps_only_its_choices_and_each_language_apart():
    LongSelect._drawn.clear()
    widget = LongSelect(choices=CHOICES)
    widget.render("country", "Atlantis")
    widget.render("country", "x" * 1000)
    assert LongSelect._drawn == {}  # what a shopper posts that is not a choice is never kept
    widget.render("country", "Nepal")
    with translation.override("hi"):
        widget.render("country", "Nepal")
    assert len(LongSelect._drawn) == 2
    assert 'value="Nepal" selected' in next(iter(LongSelect._drawn.values()))
