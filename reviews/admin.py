"""Review moderation: approve or reject, in bulk, through reviews.services."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When

from .models import Review, ReviewImage, ReviewStatus
from .services import review_approve, review_reject


class ReviewImageInline(admin.TabularInline):
    model = ReviewImage
    fields = ["standard", "thumbnail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "customer", "rating", "status", "created_at"]
    list_filter = ["status", "rating"]
    search_fields = ["product__name", "customer__email", "review_text"]
    list_select_related = ["product", "customer"]
    readonly_fields = ["customer", "product", "order", "rating", "review_text", "tags", "status",
                       "moderated_at", "moderated_by", "created_at"]
    fields = readonly_fields + ["rejection_reason"]
    inlines = [ReviewImageInline]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # The moderation queue: pending reviews first, newest first.
        pending_first = Case(When(status=ReviewStatus.PENDING, then=Value(0)), default=Value(1),
                             output_field=IntegerField())
        return super().get_queryset(request).order_by(pending_first, "-created_at")

    @admin.action(description="Approve selected reviews")
    def approve(self, request, queryset):
        for review in queryset:
            review_approve(review=review, staff=request.user)
        self.message_user(request, f"Approved {queryset.count()} review(s).")

    @admin.action(description="Reject selected reviews")
    def reject(self, request, queryset):
        for review in queryset:
            review_reject(review=review, reason="Does not meet the review guidelines.", staff=request.user)
        self.message_user(request, f"Rejected {queryset.count()} review(s).")

