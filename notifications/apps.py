from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from accounts.erasure import customer_data_register

        from . import erasure

        customer_data_register(app_label=self.label, erase=erasure.customer_erase, export=erasure.customer_export)
