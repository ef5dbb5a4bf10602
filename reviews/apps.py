from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from accounts.erasure import customer_data_register
        from orders.signals import received_changed

        from . import erasure

        customer_data_register(app_label=self.label, erase=erasure.customer_erase, export=erasure.customer_export)
        received_changed.connect(_received_changed, dispatch_uid="reviews.received_changed")


def _received_changed(sender, *, customer_id, product_ids, **kwargs):
    """What the shopper received and kept changed: the products they may review follow."""
    from .services import received_products_refresh

    received_products_refresh(customer_id=customer_id, product_ids=product_ids)
