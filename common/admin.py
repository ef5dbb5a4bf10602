"""Admin plumbing: every staff action runs a service per object, reports refusals as admin
errors, and is written to the object's history (who, when, what)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from common.exceptions import DomainError
from common.money import RUPEE, money_text


def run_action(modeladmin, request, queryset, action, *, done: str) -> None:
    """Run `action(obj)` on each selected object; refusals become error messages, successes
    are logged on the object."""
    succeeded = 0
    for obj in queryset:
        try:
            action(obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
            continue
        modeladmin.log_change(request, obj, done)
        succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{done}: {succeeded} done.", messages.SUCCESS)


def action_with_form(modeladmin, request, queryset, *, form_class, title: str, action, done: str):
    """An action that first asks for details (a reason, a tracking number...) on its own page."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        run_action(modeladmin, request, queryset, lambda obj: action(obj, form.cleaned_data), done=done)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action_name": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/action_form.html", context)


def money_display(field_name: str, description: str, *, ordering: bool = True):
    """A read-only admin column writing a money field as everywhere else (₹1,00,000.00, in the
    row's currency when it has one), not Django's bare "100000.00"."""

    @admin.display(description=description, ordering=field_name if ordering else None)
    def show(self, obj):
        return money_text(getattr(obj, field_name), getattr(obj, "currency_symbol", "") or RUPEE)

    return show


class MoneyFieldsMixin:
    """Gives a ModelAdmin a `<name>_money` column (money_display) for each name in
    `money_fields`, to list in list_display / fieldsets instead of the bare field."""

    money_fields: tuple | list = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.money_fields:
            if not hasattr(cls, f"{name}_money"):
                setattr(cls, f"{name}_money", money_display(name, name.replace("_", " ").capitalize()))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReadOnlyAdminMixin:
    """Rows created by services only: no add, no delete, every field read-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        hidden = set(self.exclude or ())
        fields = [f.name for f in self.model._meta.fields if f.name not in hidden]
        return fields + list(getattr(self, "extra_readonly", ()))


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown on their parent's page, as they are: no add, change or delete."""

    template = "admin/edit_inline/read_only_tabular.html"
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def perm_check(codename: str):
    """A ModelAdmin `has_<name>_permission` for an action limited to a custom permission."""

    def check(self, request):
        return request.user.has_perm(f"{self.model._meta.app_label}.{codename}")

    return check


admin.site.site_header = "My Account back office"
admin.site.site_title = "Back office"
admin.site.index_title = "Run the shop"
