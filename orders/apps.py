from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from accounts.erasure import customer_data_register

        from . import erasure

        customer_data_register(app_label=self.label, export=erasure.customer_export)
