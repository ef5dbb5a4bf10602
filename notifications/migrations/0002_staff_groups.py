"""Give the staff groups the outbox: Support sees it and may send a message again.

As accounts' 0003 did, on the historical models, with this migration's own copy of the rule as
it stood then (never today's `accounts.staff.staff_groups_sync`): permissions first, then the
groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

STAFF_APPS = ("accounts", "catalog", "customers", "loyalty", "notifications", "orders", "reviews")
SUPPORT_ACTIONS = (
    "orders.act_on_returns",
    "orders.act_on_refunds",
    "reviews.moderate_reviews",
    "notifications.resend_messages",
)


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    wanted = Q(pk__in=[])
    for app, codename in (label.split(".") for label in SUPPORT_ACTIONS):
        wanted |= Q(content_type__app_label=app, codename=codename)
    support, _ = Group.objects.get_or_create(name="Support")
    support.permissions.set([*ours.filter(codename__startswith="view_"), *Permission.objects.filter(wanted)])
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.set(Permission.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
