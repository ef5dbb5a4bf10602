from django import forms
from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, ReadOnlyInline, action_with_form, perm_check

from .models import LoyaltyAccount, PointsActivity, PointsEntry, Tier
from .services import points_adjust


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "min_spend", "earn_multiplier"]


class PointsEntryInline(ReadOnlyInline):
    model = PointsEntry
    fk_name = "account"
    fields = ["created_at", "action", "activity", "points", "title", "reference_number", "remarks", "created_by"]
    ordering = ["-created_at"]


class AdjustForm(forms.Form):
    points = forms.IntegerField(help_text="Positive to add, negative to take away.")
    activity = forms.ChoiceField(choices=[(PointsActivity.BONUS, "Bonus"), (PointsActivity.OTHER, "Other")])
    remarks = forms.CharField(max_length=500, help_text="Why; the shopper sees this.")


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["membership_number", "customer", "tier", "points_balance", "lifetime_spent"]
    search_fields = ["membership_number", "customer__email", "customer__phone"]
    list_select_related = ["customer", "tier"]
    inlines = [PointsEntryInline]
    actions = ["adjust"]
    has_adjust_points_permission = perm_check("adjust_points")

    @admin.action(description="Adjust points", permissions=["adjust_points"])
    def adjust(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=AdjustForm,
            title="Adjust points",
            done="Points adjusted",
            action=lambda account, data: points_adjust(
                customer=account.customer,
                points=data["points"],
                activity=data["activity"],
                remarks=data["remarks"],
                staff=request.user,
            ),
        )


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger: append-only, read-only."""

    list_display = ["created_at", "account", "action", "activity", "points", "title"]
    list_filter = ["activity", "action"]
    search_fields = ["account__membership_number", "account__customer__email", "reference_number"]
    list_select_related = ["account"]
