"""The staff groups and what each may do. Used by `manage.py sync_staff_groups` and seed_demo (the
data migrations carry their own copy of the rule as it stood)."""

from django.db.models import Q

APPS = ("accounts", "catalog", "customers", "loyalty", "notifications", "orders", "reviews")
# Support sees everything of the shop, acts on returns, refunds and reviews, and sends messages again.
SUPPORT_ACTIONS = (
    "orders.act_on_returns",
    "orders.act_on_refunds",
    "reviews.moderate_reviews",
    "notifications.resend_messages",
)


def staff_groups_sync(Group, Permission) -> None:
    """Create or update the `Support` and `Managers` groups (models passed in, so a migration
    can hand over its historical ones)."""
    ours = Permission.objects.filter(content_type__app_label__in=APPS)
    support, _ = Group.objects.get_or_create(name="Support")
    # One filter, not a get per label: the accounts migration runs this before the permissions
    # of later apps exist (notifications' own migration runs it again).
    wanted = Q(pk__in=[])
    for app, codename in (label.split(".") for label in SUPPORT_ACTIONS):
        wanted |= Q(content_type__app_label=app, codename=codename)
    actions = list(Permission.objects.filter(wanted))
    support.permissions.set([*ours.filter(codename__startswith="view_"), *actions])
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.set(Permission.objects.all())
