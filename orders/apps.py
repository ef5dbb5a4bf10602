from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from accounts.erasure import customer_data_register
        from customers.services import bank_account_hold_register
        from loyalty.selectors import order_numbers_resolver_register

        from . import erasure, lifecycle
        from .selectors import order_numbers_of

        customer_data_register(app_label=self.label, erase=erasure.customer_erase, export=erasure.customer_export)
        bank_account_hold_register(app_label=self.label, check=lifecycle.bank_account_hold)
        order_numbers_resolver_register(order_numbers_of)

        from . import signals
        from .selectors_buy_again import buy_again_forget

        # What a shopper bought changes when a payment settles or an order is cancelled.
        def _bought_changed(sender, order, **kwargs):
            buy_again_forget(customer_id=order.customer_id)

        signals.payment_settled.connect(_bought_changed, dispatch_uid="orders.buy_again.paid")
        signals.order_cancelled.connect(_bought_changed, dispatch_uid="orders.buy_again.cancelled")
