"""The demo shopper's review of the product of their completed order, for `seed_demo`."""

from orders.models import Order, OrderStatus

from .models import Review
from .services import review_approve, review_submit


def seed_reviews(shopper) -> None:
    if Review.objects.filter(customer=shopper).exists():
        return
    complete = Order.objects.filter(customer=shopper, status=OrderStatus.COMPLETE).first()
    if complete is None:
        return
    product = complete.items.first().product
    review = review_submit(
        customer=shopper,
        product=product,
        rating=5,
        order_number=complete.number,
        tags=["fresh", "value for money"],
        review_text="Crunchy and fresh, well packed. Will order again.",
    )
    review_approve(review=review)
