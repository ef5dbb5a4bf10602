"""The two staff groups: Support (see everything, act on returns, refunds and reviews) and
Managers (everything).

A data migration runs the historical models (`apps.get_model`) and its own copy of the rule as
it stood, never today's code: today's rule is `accounts.staff.staff_groups_sync`.
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
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    support, _ = Group.objects.get_or_create(name="Support")
    # One filter, not a get per label: the permissions of later apps do not exist yet
    # (notifications' own migration runs this again).
    wanted = Q(pk__in=[])
    for app, codename in (label.split(".") for label in SUPPORT_ACTIONS):
        wanted |= Q(content_type__app_label=app, codename=codename)
    support.permissions.set([*ours.filter(codename__startswith="view_"), *Permission.objects.filter(wanted)])
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.set(Permission.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_alter_user_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0002_product_average_rating_product_review_count"),
        ("customers", "0003_alter_bankaccount_options"),
        ("loyalty", "0003_alter_loyaltyaccount_options"),
        ("orders", "0002_alter_order_options_alter_orderreturn_options_and_more"),
        ("reviews", "0002_alter_review_options"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
