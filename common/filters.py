"""Lists' filters (CONTRACT.md section 4): django-filter FilterSets, one per list, shared by its
endpoint and its web page (orders.filters.OrderFilter)."""

import re
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.widgets import QueryArrayWidget

from .exceptions import InvalidInput


class MultiValueWidget(QueryArrayWidget):
    """Reads a filter's values as clients send them: `status=a&status=b` (the SDK),
    `status[]=a&status[]=b`, and `status=a,b` (the website's chips); in order, once each.
    (django-filter's own QueryArrayWidget reads either the plain or the `[]` name, not both.)"""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        given = getlist(name) + getlist(f"{name}[]") if getlist else [data.get(name) or ""]
        return list(dict.fromkeys(v.strip() for value in given for v in str(value).split(",") if v.strip()))


class MultiValueField(forms.Field):
    """Several values, each one of `values`.

    Not forms.MultipleChoiceField: its choices are normalised again on every check and copied
    with every form, which cost a list request more than the rest of its filtering together.
    """

    widget = MultiValueWidget
    default_error_messages = {"invalid_choice": "Unknown value %(value)s."}

    def __init__(self, *, values, **kwargs):
        self.values = tuple(values)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        for item in value:
            if item not in self.values:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )


class MultiValueFilter(django_filters.Filter):
    """Rows whose column holds any of the values given (`values`: the allowed ones)."""

    field_class = MultiValueField

    def __init__(self, *args, values, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, values=tuple(values), **kwargs)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDateField(forms.DateField):
    """A calendar date written `YYYY-MM-DD` and nothing else (what `<input type="date">` sends):
    Django's DateField would also take "12/04/2026", which reads differently in India and the US.
    Years 1 to 9999; anything else (no date, "2026-02-30", year 0, a NUL byte) is `invalid`."""

    input_formats = ["YYYY-MM-DD"]  # one format, read by strptime() below
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def strptime(self, value, format):
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)  # ValueError for a day or year that does not exist


class IsoDateFilter(django_filters.Filter):
    """A calendar date, `YYYY-MM-DD` (IsoDateField)."""

    field_class = IsoDateField


class ListFilterSet(django_filters.FilterSet):
    """The filters of one list.

    Lists whose rows come from hand-written SQL take `cleaned()` rather than `qs`. The form
    class is built once per FilterSet, not once per request as django-filter does: a list's
    filters do not depend on the request.
    """

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def cleaned(self) -> dict:
        """The filters the request gave, cleaned; InvalidInput naming each bad one."""
        if not self.is_valid():
            errors = {name: list(messages) for name, messages in self.errors.items()}
            name, messages = next(iter(errors.items()))
            raise InvalidInput(f"{name}: {messages[0]}", errors=errors)
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}
