from django.contrib import admin

from .models import Address, Subscription


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "pincode", "is_default_billing", "is_default_shipping"]
    search_fields = ["customer__email", "customer__phone", "first_name", "last_name", "pincode", "city"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]
    readonly_fields = ["is_default_billing", "is_default_shipping", "created_at", "modified_at"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "product", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["id", "customer__email", "product__name"]
    list_select_related = ["customer", "product"]
    raw_id_fields = ["customer", "product", "shipping_address", "billing_address"]
