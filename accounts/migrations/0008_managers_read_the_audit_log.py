"""Managers read the staff audit log (auditlog's LogEntry, accounts/audit.py); Support does not.

On the historical models: the permissions first (they are otherwise made only after every
migration), then only the view permission added to Managers: the log is read-only for all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def managers_read_the_log(apps, schema_editor):
    config = apps.get_app_config("auditlog")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.add(*Permission.objects.filter(content_type__app_label="auditlog", codename="view_logentry"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_authsession_device_and_authentication"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(managers_read_the_log, migrations.RunPython.noop)]
