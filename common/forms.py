"""Showing service errors on the website's forms, next to the fields they name."""

from pathlib import Path

from django import forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils import translation
from django.utils.functional import cached_property

from common.exceptions import DomainError


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's error on the form: on the fields it names, else at the top."""
    placed = False
    for field, messages in (exc.errors or {}).items():
        name = field.split(".")[0]
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class LongSelect(forms.Select):
    """A select of many fixed options (every country), drawn by Django's own widget templates once
    per process for each name, value, set of attributes, choices and language, then reused: its
    250 options were 250 template renders on every address form (7.8 ms of its 8). The HTML is
    Django's, byte for byte; bounded like `include_once` (a value not among the choices still
    draws, it just is not kept)."""

    _drawn: dict[tuple, str] = {}
    LIMIT = 2000

    def render(self, name, value, attrs=None, renderer=None):
        choices = tuple(self.choices)
        key = (
            translation.get_language(),
            name,
            str(value),
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            choices,
        )
        html = self._drawn.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if str(value) in {str(v) for v, _ in choices} or value in (None, ""):
                if len(self._drawn) >= self.LIMIT:
                    self._drawn.clear()
                self._drawn[key] = html
        return html


class _Jinja2(Jinja2):
    """Django's Jinja2 form renderer, on the website's environment (common.jinja)."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {"environment": "common.jinja.environment"},
            }
        )


class WidgetRenderer(BaseRenderer):
    """The form renderer (settings.FORM_RENDERER): Django's own widgets through the Jinja2
    templates Django ships for them (the same HTML, about ten times faster: widgets were most of
    what the reviews, order and business pages spent rendering, issue 28), and any widget that
    has only a Django template (the admin's) through the Django template engine.

    A field with its label, help and errors (`{{ form.x.as_field_group }}`) is our own Jinja2
    template, `common/jinja2/common/field.html`: it was an include on each field of the pages'
    forms, a third of the profile page's time."""

    field_template_name = "common/field.html"

    def __init__(self):
        self.fast = _Jinja2()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.fast.get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
