"""One abstract base model (common.models.BaseModel) for the ULID key and the timestamps."""

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import AuthSession
from common.ids import is_ulid, new_ulid
from common.models import BaseModel
from loyalty.models import Tier
from orders.models import OrderItem

OURS = {"accounts", "catalog", "customers", "orders", "loyalty", "reviews", "notifications"}


def test_every_ulid_keyed_model_has_its_key_from_the_base_model():
    ulid_keyed = {
        model
        for model in apps.get_models()
        if model._meta.app_label in OURS and getattr(model._meta.pk, "default", None) is new_ulid
    }
    assert ulid_keyed == {model for model in apps.get_models() if issubclass(model, BaseModel)}
    assert len(ulid_keyed) == 22  # with accounts.Passkey


def fields(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


def test_tables_without_timestamps_did_not_gain_them():
    assert "created_at" in fields(AuthSession) and "modified_at" not in fields(AuthSession)
    assert not {"created_at", "modified_at"} & (fields(Tier) | fields(OrderItem))


@pytest.mark.django_db
def test_a_new_row_gets_a_ulid_and_both_timestamps(shopper):
    assert is_ulid(shopper.id) and shopper.created_at is not None
    before = shopper.modified_at
    shopper.first_name = "Asha"
    shopper.save()
    assert shopper.modified_at > before


@pytest.mark.django_db
def test_the_models_match_their_migrations():
    """The base model changed no column: there is nothing to migrate."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
