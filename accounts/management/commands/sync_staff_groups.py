"""Bring the Support and Managers groups up to date with the permissions of every model, new
ones included (`accounts.staff`). Safe to run at every release, after `migrate`."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from accounts.staff import staff_groups_sync


class Command(BaseCommand):
    help = "Create or update the Support and Managers staff groups (run after migrate)."

    def handle(self, *args, **options):
        staff_groups_sync(Group, Permission)
        for group in Group.objects.filter(name__in=["Support", "Managers"]).order_by("name"):
            self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
