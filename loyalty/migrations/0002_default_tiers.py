from decimal import Decimal

from django.db import migrations

DEFAULT_TIERS = [
    ("Silver", Decimal("0"), Decimal("1.00")),
    ("Gold", Decimal("25000"), Decimal("1.25")),
    ("Platinum", Decimal("100000"), Decimal("1.50")),
]


def create_tiers(apps, schema_editor):
    # The historical model's id field keeps its default (a new ULID), so nothing is imported.
    Tier = apps.get_model("loyalty", "Tier")
    for name, min_spend, multiplier in DEFAULT_TIERS:
        Tier.objects.get_or_create(name=name, defaults={"min_spend": min_spend, "earn_multiplier": multiplier})


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_initial")]

    operations = [migrations.RunPython(create_tiers, migrations.RunPython.noop)]
