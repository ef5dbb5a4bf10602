"""A shopper's right to leave and to take their data: erase the account, export everything.

Erasing removes personal data (name, email, phone, picture, addresses, bank details, reviews,
sessions, codes) and closes the account; orders keep their snapshots and refunds their last
four digits, because the shop's books must. The loyalty ledger stays too (points, no personal
data).

Every file the shopper uploaded (profile picture, review photos, and any upload field added
later) is deleted from storage, local disk or S3 alike, once the erasure has committed. The
fields are found by scanning the models (`user_file_fields`), not listed by hand.
"""

import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q

from common.exceptions import InvalidInput

from .models import OtpToken, User, default_notification_preferences
from .tokens import sessions_end_for_user

logger = logging.getLogger(__name__)


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
            model._default_manager.filter(owned).exclude(**{f"{name}__isnull": True}).exclude(**{name: ""})
            .values_list(name, flat=True).distinct()
        )
        storage = model._meta.get_field(name).storage
        files.extend((storage, file_name) for file_name in stored)
    return files


def _files_delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - one unreachable file must not keep the others
            logger.exception("Could not delete %s from storage after an erasure.", name)


@transaction.atomic
def account_erase(*, user: User, password: str) -> None:
    """Erase the shopper's personal data and close the account (password required)."""
    from customers.models import BankAccount, Subscription, SubscriptionStatus
    from reviews.models import Review
    from reviews.services import product_rating_refresh

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(password or ""):
        message = "The password is not correct."
        raise InvalidInput(message, code="invalid_password", errors={"password": [message]})
    # Found before their rows go; deleted only once the erasure is committed (a rollback keeps them).
    files = user_files(user=user)
    transaction.on_commit(lambda: _files_delete(files))

    Subscription.objects.filter(customer=user).exclude(status=SubscriptionStatus.CANCELLED).update(
        status=SubscriptionStatus.CANCELLED
    )
    user.addresses.all().delete()
    for account in BankAccount.objects.filter(customer=user):
        if account.refunds.exists():
            # Refund records point at it: keep a husk with the last four digits only.
            BankAccount.objects.filter(pk=account.pk).update(
                account_name="", account_number=account.account_number[-4:], ifsc_code="", bank_name="",
                is_default=False,
            )
        else:
            account.delete()
    reviewed = list(Review.objects.filter(customer=user).values_list("product_id", flat=True))
    Review.objects.filter(customer=user).delete()
    for product_id in reviewed:
        product_rating_refresh(product_id)
    OtpToken.objects.filter(user=user).delete()

    user.email = f"erased-{user.pk.lower()}@erased.invalid"
    user.phone = None
    user.first_name = user.last_name = ""
    user.is_email_verified = user.is_phone_verified = False
    user.profile_image = None
    user.notification_preferences = default_notification_preferences()
    user.is_active = False
    user.set_unusable_password()
    user.save()
    sessions_end_for_user(user=user, reason="erased")


def account_export(*, user: User, request=None) -> dict:
    """Everything the service holds about the shopper, as JSON-ready data."""
    from accounts.api.serializers import UserOutput
    from customers.api.serializers import AddressOutput, BankAccountOutput
    from loyalty.api.serializers import LoyaltyOutput, PointsActivityOutput
    from loyalty.selectors import loyalty_summary, points_activity_for_customer
    from loyalty.services import loyalty_account_ensure
    from orders.api.serializers import OrderListOutput
    from orders.models import Order
    from reviews.api.serializers import CustomerReviewOutput
    from reviews.selectors import reviews_for_customer

    context = {"request": request}
    orders = Order.objects.filter(customer=user).prefetch_related("items").order_by("-order_date")
    return {
        "user": UserOutput(user, context=context).data,
        "addresses": AddressOutput(user.addresses.all(), many=True).data,
        "bank_accounts": BankAccountOutput(user.bank_accounts.all(), many=True).data,
        "orders": OrderListOutput(orders, many=True).data,
        "loyalty": LoyaltyOutput(loyalty_summary(account=loyalty_account_ensure(customer=user))).data,
        "loyalty_points_activity": PointsActivityOutput(
            points_activity_for_customer(customer=user).order_by("-created_at"), many=True
        ).data,
        "reviews": CustomerReviewOutput(reviews_for_customer(customer=user), many=True, context=context).data,
    }
