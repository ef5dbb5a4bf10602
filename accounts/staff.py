"""The staff groups and what each may do. Used by a data migration and by `sync_staff_groups`."""

APPS = ("accounts", "catalog", "customers", "loyalty", "orders", "reviews")
# Support sees everything of the shop and acts on returns, refunds and reviews.
SUPPORT_ACTIONS = ("orders.act_on_returns", "orders.act_on_refunds", "reviews.moderate_reviews")


def staff_groups_sync(Group, Permission) -> None:
    """Create or update the `Support` and `Managers` groups (models passed in, so a migration
    can hand over its historical ones)."""
    ours = Permission.objects.filter(content_type__app_label__in=APPS)
    support, _ = Group.objects.get_or_create(name="Support")
    actions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in (label.split(".") for label in SUPPORT_ACTIONS)
    ]
    support.permissions.set([*ours.filter(codename__startswith="view_"), *actions])
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.set(Permission.objects.all())
