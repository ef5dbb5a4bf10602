"""Review moderation: approve or reject, in bulk, through reviews.services."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When

from common.admin import ReadOnlyAdminMixin, ReadOnlyInline, ReasonForm, action_with_form, perm_check, run_action

from .models import Review, ReviewImage, ReviewStatus
from .services import review_approve, review_reject


class ReviewImageInline(ReadOnlyInline):
    model = ReviewImage
    fields = ["standard", "thumbnail"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["product", "customer", "rating", "status", "created_at"]
    list_filter = ["status", "rating"]
    search_fields = ["product__name", "customer__email", "review_text"]
    list_select_related = ["product", "customer"]
    inlines = [ReviewImageInline]
    actions = ["approve", "reject"]
    has_moderate_reviews_permission = perm_check("moderate_reviews")

    def get_queryset(self, request):
        # The moderation queue: pending reviews first, newest first.
        pending_first = Case(
            When(status=ReviewStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return super().get_queryset(request).order_by(pending_first, "-created_at")

    @admin.action(description="Approve", permissions=["moderate_reviews"])
    def approve(self, request, queryset):
        run_action(self, request, queryset, lambda r: review_approve(review=r, staff=request.user), done="Approved")

    @admin.action(description="Reject (with a reason)", permissions=["moderate_reviews"])
    def reject(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title="Reject reviews",
            done="Rejected",
            action=lambda r, data: review_reject(review=r, reason=data["reason"], staff=request.user),
        )
