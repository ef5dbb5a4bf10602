"""A shopper's loyalty account in their export (`accounts.erasure` calls this; registered in
`LoyaltyConfig.ready`). Erasure keeps the ledger: points, and no personal data."""

from .api.serializers import LoyaltyOutput, PointsActivityOutput
from .selectors import loyalty_summary, points_activity_for_customer
from .services import loyalty_account_ensure


def customer_export(*, user, request) -> dict:
    return {
        "loyalty": LoyaltyOutput(loyalty_summary(account=loyalty_account_ensure(customer=user))).data,
        "loyalty_points_activity": PointsActivityOutput(
            points_activity_for_customer(customer=user).order_by("-created_at"), many=True
        ).data,
    }
