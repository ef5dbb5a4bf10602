"""Data migrations carry their own historical rule on the historical models (`apps.get_model`)
and import none of today's code; on a fresh database they give what the tests expect."""

import ast
import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orders import services as orders
from orders.tests.factories import delivered, place
from reviews.models import ReceivedProduct
from reviews.services import received_products_refresh

ROOT = Path(__file__).resolve().parents[1]


def historical_apps(app_label: str, migration: str):
    """The models as that migration sees them: what its RunPython is handed."""
    return MigrationExecutor(connection).loader.project_state((app_label, migration)).apps


def first_party_packages() -> set[str]:
    return {Path(app.path).name for app in apps.get_app_configs() if Path(app.path).is_relative_to(ROOT)} | {"config"}


def test_no_migration_imports_our_code():
    ours = first_party_packages()
    found = []
    # Schema migrations name our field defaults and managers, as Django writes them; data
    # migrations (RunPython) must not reach further.
    for path in sorted(p for p in ROOT.glob("*/migrations/*.py") if "RunPython" in p.read_text()):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                names = [getattr(node.args[0], "value", "?")]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ours]
    assert found == []


@pytest.mark.django_db
def test_the_groups_are_the_ones_the_migrations_made():
    """Support and Managers as the rule made them when the groups' migrations ran: the
    permissions of later models come with `sync_staff_groups` and seed_demo."""
    support = set(Group.objects.get(name="Support").permissions.all())
    managers = set(Group.objects.get(name="Managers").permissions.all())
    later = {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.exclude(pk__in=[p.pk for p in managers])
    }
    assert later == {
        f"{app}.{action}_{model}"
        for app, model in (
            ("orders", "gatewayevent"),
            ("orders", "returnattachment"),
            ("reviews", "receivedproduct"),
            ("sessions", "session"),
        )
        for action in ("add", "change", "delete", "view")
    }
    call_command("sync_staff_groups", stdout=StringIO())
    now = set(Group.objects.get(name="Support").permissions.all())
    assert {f"{p.content_type.app_label}.{p.codename}" for p in now - support} == {
        "orders.view_gatewayevent",
        "orders.view_returnattachment",
        "reviews.view_receivedproduct",
    }
    assert support <= now


@pytest.mark.django_db
def test_the_received_products_migration_builds_what_the_service_builds(shopper, other_shopper):
    fill = importlib.import_module("reviews.migrations.0003_received_products").fill
    delivered(other_shopper, quantities=(1, 2))
    delivered(shopper, quantities=(2, 1))
    newer = delivered(shopper, quantities=(1, 1))  # the first products again: the newer items win
    kept, returned = newer.items.order_by("pk")
    orders.return_create(
        order=newer,
        lines=[orders.ReturnRequestLine(order_item=returned, quantity=1, reason="x", resolution="refund")],
    )
    ReceivedProduct.objects.all().delete()
    received_products_refresh()
    expected = set(ReceivedProduct.objects.values_list("customer", "product", "order_item", "order_date"))
    assert len(expected) == 4 and any(row[2] == kept.pk for row in expected)

    ReceivedProduct.objects.all().delete()
    fill(historical_apps("reviews", "0003_received_products"), None)
    assert set(ReceivedProduct.objects.values_list("customer", "product", "order_item", "order_date")) == expected


@pytest.mark.django_db
def test_the_per_shipment_migration_builds_what_the_service_builds(shopper, other_shopper):
    """0005 rebuilds the rows by today's rule (orders.lifecycle.order_items_received): the item
    of a partly delivered order that arrived counts, the one still travelling does not."""
    refill = importlib.import_module("reviews.migrations.0005_received_per_shipment").refill
    delivered(other_shopper, quantities=(1,))
    partly = place(shopper, quantities=(1, 1))
    arrived, _travelling = partly.items.order_by("pk")
    orders.shipment_create(order=partly, items=[(arrived, 1)])
    orders.shipment_create(order=partly)
    orders.shipment_deliver(shipment=partly.shipments.order_by("created_at", "pk").first())
    expected = set(ReceivedProduct.objects.values_list("customer", "product", "order_item", "order_date"))
    assert (shopper.pk, arrived.product_id, arrived.pk, partly.order_date) in expected and len(expected) == 2

    ReceivedProduct.objects.all().delete()
    refill(historical_apps("reviews", "0005_received_per_shipment"), None)
    assert set(ReceivedProduct.objects.values_list("customer", "product", "order_item", "order_date")) == expected
