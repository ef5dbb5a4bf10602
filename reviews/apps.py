from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from accounts.erasure import customer_data_register

        from . import erasure

        customer_data_register(app_label=self.label, erase=erasure.customer_erase, export=erasure.customer_export)
