"""Customers and staff in the back office. No one reads a password, a code or a full bank
account number here: the password hash is not even shown, codes are not registered at all."""

from collections.abc import Callable

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry as AuditLogEntry
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from common.admin import ReadOnlyInline, perm_check, run_action
from common.exceptions import InvalidInput
from common.phones import phone_parse, phone_text

from .devices import device_of
from .forms import StaffSignInForm
from .models import AuthSession, Passkey, User
from .services import account_reactivate, user_deactivate
from .services.profile import person_names_clean
from .services.sessions import sessions_end_by_staff

# What the apps above keep about a shopper, shown on the customer's page: each registers its
# inlines from its admin module (customers: addresses, bank accounts), in INSTALLED_APPS order.
_user_inlines: list = []


def user_admin_inlines_register(*inlines) -> None:
    """Called by a higher app's admin.py: inlines the customer's page shows (registered once)."""
    _user_inlines.extend(inline for inline in inlines if inline not in _user_inlines)


# Other ways staff find a shopper, from the apps above (orders: by an order number). Each takes the
# search term as typed and answers a Q over users, or None when the term is not one of its kind.
_user_searches: list[Callable[[str], Q | None]] = []


def user_admin_search_register(search: Callable[[str], Q | None]) -> None:
    """Called by a higher app's admin.py: another way the users' search box finds a shopper."""
    if search not in _user_searches:
        _user_searches.append(search)


def user_search_q(term: str) -> Q | None:
    """The shoppers `term` names beyond the words of the search fields: a phone as people write
    it ("+91 98765 43210", "098765 43210"; common.phones, the rule sign-in uses) or whatever
    the apps above registered."""
    term = term.strip()
    wanted = Q(pk__in=[])
    found = False
    try:
        phone = phone_parse(term)
    except ValueError:
        pass
    else:
        wanted |= Q(country_code=phone.country_code, phone=phone.number)
        found = True
    for search in _user_searches:
        extra = search(term)
        if extra is not None:
            wanted |= extra
            found = True
    return wanted if found else None


# Staff sign in through the same rule as shoppers (accounts.signin): per account, per client
# address, and per account and address, counted in the shared cache.
admin.site.login_form = StaffSignInForm


class UserAdminForm(forms.ModelForm):
    """Staff edit a shopper's names by the same rule as every other door (`person_names_clean`)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]  # the admin adds the rest it shows

    def clean(self):
        cleaned = super().clean()
        if "first_name" in cleaned or "last_name" in cleaned:
            try:
                first, last = person_names_clean(cleaned.get("first_name", ""), cleaned.get("last_name", ""))
            except InvalidInput as exc:
                for field, messages in (exc.errors or {}).items():
                    self.add_error(field, messages)
            else:
                cleaned.update(first_name=first, last_name=last)
        return cleaned


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "phone_written", "first_name", "last_name", "is_active", "is_staff", "created_at"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "phone", "first_name", "last_name", "id"]
    # It also finds a phone as written ("+91 98765 43210") and an order number (user_search_q). No
    # search_help_text: Django ties it to the box with aria-describedby, which axe-core then takes
    # for the box's only label (label-title-only).
    ordering = ["-created_at"]
    fields = [
        "id",
        "email",
        "is_email_verified",
        "country_code",
        "phone",
        "is_phone_verified",
        "first_name",
        "last_name",
        "orders_and_returns",
        "loyalty",
        "is_active",
        "deactivated_at",
        "reactivated_at",
        "is_staff",
        "is_superuser",
        "groups",
        "last_login",
        "created_at",
        "modified_at",
    ]
    # Email and phone are the shopper's sign-in and recovery addresses: they change only through
    # a code sent to the new address (accounts.services.contact_code_send), never by hand here.
    readonly_fields = [
        "id",
        "email",
        "is_email_verified",
        "country_code",
        "phone",
        "is_phone_verified",
        "orders_and_returns",
        "loyalty",
        "is_active",
        "deactivated_at",
        "reactivated_at",
        "is_superuser",
        "last_login",
        "created_at",
        "modified_at",
    ]
    filter_horizontal = ["groups"]
    actions = ["deactivate", "reactivate", "sign_out_everywhere"]
    change_form_template = "admin/accounts/user/change_form.html"
    has_deactivate_customers_permission = perm_check("deactivate_customers")

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        extra = user_search_q(search_term) if search_term and len(search_term) <= 100 else None
        if extra is not None:
            found = found | queryset.filter(extra)
        return found, may_have_duplicates

    def get_inlines(self, request, obj):
        return [SessionInline, PasskeyInline, *_user_inlines]

    @admin.display(description="Phone", ordering="phone")
    def phone_written(self, user):
        """The phone as people read it ("+91 98765 43210"), as the shopper's pages write it."""
        return phone_text(user.phone, user.country_code)

    def has_add_permission(self, request):
        return False  # shoppers register themselves; staff accounts: `manage.py createsuperuser`

    @admin.display(description="Orders and returns")
    def orders_and_returns(self, user):
        """Links to the order and return lists filtered to this shopper (what support opens next)."""
        return format_html(
            '<a href="{}?customer={}">Their orders</a> · <a href="{}?order__customer={}">Their returns</a>',
            reverse("admin:orders_order_changelist"),
            user.pk,
            reverse("admin:orders_orderreturn_changelist"),
            user.pk,
        )

    @admin.display(description="Loyalty")
    def loyalty(self, user):
        account = getattr(user, "loyalty_account", None)
        if account is None:
            return "No membership yet"
        return (
            f"{account.membership_number} · {account.tier or 'no tier'} · {account.points_balance} points · "
            f"{account.lifetime_orders} orders"
        )

    @admin.action(
        description="Deactivate (sign out everywhere; only staff can reactivate)", permissions=["deactivate_customers"]
    )
    def deactivate(self, request, queryset):
        run_action(self, request, queryset, lambda u: user_deactivate(user=u), done="Deactivated")

    @admin.action(description="Reactivate (they can sign in again)", permissions=["deactivate_customers"])
    def reactivate(self, request, queryset):
        run_action(self, request, queryset, lambda u: account_reactivate(user=u), done="Reactivated")

    @admin.action(
        description="Sign out everywhere (every app and browser; they can sign in again)",
        permissions=["deactivate_customers"],
    )
    def sign_out_everywhere(self, request, queryset):
        run_action(self, request, queryset, lambda u: sessions_end_by_staff(user=u), done="Signed out everywhere")

    # "Reactivate" is also a button on a closed account's page: it posts here and runs the
    # list's action (its permission, the same service) for this one account.
    def get_urls(self):
        reactivate = path(
            "<path:object_id>/reactivate/",
            self.admin_site.admin_view(self.reactivate_view),
            name="accounts_user_reactivate",
        )
        return [reactivate, *super().get_urls()]

    def reactivate_view(self, request, object_id):
        user = self.get_object(request, object_id)
        if user is None:
            raise Http404("No such user.")
        change_url = reverse("admin:accounts_user_change", args=[user.pk])
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_deactivate_customers_permission(request):
            raise PermissionDenied
        self.reactivate(request, self.get_queryset(request).filter(pk=user.pk))
        return redirect(change_url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if user is not None and not user.is_active and not user.is_erased:
            if self.has_deactivate_customers_permission(request):
                extra_context["reactivate_url"] = reverse("admin:accounts_user_reactivate", args=[user.pk])
            extra_context["closed_by"] = "the shopper" if user.deactivated_at else "staff"
        return super().change_view(request, object_id, form_url, extra_context)


class SessionInline(ReadOnlyInline):
    """Where the shopper is signed in now (what they see on their sessions page), so support can
    answer "is someone else in my account?" and sign them out everywhere (the list's action)."""

    model = AuthSession
    verbose_name_plural = "Signed in now"
    fields = ["kind", "device", "ip", "created_at", "last_seen_at", "authenticated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(ended_at__isnull=True, expires_at__gt=timezone.now())

    @admin.display(description="Device")
    def device(self, session):
        return device_of(session.user_agent).label


class PasskeyInline(ReadOnlyInline):
    """The shopper's passkeys as support sees them: names and dates, never a key."""

    model = Passkey
    fields = ["name", "created_at", "last_used_at", "transports"]


# --- the staff audit log (accounts/audit.py), read-only ---------------------------------------

admin.site.unregister(AuditLogEntry)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    """auditlog's own read-only list and page (no add, change or delete), with the address each
    change came from."""

    list_display = [*LogEntryAdmin.list_display, "remote_addr"]
    readonly_fields = [*LogEntryAdmin.readonly_fields, "remote_addr", "cid"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "remote_addr", "resource_url", "cid"]}),
        ("Changes", {"fields": ["action", "msg"]}),
    ]
