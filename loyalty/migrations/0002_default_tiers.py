from decimal import Decimal

from django.db import migrations

DEFAULT_TIERS = [
    ("Silver", Decimal("0"), Decimal("1.00")),
    ("Gold", Decimal("25000"), Decimal("1.25")),
    ("Platinum", Decimal("100000"), Decimal("1.50")),
]


def create_tiers(apps, schema_editor):
    Tier = apps.get_model("loyalty", "Tier")
    from common.ids import new_ulid

    for name, min_spend, multiplier in DEFAULT_TIERS:
        Tier.objects.get_or_create(
            name=name, defaults={"id": new_ulid(), "min_spend": min_spend, "earn_multiplier": multiplier}
        )


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_initial")]

    operations = [migrations.RunPython(create_tiers, migrations.RunPython.noop)]
