from django.contrib import admin

from . import services
from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "sku",
        "hsn_code",
        "product_type",
        "listing_price",
        "selling_price",
        "active",
        "stock_available",
    ]
    list_filter = ["product_type", "active", "stock_available"]
    search_fields = ["name", "sku", "slug", "hsn_code"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        # Through the service: a lower price or a return to stock tells the shoppers who saved it.
        services.product_save(product=obj)
