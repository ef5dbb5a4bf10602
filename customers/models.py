from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from accounts.models import DEFAULT_COUNTRY_CODE
from common.models import BaseModel

MAX_ADDRESSES_PER_CUSTOMER = 50
# What a shopper writes of an address (the book's create and update take these, and only these).
ADDRESS_EDITABLE_FIELDS = (
    "nickname",
    "first_name",
    "last_name",
    "country_code",
    "phone",
    "email",
    "address_line1",
    "address_line2",
    "landmark",
    "pincode",
    "city",
    "state",
    "country",
    "tax_identification_number",
    "business_name",
)
# An address as the contract shows it: the address book's answers, and the snapshot an order
# keeps of its billing and shipping address (orders.services.address_snapshot): what the shopper
# wrote, with the id, the default flags and the verification flags the services keep.
ADDRESS_SHAPE_FIELDS = (
    "id",
    *ADDRESS_EDITABLE_FIELDS,
    "is_default_billing",
    "is_default_shipping",
    "is_phone_verified",
    "is_email_verified",
)


class Address(BaseModel):
    """An entry of a shopper's address book."""

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    nickname = models.CharField(max_length=50, blank=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    country_code = models.CharField(max_length=5, default=DEFAULT_COUNTRY_CODE)
    phone = models.CharField(max_length=15)
    email = models.EmailField(blank=True)
    address_line1 = models.CharField(max_length=255)
    address_line2 = models.CharField(max_length=255, blank=True)
    landmark = models.CharField(max_length=255, blank=True)
    pincode = models.CharField(max_length=12)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100)
    country = models.CharField(max_length=100, default="India")
    tax_identification_number = models.CharField(max_length=32, blank=True)
    business_name = models.CharField(max_length=200, blank=True)
    is_default_billing = models.BooleanField(default=False)
    is_default_shipping = models.BooleanField(default=False)
    is_phone_verified = models.BooleanField(default=False)
    is_email_verified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # At most one default of each kind per customer, whatever the code does.
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_billing=True),
                name="customers_address_one_default_billing",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_shipping=True),
                name="customers_address_one_default_shipping",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-created_at"])]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, {self.address_line1}, {self.city}".replace(" ,", ",")


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CANCELLED = "cancelled", "Cancelled"


class Subscription(BaseModel):
    """A repeat delivery of a product; it keeps its addresses in use while not cancelled."""

    LIVE_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED)

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    # A live subscription's addresses cannot be deleted (customers.services.address_delete);
    # a cancelled one just loses them.
    shipping_address = models.ForeignKey(
        Address, null=True, on_delete=models.SET_NULL, related_name="shipping_subscriptions"
    )
    billing_address = models.ForeignKey(
        Address, null=True, on_delete=models.SET_NULL, related_name="billing_subscriptions"
    )
    status = models.CharField(max_length=10, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE)

    class Meta:
        indexes = [models.Index(fields=["customer", "status"])]

    def __str__(self) -> str:
        return f"{self.product} for {self.customer} ({self.status})"

    def clean(self):
        super().clean()
        errors = {
            field: "Choose an address of this customer."
            for field in ("shipping_address", "billing_address")
            if getattr(self, field) is not None and getattr(self, field).customer_id != self.customer_id
        }
        if errors:
            raise ValidationError(errors)


class BankAccount(BaseModel):
    """A shopper's bank account for refunds by bank transfer; staff verify it before use.

    The full number is kept for paying refunds out, and is shown to nobody: the API and the
    admin show only the last four digits.
    """

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_accounts")
    account_name = models.CharField(max_length=150)
    account_number = models.CharField(max_length=18)
    ifsc_code = models.CharField(max_length=11)
    bank_name = models.CharField(max_length=100)
    is_default = models.BooleanField(default=False)
    is_verified = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    # When the shopper asked for the account to be verified (the SDK's verify-bank-account):
    # staff see the waiting ones first; cleared when a new number or IFSC needs a new check.
    verification_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("verify_bank_accounts", "Can verify bank accounts")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_default=True), name="customers_bank_account_one_default"
            ),
            models.UniqueConstraint(
                fields=["customer", "account_number", "ifsc_code"], name="customers_bank_account_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return mask_account_number(self.account_number)


def mask_account_number(number: str) -> str:
    number = number or ""
    return "X" * max(0, len(number) - 4) + number[-4:] if number else ""


# --- business documents (GSTIN, PAN) -------------------------------------------------------


class KycDocumentType(models.TextChoices):
    GST = "gst", "GSTIN"
    PAN = "pan", "PAN"
    OTHER = "other", "Other"


class KycVerificationType(models.TextChoices):
    AUTO = "auto", "Automatic (the format and check digit suffice)"
    MANUAL = "manual", "Staff approve each one"


class KycDocument(BaseModel):
    """A kind of document the store takes from business buyers (`GET /store/kyc-document`).

    GSTIN and PAN are seeded by a data migration; staff manage the list in the admin.
    """

    document_type = models.CharField(max_length=5, choices=KycDocumentType.choices)
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    is_mandatory = models.BooleanField(default=False)
    is_attachment_required = models.BooleanField(default=False)
    verification_type = models.CharField(
        max_length=6, choices=KycVerificationType.choices, default=KycVerificationType.AUTO
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # The GSTIN and PAN rules (customers.documents) need one of each to check against.
            models.UniqueConstraint(
                fields=["document_type"],
                condition=Q(document_type__in=["gst", "pan"]),
                name="customers_kycdocument_one_gst_one_pan",
            )
        ]
        verbose_name = "KYC document type"

    def __str__(self) -> str:
        return self.title


class DocumentStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("document status", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("document status", "Verified")
    REJECTED = "rejected", pgettext_lazy("document status", "Rejected")
    EXPIRED = "expired", pgettext_lazy("document status", "Expired")


class DocumentVerification(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "By staff"


class DocumentActor(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    ADMIN = "admin", "Staff"


class Document(BaseModel):
    """A shopper's business document (their GSTIN, their PAN): one of each kind per shopper.

    The file, when there is one, is a clean re-encoded image (common.images); it hangs off the
    shopper through a cascading link, so erasure finds and deletes it (accounts.erasure).
    """

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents")
    kyc_document = models.ForeignKey(KycDocument, on_delete=models.PROTECT, related_name="documents")
    document_number = models.CharField(max_length=64)
    note = models.CharField(max_length=500, blank=True)
    file = models.ImageField(upload_to="documents/", blank=True)
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.SUBMITTED)
    verification_type = models.CharField(
        max_length=10, choices=DocumentVerification.choices, default=DocumentVerification.MANUAL
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=10, choices=DocumentActor.choices, default=DocumentActor.CUSTOMER)
    modified_by = models.CharField(max_length=10, choices=DocumentActor.choices, default=DocumentActor.CUSTOMER)
    modified_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        permissions = [("review_documents", "Can approve or reject business documents")]
        constraints = [
            models.UniqueConstraint(fields=["customer", "kyc_document"], name="customers_document_one_per_type")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kyc_document.title} {self.document_number}"

    @property
    def is_verified(self) -> bool:
        return self.status == DocumentStatus.APPROVED


class Pincode(models.Model):
    """A postal code of a country we have a list for: India's PIN codes, with their district and
    state, from India Post's directory (customers/data/in_pincodes.csv.gz, loaded by migration
    0007). What `GET /common/countries/{iso}/pincodes` answers from; addresses are checked by the
    country's rules (`customers.geography`), not against this list, so a new PIN still works."""

    country_iso_code = models.CharField(max_length=2)
    pincode = models.CharField(max_length=12)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country_iso_code", "pincode"], name="pincode_once")]

    def __str__(self) -> str:
        return f"{self.pincode} {self.city}, {self.state}"
