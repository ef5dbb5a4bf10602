from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from accounts.erasure import customer_data_register
        from customers.services import bank_account_hold_register

        from . import erasure, lifecycle

        customer_data_register(app_label=self.label, export=erasure.customer_export)
        bank_account_hold_register(app_label=self.label, check=lifecycle.bank_account_hold)
