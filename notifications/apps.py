from django.apps import AppConfig
from django.core.checks import register


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from accounts.erasure import customer_data_register
        from accounts.notices import notice_sender_register

        from . import erasure
        from .checks import email_timeout_check
        from .events import order_events_connect
        from .services import notice_queue
        from .wishlist_alerts import wishlist_alerts_connect

        customer_data_register(app_label=self.label, erase=erasure.customer_erase, export=erasure.customer_export)
        notice_sender_register(notice_queue)
        order_events_connect()
        wishlist_alerts_connect()
        register(email_timeout_check)
