"""The two staff groups: Support (see everything, act on returns, refunds and reviews) and
Managers (everything)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.staff import staff_groups_sync


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    staff_groups_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


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
