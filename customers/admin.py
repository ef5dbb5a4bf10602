from django.contrib import admin
from django.db.models import F

from accounts.admin import user_admin_inlines_register
from common.admin import ReadOnlyInline, ReasonForm, action_with_form, perm_check, run_action

from .documents import document_approve, document_reject, document_status_text
from .models import Address, BankAccount, Document, KycDocument, Subscription
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


@admin.register(KycDocument)
class KycDocumentAdmin(admin.ModelAdmin):
    """The document types the store takes (`GET /store/kyc-document`). A type in use cannot be
    deleted (switch it off with `active` instead)."""

    list_display = ["title", "document_type", "active", "is_mandatory", "is_attachment_required", "verification_type"]
    list_filter = ["active", "document_type"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Business documents waiting for staff (types with manual verification), or any to check
    again. Approve and reject call customers.documents, as the API's rules do."""

    list_display = ["customer", "kyc_document", "document_number", "status_text", "verification_type", "modified_at"]
    list_filter = ["status", "kyc_document", "verification_type"]
    search_fields = ["customer__email", "customer__phone", "document_number"]
    list_select_related = ["customer", "kyc_document"]
    fields = [
        "customer",
        "kyc_document",
        "document_number",
        "note",
        "file",
        "status",
        "verification_type",
        "verified_at",
        "modified_by",
        "modified_reason",
        "created_at",
        "modified_at",
    ]
    readonly_fields = fields
    actions = ["approve", "reject"]
    has_review_documents_permission = perm_check("review_documents")

    def has_add_permission(self, request):
        return False

    @admin.display(description="Status")
    def status_text(self, document):
        return document_status_text(document)

    @admin.action(description="Approve the selected documents", permissions=["review_documents"])
    def approve(self, request, queryset):
        run_action(self, request, queryset, lambda d: document_approve(document=d), done="Approved")

    @admin.action(description="Reject the selected documents", permissions=["review_documents"])
    def reject(self, request, queryset):
        """Asks for the reason first: the shopper reads it on the Business details page."""
        return action_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title="Reject documents",
            action=lambda d, data: document_reject(document=d, reason=data["reason"]),
            done="Rejected",
        )


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["kyc_document", "document_number", "status", "verification_type"]
    show_change_link = True


user_admin_inlines_register(AddressInline, BankAccountInline, DocumentInline)
