"""Review test data, made through the real services."""

from reviews import services


def first_product(order):
    return order.items.order_by("pk").first().product


def submit(customer, product, rating=5, text="Lovely", **kwargs):
    return services.review_submit(customer=customer, product=product, rating=rating, review_text=text, **kwargs)
