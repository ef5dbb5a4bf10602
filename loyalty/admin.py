from django.contrib import admin

from .models import LoyaltyAccount, PointsEntry, Tier


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "min_spend", "earn_multiplier"]


class PointsEntryInline(admin.TabularInline):
    model = PointsEntry
    fk_name = "account"
    fields = ["created_at", "action", "activity", "points", "title", "reference_number", "remarks", "clears_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(admin.ModelAdmin):
    list_display = ["membership_number", "customer", "tier", "points_balance", "lifetime_spent"]
    search_fields = ["membership_number", "customer__email", "customer__phone"]
    list_select_related = ["customer", "tier"]
    readonly_fields = [f.name for f in LoyaltyAccount._meta.fields]
    inlines = [PointsEntryInline]

    def has_add_permission(self, request):
        return False
