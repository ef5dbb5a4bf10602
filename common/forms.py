"""Showing service errors on the website's forms, next to the fields they name."""

from pathlib import Path

from django import forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
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
