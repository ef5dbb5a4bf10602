"""Staff screens for orders, returns and refunds. Status fields are read-only: only actions,
which call orders.services, change them; each page says which actions the lifecycle table
(orders.lifecycle) allows from the row's state now."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html_join

from accounts.admin import user_admin_search_register
from common.admin import (
    MoneyFieldsMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ReasonForm,
    action_with_form,
    money_display,
    perm_check,
    run_action,
)
from common.money import money_text
from common.phones import phone_text
from customers.selectors import bank_account_list_for_customer

from . import lifecycle, selectors_returns, services
from .headlines import delivery_headline
from .models import Order, OrderItem, OrderReturn, Payment, Refund, RefundMode, ReturnItem, ReturnStatus, Shipment


def _users_by_order_number(term: str) -> Q | None:
    """The shopper of the order (or return request) numbered `term`, in the users' search box."""
    number = term.strip().upper()
    if not number or " " in number or len(number) > 32:
        return None
    orders = Order.objects.filter(Q(number=number) | Q(returns__request_number=number))
    return Q(pk__in=orders.values("customer_id"))


user_admin_search_register(_users_by_order_number)


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ["product_name", "sku", "quantity", "listing_price_money", "selling_price_money", "tax_amount_money"]
    listing_price_money = money_display("listing_price", "Listing price")
    selling_price_money = money_display("selling_price", "Selling price")
    tax_amount_money = money_display("tax_amount", "Tax amount")


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = [
        "reference_number",
        "status",
        "courier_company_name",
        "awb_no",
        "tracking_url",
        "shipped_date",
        "delivered_date",
    ]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["request_number", "status", "payment_method", "gateway", "amount_money", "payment_date", "failure_reason"]
    amount_money = money_display("amount", "Amount")


class RefundInline(ReadOnlyInline):
    model = Refund
    fk_name = "order"
    fields = ["request_number", "status", "payment_mode", "amount_money", "refund_date", "remarks"]
    show_change_link = True
    amount_money = money_display("amount", "Amount")


class ReturnInline(ReadOnlyInline):
    model = OrderReturn
    fk_name = "order"
    fields = ["request_number", "status", "created_at", "received_at"]
    show_change_link = True


class ShipForm(forms.Form):
    courier_company_name = forms.CharField(label="Courier", max_length=100)
    awb_no = forms.CharField(label="AWB / tracking number", max_length=64)
    tracking_url = forms.URLField(label="Tracking link", required=False, assume_scheme="https")


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, help_text="Shown to the shopper.")
    refund_mode = forms.ChoiceField(
        choices=[(RefundMode.ORIGINAL_PAYMENT_MODE, "Original payment mode")],
        help_text="Bank transfers are chosen by the shopper on the website.",
    )


class ReferenceForm(forms.Form):
    reference = forms.CharField(label="Reference (transaction / UTR number)", max_length=64)


class AllowedNowMixin:
    """Shows on a row's page the admin actions the lifecycle allows from its state now. The
    services check again when one runs, and refuse it if the state moved meanwhile."""

    allowed_checks: dict = {}  # admin action name -> whether the lifecycle allows it on a row

    @admin.display(description="Allowed now")
    def allowed_now(self, obj) -> str:
        labels = [getattr(self, name).short_description for name, allows in self.allowed_checks.items() if allows(obj)]
        return ", ".join(labels) or "No action: nothing is left to do."


def _address(snapshot: dict) -> str:
    """An address on one line, its phone as people read it (common.phones, as the shopper's pages)."""
    if not snapshot:
        return "—"
    keys = ("first_name", "last_name", "address_line1", "address_line2", "city", "state", "pincode")
    parts = [snapshot.get(k) or "" for k in keys]
    parts.append(phone_text(snapshot.get("phone"), snapshot.get("country_code")))
    return format_html_join(" ", "{}", ((part,) for part in parts if part))


@admin.register(Order)
class OrderAdmin(MoneyFieldsMixin, AllowedNowMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "customer", "order_date", "status", "payment_status", "grand_total_money"]
    list_filter = ["status", "payment_status", ("order_date", admin.DateFieldListFilter)]
    search_fields = ["number", "customer__email", "customer__phone"]
    list_select_related = ["customer"]
    date_hierarchy = "order_date"
    show_full_result_count = False
    inlines = [OrderItemInline, ShipmentInline, PaymentInline, RefundInline, ReturnInline]
    # Shown as money (₹1,048.00), each under its name + "_money" (common.admin.MoneyFieldsMixin).
    money_fields = [
        "grand_total",
        "to_be_paid",
        "amount_paid",
        "subtotal",
        "item_total_tax",
        "subtotal_including_tax",
        "shipping_amount",
        "shipping_tax_amount",
        "shipping_amount_including_tax",
        "promotion_discount_amount",
        "coupon_discount_amount",
        "total_savings",
        "total_tax",
        "credit_balance_used",
    ]
    extra_readonly = [
        "allowed_now",
        "shopper_sees",
        "billing",
        "shipping",
        *(f"{name}_money" for name in money_fields),
    ]
    change_form_template = "admin/orders/order/change_form.html"

    @admin.display(description="Shopper sees")
    def shopper_sees(self, obj) -> str:
        """The headline the shopper reads on the website (orders.headlines), so staff on the
        phone with them use the same words."""
        return delivery_headline(obj).text

    exclude = ["billing_address", "shipping_address"]
    # What staff act on first (state, what is allowed now, what is owed), then where it goes, then
    # the money in detail; bookkeeping last and folded. Every field of the order is in one of them.
    fieldsets = [
        (
            "Act on this order",
            {
                "fields": [
                    "number",
                    "customer",
                    "status",
                    "payment_status",
                    "shopper_sees",
                    "allowed_now",
                    "order_date",
                    "grand_total_money",
                    "to_be_paid_money",
                    "amount_paid_money",
                    "payment_success_date",
                    "has_refund",
                ]
            },
        ),
        (
            "Fulfilment",
            {
                "fields": [
                    "shipping",
                    "billing",
                    "customer_note",
                    "delivered_at",
                    "completed_at",
                    "cancelled_at",
                    "cancellation_reason",
                    "feedback",
                    "replacement_for",
                ]
            },
        ),
        (
            "Totals",
            {
                "classes": ["collapse"],
                "fields": [
                    "subtotal_money",
                    "item_total_tax_money",
                    "subtotal_including_tax_money",
                    "shipping_amount_money",
                    "shipping_tax_amount_money",
                    "shipping_amount_including_tax_money",
                    "promotion_discount_amount_money",
                    "coupon_code",
                    "coupon_discount_amount_money",
                    "total_savings_money",
                    "total_tax_money",
                    "credit_balance_used_money",
                    "loyalty_points_redeemed",
                    "loyalty_points_earned",
                ],
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [
                    "id",
                    "currency_code",
                    "currency_name",
                    "currency_symbol",
                    "order_items_count",
                    "on_subscription",
                    "metadata",
                    "created_at",
                    "modified_at",
                ],
            },
        ),
    ]
    actions = [
        "confirm",
        "ship",
        "out_for_delivery",
        "deliver",
        "complete",
        "cancel",
        "payment_success",
        "payment_failure",
    ]
    allowed_checks = {
        "confirm": lifecycle.ORDER_CONFIRM.allows,
        "ship": lifecycle.ORDER_SHIP.allows,
        "out_for_delivery": lifecycle.is_out_for_delivery_due,
        "deliver": lifecycle.is_delivery_due,
        "complete": lifecycle.ORDER_COMPLETE.allows,
        "cancel": lifecycle.is_cancellation_allowed,
        "payment_success": lifecycle.is_payment_due,
        "payment_failure": lifecycle.is_payment_due,
    }

    has_run_order_actions_permission = perm_check("run_order_actions")
    has_record_payments_permission = perm_check("record_payments")

    # The actions allowed now are also buttons on the order's page: each posts here and runs the
    # very admin action of the list (its permission, its form, the same service), for this order.
    def get_urls(self):
        act = path("<path:object_id>/act/", self.admin_site.admin_view(self.act_view), name="orders_order_act")
        return [act, *super().get_urls()]

    def act_view(self, request, object_id):
        """POST {action}: run one admin action on this order, then come back to its page."""
        order = self.get_object(request, object_id)
        if order is None or not self.has_view_permission(request, order):
            raise Http404("No such order.")
        change_url = reverse("admin:orders_order_change", args=[order.pk])
        if request.method == "GET":
            return redirect(change_url)  # the "Cancel" link of an action's form page
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        name = request.POST.get("action", "")
        if name not in self.allowed_checks:
            self.message_user(request, "No such action on an order.", messages.ERROR)
            return redirect(change_url)
        permitted = self.get_actions(request)
        if name not in permitted:
            raise PermissionDenied
        func = permitted[name][0]
        # The service decides: a state that moved since the page was drawn is refused with its message.
        response = func(self, request, self.get_queryset(request).filter(pk=order.pk))
        return response or redirect(change_url)

    def order_actions_now(self, request, order) -> list[dict]:
        """The buttons for `order`: actions the lifecycle allows now and this staff member may run."""
        permitted = self.get_actions(request)
        return [
            {"name": name, "label": permitted[name][2]}
            for name in self.actions
            if name in permitted and self.allowed_checks[name](order)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if order is not None:
            extra_context["order_actions"] = self.order_actions_now(request, order)
            extra_context["order_act_url"] = reverse("admin:orders_order_act", args=[order.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Billing address")
    def billing(self, order):
        return _address(order.billing_address)

    @admin.display(description="Shipping address")
    def shipping(self, order):
        return _address(order.shipping_address)

    @admin.action(description="Confirm", permissions=["run_order_actions"])
    def confirm(self, request, queryset):
        run_action(self, request, queryset, lambda o: services.order_confirm(order=o), done="Confirmed")

    @admin.action(description="Ship everything not yet shipped (with tracking)", permissions=["run_order_actions"])
    def ship(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ShipForm,
            title="Ship orders",
            done="Shipped",
            action=lambda o, data: services.shipment_create(order=o, **data),
        )

    @admin.action(description="Mark out for delivery", permissions=["run_order_actions"])
    def out_for_delivery(self, request, queryset):
        run_action(self, request, queryset, lambda o: services.order_out_for_delivery(order=o), done="Out for delivery")

    @admin.action(description="Mark delivered", permissions=["run_order_actions"])
    def deliver(self, request, queryset):
        run_action(self, request, queryset, lambda o: services.order_deliver(order=o), done="Delivered")

    @admin.action(description="Complete", permissions=["run_order_actions"])
    def complete(self, request, queryset):
        run_action(self, request, queryset, lambda o: services.order_complete(order=o), done="Completed")

    @admin.action(description="Cancel for the shopper", permissions=["run_order_actions"])
    def cancel(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=CancelForm,
            title="Cancel orders",
            done="Cancelled by staff",
            action=lambda o, data: services.order_cancel(
                order=o, reason=data["reason"], refund_mode=data["refund_mode"]
            ),
        )

    @admin.action(description="Record payment received", permissions=["record_payments"])
    def payment_success(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReferenceForm,
            title="Record payments",
            done="Payment recorded",
            action=lambda o, data: services.payment_record(order=o, succeeded=True, reference=data["reference"]),
        )

    @admin.action(description="Record payment failed", permissions=["record_payments"])
    def payment_failure(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title="Record failed payments",
            done="Payment failure recorded",
            action=lambda o, data: services.payment_record(order=o, succeeded=False, reason=data["reason"]),
        )


class ReturnItemInline(ReadOnlyInline):
    model = ReturnItem
    fields = ["product", "quantity", "resolution", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_item")

    @admin.display(description="Product")
    def product(self, item):
        line = item.order_item
        return f"{line.product_name} ({line.variant_name})" if line.variant_name else line.product_name


class CompleteReturnForm(forms.Form):
    """How the returns' money goes back. A bank transfer goes to one of the shopper's verified
    accounts (the rule of orders.services.refunds.bank_account_for_refund, which checks again),
    chosen from a list, so staff never type an id."""

    refund_mode = forms.ChoiceField(
        choices=[
            (RefundMode.ORIGINAL_PAYMENT_MODE, "Original payment mode"),
            (RefundMode.BANK_TRANSFER, "Bank transfer"),
        ]
    )
    bank_account_id = forms.ChoiceField(label="Bank account", required=False)

    def __init__(self, *args, order_returns=None, **kwargs):
        super().__init__(*args, **kwargs)
        customers = {r.order.customer_id for r in order_returns.select_related("order")} if order_returns else set()
        one_shopper = len(customers) == 1
        accounts = []
        if one_shopper:
            accounts = list(bank_account_list_for_customer(customer=next(iter(customers))).filter(is_verified=True))
        field = self.fields["bank_account_id"]
        field.choices = [("", "Choose a verified account")] + [
            (a.pk, f"{a.bank_name} ···· {a.masked_number[-4:]} · {a.account_name} · IFSC {a.ifsc_code}")
            for a in accounts
        ]
        if not one_shopper:
            field.help_text = "A bank transfer is for one shopper's returns at a time."
        elif not accounts:
            field.help_text = "The shopper has no verified bank account: refund to the original payment mode."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refund_mode") == RefundMode.BANK_TRANSFER and not cleaned.get("bank_account_id"):
            self.add_error("bank_account_id", "Choose the bank account for the refund.")
        return cleaned


@admin.register(OrderReturn)
class OrderReturnAdmin(AllowedNowMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The returns queue: new returns first."""

    list_display = ["request_number", "order", "customer", "status", "created_at", "received_at"]
    list_filter = ["status"]
    search_fields = ["request_number", "order__number", "order__customer__email"]
    list_select_related = ["order__customer"]
    inlines = [ReturnItemInline]
    actions = ["approve", "reject", "receive", "complete"]
    # The pickup address as the shopper's page says it (the one given, else the order's shipping
    # address), not the raw field, which is empty when none was given.
    exclude = ["pickup_address"]
    extra_readonly = ["allowed_now", "pickup", "photos", "expected_refund"]
    allowed_checks = {
        "approve": lifecycle.RETURN_APPROVE.allows,
        "reject": lifecycle.RETURN_REJECT.allows,
        "receive": lifecycle.RETURN_RECEIVE.allows,
        "complete": lifecycle.RETURN_COMPLETE.allows,
    }
    has_act_on_returns_permission = perm_check("act_on_returns")

    def get_queryset(self, request):
        queue = Case(
            When(status=ReturnStatus.CREATED, then=Value(0)),
            When(status=ReturnStatus.APPROVED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return super().get_queryset(request).order_by(queue, "-created_at")

    def lookup_allowed(self, lookup, value, request=None):
        # The customer page links here filtered to one shopper's returns.
        return lookup == "order__customer" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="Customer", ordering="order__customer__email")
    def customer(self, order_return):
        return order_return.order.customer

    @admin.display(description="Pickup address")
    def pickup(self, order_return) -> str:
        return _address(selectors_returns.return_pickup_address(order_return, order_return.order))

    @admin.display(description="Refund")
    def expected_refund(self, order_return) -> str:
        """What the shopper's page says the return gives back (selectors_returns.return_outcome)."""
        outcome = selectors_returns.return_outcome(order_return, order_return.order)
        if outcome is None:
            return "Nothing to refund (a replacement, or the return stopped)."
        parts = [f"{money_text(outcome.amount)} to {outcome.destination}"] if outcome.amount else []
        if outcome.points:
            parts.append(f"{outcome.points} points back")
        said = "Refunded" if outcome.settled else "Refund started" if outcome.started else "Expected refund"
        return f"{said}: {', '.join(parts) or 'nothing'}"

    @admin.display(description="Photos")
    def photos(self, order_return):
        """Thumbnails, each linking to the full photo."""
        return (
            format_html_join(
                " ",
                '<a href="{0}" target="_blank" rel="noopener"><img src="{0}" alt="Return photo {1}" '
                'style="max-height:120px;max-width:160px;border:1px solid #ccc"></a>',
                ((a.image.url, i) for i, a in enumerate(order_return.attachments.all(), start=1)),
            )
            or "—"
        )

    @admin.action(description="Approve", permissions=["act_on_returns"])
    def approve(self, request, queryset):
        run_action(self, request, queryset, lambda r: services.return_approve(order_return=r), done="Approved")

    @admin.action(description="Reject (with a reason)", permissions=["act_on_returns"])
    def reject(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title="Reject returns",
            done="Rejected",
            action=lambda r, data: services.return_reject(order_return=r, reason=data["reason"]),
        )

    @admin.action(description="Mark items received", permissions=["act_on_returns"])
    def receive(self, request, queryset):
        run_action(self, request, queryset, lambda r: services.return_receive(order_return=r), done="Received")

    @admin.action(description="Complete: refund or send the replacement", permissions=["act_on_returns"])
    def complete(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=partial(CompleteReturnForm, order_returns=queryset),
            title="Complete returns",
            done="Completed",
            action=lambda r, data: services.return_complete(
                order_return=r, refund_mode=data["refund_mode"], bank_account_id=data["bank_account_id"] or None
            ),
        )


class GatewayFilter(admin.AllValuesFieldListFilter):
    """By gateway; a refund paid outside any gateway (a bank transfer) has none, and its choice
    says so instead of being a link with no text."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice["display"] = "No gateway"
            yield choice


@admin.register(Refund)
class RefundAdmin(MoneyFieldsMixin, AllowedNowMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "request_number",
        "order",
        "status",
        "payment_mode",
        "gateway",
        "amount_money",
        "created_at",
        "refund_date",
        "remarks",
    ]
    list_filter = ["status", "payment_mode", ("gateway", GatewayFilter)]
    search_fields = ["request_number", "order__number", "order__customer__email"]
    list_select_related = ["order"]
    exclude = ["bank_account", "amount"]  # the amount is shown as money: amount_money
    money_fields = ["amount"]
    extra_readonly = ["allowed_now", "bank_account_masked", "amount_money"]
    actions = ["issue", "succeed", "fail", "retry"]
    allowed_checks = {
        "issue": lifecycle.REFUND_ISSUE.allows,
        "succeed": lifecycle.REFUND_SUCCEED.allows,
        "fail": lifecycle.REFUND_FAIL.allows,
        "retry": lifecycle.REFUND_RETRY.allows,
    }
    has_act_on_refunds_permission = perm_check("act_on_refunds")

    @admin.display(description="Bank account")
    def bank_account_masked(self, refund):
        return str(refund.bank_account) if refund.bank_account else "—"

    @admin.action(description="Issue (send to the gateway / bank)", permissions=["act_on_refunds"])
    def issue(self, request, queryset):
        run_action(self, request, queryset, lambda r: services.refund_issue(refund=r), done="Issued")

    @admin.action(description="Mark succeeded", permissions=["act_on_refunds"])
    def succeed(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReferenceForm,
            title="Refunds succeeded",
            done="Succeeded",
            action=lambda r, data: services.refund_succeed(refund=r, reference=data["reference"]),
        )

    @admin.action(description="Mark failed", permissions=["act_on_refunds"])
    def fail(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title="Refunds failed",
            done="Failed",
            action=lambda r, data: services.refund_fail(refund=r, remarks=data["reason"]),
        )

    @admin.action(description="Try again (a gateway refund is sent again)", permissions=["act_on_refunds"])
    def retry(self, request, queryset):
        run_action(self, request, queryset, lambda r: services.refund_retry(refund=r), done="Tried again")
