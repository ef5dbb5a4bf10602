"""A shopper's reviews, erased and exported when they ask (`accounts.erasure` calls these;
registered in `ReviewsConfig.ready`). Their photos go with the account's file scan."""

from .api.serializers import CustomerReviewOutput
from .models import Review
from .selectors import reviews_for_customer
from .services import product_rating_refresh


def customer_erase(*, user) -> None:
    """Delete the shopper's reviews; the products they rated count without them."""
    reviewed = list(Review.objects.filter(customer=user).values_list("product_id", flat=True))
    Review.objects.filter(customer=user).delete()
    for product_id in reviewed:
        product_rating_refresh(product_id)


def customer_export(*, user, request) -> dict:
    return {
        "reviews": CustomerReviewOutput(
            reviews_for_customer(customer=user), many=True, context={"request": request}
        ).data,
    }
