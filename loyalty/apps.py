from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = "Loyalty"

    def ready(self):
        from accounts.erasure import customer_data_register

        from . import erasure

        customer_data_register(app_label=self.label, export=erasure.customer_export)
