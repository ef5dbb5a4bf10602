"""The outbox for staff: what went to whom, how it went, and "send again"."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, perm_check, run_action

from . import services
from .models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel", "event"]
    search_fields = ["to", "subject", "user__email", "context__order_number"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["send_again"]

    has_resend_messages_permission = perm_check("resend_messages")

    @admin.action(description="Send again (a new message; preferences still apply)", permissions=["resend_messages"])
    def send_again(self, request, queryset):
        run_action(self, request, queryset, lambda m: services.message_resend(message=m), done="Queued again")
