"""Showing service errors on the website's forms, next to the fields they name."""

from django import forms

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
