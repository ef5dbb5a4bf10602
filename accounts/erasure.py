"""A shopper's right to leave and to take their data: erase the account, export everything.

Each app erases and exports what it holds about a shopper itself, in its own `erasure` module,
and registers both here from its `AppConfig.ready()` (`customer_data_register`); this module
knows no other app. Erasing removes personal data (name, email, phone, picture, addresses, bank
details, reviews, sessions, codes) and closes the account; orders keep their snapshots and
refunds their last four digits, because the shop's books must. The loyalty ledger stays too
(points, no personal data).

Every file the shopper uploaded (profile picture, review photos, and any upload field added
later, in any app) is deleted from storage, local disk or S3 alike, once the erasure has
committed. The fields are found by scanning the models (`user_file_fields`), not listed by hand,
so no app can forget one.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q

from .api.serializers import PasskeyOutput, UserOutput
from .audit import audit_forget
from .models import ERASED_EMAIL_DOMAIN, OtpToken, Passkey, User, default_notification_preferences
from .services.reauth import reauth_confirm
from .tokens import sessions_end_for_user

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CustomerData:
    """How one app erases and exports what it holds about a shopper.

    `erase(user=)` runs inside the erasure's transaction, before the account itself is scrubbed;
    `export(user=, request=)` returns that app's keys of the export. Either may be None: orders
    and the loyalty ledger are kept, so those apps only export.
    """

    app_label: str
    erase: Callable[..., None] | None = None
    export: Callable[..., dict] | None = None


# Filled by the apps' ready(), in INSTALLED_APPS order: the order of the export's keys.
_registry: dict[str, CustomerData] = {}


def customer_data_register(
    *, app_label: str, erase: Callable[..., None] | None = None, export: Callable[..., dict] | None = None
) -> None:
    """Called from an app's `AppConfig.ready()`: how it erases and exports a shopper's data."""
    _registry[app_label] = CustomerData(app_label=app_label, erase=erase, export=export)


def customer_data_registered() -> list[CustomerData]:
    """The apps holding a shopper's data, in INSTALLED_APPS order."""
    return list(_registry.values())


def _owner_paths(model, user_model, *, depth: int = 4, seen: tuple = ()) -> list[str]:
    """Lookups from `model` to the user who owns its rows, through foreign keys that cascade."""
    if model is user_model:
        return [""]
    if depth == 0:
        return []
    paths = []
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.remote_field.on_delete is not models.CASCADE:
            continue
        if field.related_model in seen:
            continue
        for rest in _owner_paths(field.related_model, user_model, depth=depth - 1, seen=(*seen, model)):
            paths.append(f"{field.name}__{rest}" if rest else field.name)
    return paths


def user_file_fields() -> list[tuple[type[models.Model], str, list[str]]]:
    """Every file field that holds a user's uploads, as (model, field name, lookups to the user).

    A row is the user's when it is on the user model, or hangs off it through foreign keys that
    cascade (it would go with its owner): ReviewImage -> Review.customer, say. A PROTECT link
    marks the shop's record instead (an order keeps its customer) and is not followed; nor is a
    SET_NULL one (a review's moderator does not own it).
    """
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        paths = _owner_paths(model, user_model) if names else []
        found.extend((model, name, paths) for name in names if paths)
    return found


def user_files(*, user) -> list[tuple[object, str]]:
    """(storage, name) of every file stored for the user, through `user_file_fields`."""
    files = []
    for model, name, paths in user_file_fields():
        owned = Q()
        for path in paths:
            owned |= Q(**{path or "pk": user.pk})
        stored = (
            model._default_manager.filter(owned)
            .exclude(**{f"{name}__isnull": True})
            .exclude(**{name: ""})
            .values_list(name, flat=True)
            .distinct()
        )
        storage = model._meta.get_field(name).storage
        files.extend((storage, file_name) for file_name in stored)
    return files


def _files_delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # one unreachable file must not keep the others
            logger.exception("Could not delete %s from storage after an erasure.", name)


def account_erase(
    *,
    user: User,
    password: str | None = None,
    otp_token: str | None = None,
    otp: str = "",
    ip: str | None = None,
) -> None:
    """Erase the shopper's personal data and close the account, confirmed with the password or,
    for an account without one, a `reauthenticate` code (`accounts.services.reauth`); `ip` is
    the client's, for the lockout a wrong password counts towards."""
    # Checked before the erasure's transaction, so a wrong code is counted although it fails.
    reauth_confirm(user=user, password=password, otp_token=otp_token, otp=otp, ip=ip)
    _erase(user)


@transaction.atomic
def _erase(user: User) -> None:
    passkey_ids = list(Passkey.objects.filter(user=user).values_list("pk", flat=True))
    with disable_auditlog():  # the erasure is not recorded field by field: that would keep the data
        _erase_rows(user)
    audit_forget(User, [user.pk])
    audit_forget(Passkey, passkey_ids)


def _erase_rows(user: User) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    # Found before their rows go; deleted only once the erasure is committed (a rollback keeps them).
    files = user_files(user=user)
    transaction.on_commit(lambda: _files_delete(files))

    for app in customer_data_registered():
        if app.erase is not None:
            app.erase(user=user)
    OtpToken.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()  # their names are the shopper's words, and they sign in

    user.email = f"erased-{user.pk.lower()}@{ERASED_EMAIL_DOMAIN}"
    user.phone = None
    user.first_name = user.last_name = ""
    user.is_email_verified = user.is_phone_verified = False
    user.profile_image = None
    user.notification_preferences = default_notification_preferences()
    user.is_active = False
    user.deactivated_at = None  # an erased account is not the shopper's to reactivate
    user.set_unusable_password()
    user.save()
    sessions_end_for_user(user=user, reason="erased")


def account_export(*, user: User, request=None) -> dict:
    """Everything the service holds about the shopper, as JSON-ready data: the account, then
    each app's part."""
    export = {
        "user": UserOutput(user, context={"request": request}).data,
        "passkeys": PasskeyOutput(Passkey.objects.filter(user=user).order_by("created_at"), many=True).data,
    }
    for app in customer_data_registered():
        if app.export is not None:
            export.update(app.export(user=user, request=request))
    return export
