from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "hsn_code", "product_type", "listing_price", "selling_price", "active"]
    list_filter = ["product_type", "active"]
    search_fields = ["name", "sku", "slug", "hsn_code"]
    prepopulated_fields = {"slug": ["name"]}
