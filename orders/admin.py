"""Staff screens for orders and returns; every action goes through orders.services."""

from django.contrib import admin, messages

from common.exceptions import DomainError

from . import services
from .models import Order, OrderItem, OrderReturn, Payment, Refund, ReturnItem, Shipment


def _run(modeladmin, request, queryset, action, label, **kwargs):
    done = 0
    for obj in queryset:
        try:
            action(obj, **kwargs)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{label}: {done}.", messages.SUCCESS)


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    fields = ["product_name", "sku", "quantity", "selling_price", "tax_amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ShipmentInline(admin.TabularInline):
    model = Shipment
    fields = ["reference_number", "status", "courier_company_name", "awb_no", "shipped_date", "delivered_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(ShipmentInline):
    model = Payment
    fields = ["request_number", "status", "payment_method", "amount", "payment_date", "failure_reason"]
    readonly_fields = fields
    show_change_link = False


class RefundInline(ShipmentInline):
    model = Refund
    fields = ["request_number", "status", "payment_mode", "amount", "refund_date", "remarks"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "order_date", "status", "payment_status", "grand_total"]
    list_filter = ["status", "payment_status", "order_date"]
    search_fields = ["number", "customer__email", "customer__phone"]
    list_select_related = ["customer"]
    date_hierarchy = "order_date"
    inlines = [OrderItemInline, ShipmentInline, PaymentInline, RefundInline]
    readonly_fields = [f.name for f in Order._meta.fields]
    actions = ["confirm", "ship_remaining", "complete"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Confirm selected orders")
    def confirm(self, request, queryset):
        _run(self, request, queryset, lambda o: services.order_confirm(order=o), "Confirmed")

    @admin.action(description="Ship everything not yet shipped")
    def ship_remaining(self, request, queryset):
        _run(self, request, queryset, lambda o: services.shipment_create(order=o), "Shipped")

    @admin.action(description="Complete selected delivered orders")
    def complete(self, request, queryset):
        _run(self, request, queryset, lambda o: services.order_complete(order=o), "Completed")


class ReturnItemInline(admin.TabularInline):
    model = ReturnItem
    fields = ["order_item", "quantity", "resolution", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OrderReturn)
class OrderReturnAdmin(admin.ModelAdmin):
    list_display = ["request_number", "order", "status", "created_at", "received_at"]
    list_filter = ["status"]
    search_fields = ["request_number", "order__number", "order__customer__email"]
    list_select_related = ["order"]
    inlines = [ReturnItemInline]
    readonly_fields = [f.name for f in OrderReturn._meta.fields]
    actions = ["approve", "receive", "complete"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Approve selected returns")
    def approve(self, request, queryset):
        _run(self, request, queryset, lambda r: services.return_approve(order_return=r), "Approved")

    @admin.action(description="Mark items received")
    def receive(self, request, queryset):
        _run(self, request, queryset, lambda r: services.return_receive(order_return=r), "Received")

    @admin.action(description="Complete (refund to the original payment mode / send replacement)")
    def complete(self, request, queryset):
        _run(self, request, queryset, lambda r: services.return_complete(order_return=r), "Completed")
