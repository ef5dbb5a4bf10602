"""The staff audit log (issue 29 item 8): what staff change in the admin is recorded with who,
before and after, and the address it came from; it is read-only; secrets never enter it; a
shopper's own changes are not recorded; erasing the shopper removes the entries about them."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts import erasure
from common.testing import API, PASSWORD, form_fields

FORM = 1  # the change form (the first is the header's sign-out)

pytestmark = pytest.mark.django_db


def user_entries(user):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_pk=str(user.pk))


def staff_edit_names(manager, shopper):
    url = f"/admin/accounts/user/{shopper.pk}/change/"
    page = manager.get(url)
    assert page.status_code == 200
    form = {**form_fields(page.content.decode(), form_index=FORM), "first_name": "Mira"}
    answer = manager.post(url, form, REMOTE_ADDR="198.51.100.23", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert answer.status_code == 302, answer.content.decode()[:3000]
    return answer


def test_a_staff_change_is_recorded_with_who_before_after_and_the_address(staff_client, shopper):
    manager = staff_client("Managers")
    staff_edit_names(manager, shopper)
    shopper.refresh_from_db()
    assert shopper.first_name == "Mira"
    (entry,) = user_entries(shopper).filter(action=LogEntry.Action.UPDATE)
    assert entry.actor == manager.staff
    assert entry.remote_addr == "198.51.100.23"  # not the forged X-Forwarded-For (no trusted proxy)
    assert entry.changes_dict["first_name"] == ["Meera", "Mira"]
    assert "password" not in entry.changes_dict and "modified_at" not in entry.changes_dict


def test_the_log_is_read_only_in_the_admin(staff_client, shopper):
    manager = staff_client("Managers")
    staff_edit_names(manager, shopper)
    entry = user_entries(shopper).get(action=LogEntry.Action.UPDATE)
    manager.staff.is_superuser = True  # even a superuser
    manager.staff.save()
    listing = manager.get("/admin/auditlog/logentry/")
    assert listing.status_code == 200 and "198.51.100.23" in listing.content.decode()
    page = manager.get(f"/admin/auditlog/logentry/{entry.pk}/change/")
    assert page.status_code == 200 and "Mira" in page.content.decode()
    assert manager.get("/admin/auditlog/logentry/add/").status_code == 403
    manager.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"})
    manager.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {"changes": "{}"})
    assert LogEntry.objects.get(pk=entry.pk).changes_dict["first_name"] == ["Meera", "Mira"]


def test_managers_read_the_log_support_does_not(staff_client, shopper):
    from django.contrib.auth.models import Group

    # As the migrations leave it (not only as staff_groups_sync would).
    assert Group.objects.get(name="Managers").permissions.filter(codename="view_logentry").exists()
    assert not Group.objects.get(name="Support").permissions.filter(content_type__app_label="auditlog").exists()
    assert staff_client("Support").get("/admin/auditlog/logentry/").status_code == 403


def test_a_shoppers_own_changes_and_code_outside_the_admin_are_not_recorded(client_for, signed_in, shopper):
    client_for(shopper).put(f"{API}/auth/user/{shopper.pk}", {"first_name": "Mira"}, format="json")
    signed_in.post("/account/profile/name/", {"first_name": "Meera", "last_name": "N"})
    shopper.first_name = "Direct"
    shopper.save()
    assert not user_entries(shopper).exists()


def test_erasing_the_shopper_removes_the_entries_about_them(staff_client, shopper):
    staff_edit_names(staff_client("Managers"), shopper)
    assert user_entries(shopper).exists()
    erasure.account_erase(user=shopper, password=PASSWORD)
    assert not user_entries(shopper).exists()
