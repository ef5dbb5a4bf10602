"""A shopper's right to leave and to take their data: erase the account, export everything.

Erasing removes personal data (name, email, phone, picture, addresses, bank details, reviews,
sessions, codes) and closes the account; orders keep their snapshots and refunds their last
four digits, because the shop's books must. The loyalty ledger stays too (points, no personal
data).
"""

from django.db import transaction

from common.exceptions import InvalidInput

from .models import OtpToken, User, default_notification_preferences
from .tokens import sessions_end_for_user


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

    if user.profile_image:
        name, storage = user.profile_image.name, user.profile_image.storage
        transaction.on_commit(lambda: storage.delete(name))
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
