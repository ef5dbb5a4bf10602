from django.contrib import admin
from django.db.models import F

from accounts.admin import user_admin_inlines_register
from common.admin import ReadOnlyInline, perm_check, run_action

from .models import Address, BankAccount, Subscription
from .services import bank_account_verify


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "pincode", "is_default_billing", "is_default_shipping"]
    search_fields = ["customer__email", "customer__phone", "first_name", "last_name", "pincode", "city"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]
    readonly_fields = ["customer", "is_default_billing", "is_default_shipping", "created_at", "modified_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "product", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["id", "customer__email", "product__name"]
    list_select_related = ["customer", "product"]
    raw_id_fields = ["customer", "product", "shipping_address", "billing_address"]


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    """The account number is shown masked only, in the list and in the form."""

    list_display = [
        "customer",
        "bank_name",
        "masked_number",
        "ifsc_code",
        "is_verified",
        "verification_requested_at",
        "is_default",
    ]
    list_filter = ["is_verified"]
    # Unverified accounts first, those the shopper asked to have verified at their head (oldest
    # request first).
    ordering = ["is_verified", F("verification_requested_at").asc(nulls_last=True), "-created_at"]
    search_fields = ["customer__email", "bank_name", "ifsc_code"]
    list_select_related = ["customer"]
    fields = [
        "customer",
        "account_name",
        "masked_number",
        "ifsc_code",
        "bank_name",
        "is_default",
        "is_verified",
        "verified_at",
        "verification_requested_at",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["verify"]
    has_verify_bank_accounts_permission = perm_check("verify_bank_accounts")

    def has_add_permission(self, request):
        return False

    @admin.display(description="Account number")
    def masked_number(self, account):
        return account.masked_number

    @admin.action(description="Mark verified", permissions=["verify_bank_accounts"])
    def verify(self, request, queryset):
        run_action(self, request, queryset, lambda a: bank_account_verify(account=a), done="Verified")


class AddressInline(ReadOnlyInline):
    model = Address
    fields = ["nickname", "first_name", "last_name", "city", "pincode", "is_default_billing", "is_default_shipping"]
    show_change_link = True


class BankAccountInline(ReadOnlyInline):
    model = BankAccount
    fields = ["bank_name", "masked_number", "ifsc_code", "is_verified", "is_default"]
    show_change_link = True

    @admin.display(description="Account number")
    def masked_number(self, account):
        return account.masked_number


user_admin_inlines_register(AddressInline, BankAccountInline)
