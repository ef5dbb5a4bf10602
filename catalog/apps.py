from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        from accounts.erasure import customer_data_register

        from . import erasure

        customer_data_register(app_label=self.label, erase=erasure.customer_erase, export=erasure.customer_export)
