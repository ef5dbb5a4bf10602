"""Give the staff groups the outbox: Support sees it and may send a message again."""

import importlib

from django.db import migrations

# The accounts migration that made the groups knows how (permissions first, then the groups).
create_groups = importlib.import_module("accounts.migrations.0003_staff_groups").create_groups


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
