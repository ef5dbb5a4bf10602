from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import signals, websessions  # noqa: F401
        from .audit import audit_off_by_default

        audit_off_by_default()
