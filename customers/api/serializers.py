"""Address book shapes (CONTRACT.md section 6)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import COUNTRY_CODE_FIELD
from common.api import absolute_url
from common.digits import DigitsRegexField
from common.pagination import PaginationOutput
from common.phones import DEFAULT_COUNTRY_CODE, phone_parse

from ..models import ADDRESS_SHAPE_FIELDS, Address, BankAccount, Document, KycDocument

ADDRESS_OUTPUT_FIELDS = list(ADDRESS_SHAPE_FIELDS)


class _OptionalText(serializers.CharField):
    """Optional text is stored as "" (no NULLs in text columns) and answered as null, as sent."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class AddressOutput(serializers.ModelSerializer):
    # An address kept without an email (staff-entered, older ones) answers null, not "", which
    # would break the schema's email format.
    email = _OptionalText()
    last_name = _OptionalText()
    address_line2 = _OptionalText()
    landmark = _OptionalText()
    tax_identification_number = _OptionalText()
    business_name = _OptionalText()
    nickname = _OptionalText()

    class Meta:
        model = Address
        fields = ADDRESS_OUTPUT_FIELDS
        read_only_fields = fields


def _optional_text(max_length: int):
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=max_length, default="")


class AddressInput(serializers.Serializer):
    """Create: the required fields must be there. Update uses it with `partial=True`."""

    first_name = serializers.CharField(max_length=150)
    last_name = _optional_text(150)
    country_code = DigitsRegexField(required=False, **COUNTRY_CODE_FIELD)
    phone = serializers.CharField(
        max_length=32,
        help_text="As typed: 9876543210, +91 98765 43210, 098765-43210. Stored as digits, "
        "with its country code in `country_code`.",
    )
    email = serializers.EmailField(max_length=254)
    address_line1 = serializers.CharField(max_length=255)
    address_line2 = _optional_text(255)
    landmark = _optional_text(255)
    # Blank where the country's addresses have none (a UK address names no state, a UAE one no
    # postal code): which are required is the country's rule (customers.geography).
    pincode = serializers.CharField(max_length=12, allow_blank=True)
    city = serializers.CharField(max_length=100, allow_blank=True)
    state = serializers.CharField(max_length=100, allow_blank=True)
    country = serializers.CharField(max_length=100, required=False, default="India")
    tax_identification_number = _optional_text(32)
    business_name = _optional_text(200)
    nickname = _optional_text(50)
    is_default_billing = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_default_shipping = serializers.BooleanField(required=False, allow_null=True, default=None)

    def _country_code(self, attrs=None) -> str:
        given = (attrs or {}).get("country_code") or self.initial_data.get("country_code")
        return given if isinstance(given, str) and given.startswith("+") else DEFAULT_COUNTRY_CODE

    def validate_phone(self, value: str) -> str:
        # Checked here too (not only in `validate`) so its error comes with the other fields' ones.
        try:
            phone_parse(value, country_code=self._country_code())
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value

    def validate(self, attrs):
        """The phone through the one parser (`common.phones`): a country code typed with the number
        wins over `country_code`; without either, an update keeps the address's own code."""
        if "phone" in attrs:
            raw = attrs["phone"]
            phone = phone_parse(raw, country_code=self._country_code(attrs))
            attrs["phone"] = phone.number
            if "country_code" in attrs or raw.strip().startswith(("+", "00")):
                attrs["country_code"] = phone.country_code
        return attrs

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # Optional text sent as null is stored as "" (no NULLs in text columns).
        return {
            k: ("" if v is None and k not in ("is_default_billing", "is_default_shipping") else v)
            for k, v in values.items()
        }


class AddressContent(serializers.Serializer):
    address = AddressOutput()


class AddressListContent(serializers.Serializer):
    addresses = AddressOutput(many=True)
    pagination = PaginationOutput()


# Every account kept here receives refunds (money out of the shop): the SDK's "outbound" kind.
# Its "inbound" kind (a shop's account for collecting a mandate's payments) is not kept.
OUTBOUND = "outbound"
ACCOUNT_TYPES = [OUTBOUND, "inbound"]


class BankAccountOutput(serializers.ModelSerializer):
    account_type = serializers.SerializerMethodField()
    account_number = serializers.CharField(source="masked_number")

    class Meta:
        model = BankAccount
        fields = [
            "id",
            "account_type",
            "account_name",
            "account_number",
            "ifsc_code",
            "bank_name",
            "is_default",
            "is_verified",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ACCOUNT_TYPES, help_text="Always outbound."))
    def get_account_type(self, account) -> str:
        return OUTBOUND


class BankAccountInput(serializers.Serializer):
    """Create (the SDK's CreateOutboundBankAccount); update takes BankAccountUpdateInput."""

    account_type = serializers.ChoiceField(
        choices=ACCOUNT_TYPES,
        required=False,
        default=OUTBOUND,
        help_text="outbound (an account refunds are paid into) is the only kind kept; inbound is refused.",
    )
    account_name = serializers.CharField(max_length=150)
    account_number = DigitsRegexField(
        r"^[0-9]{9,18}$", error_messages={"invalid": "Enter the account number: 9 to 18 digits."}
    )
    ifsc_code = serializers.RegexField(
        r"^[A-Za-z]{4}0[A-Za-z0-9]{6}$", error_messages={"invalid": "Enter an 11-character IFSC such as HDFC0001234."}
    )
    bank_name = serializers.CharField(max_length=100)
    is_default = serializers.BooleanField(required=False, default=False)

    def validate_ifsc_code(self, value: str) -> str:
        return value.upper()

    def validate_account_type(self, value: str) -> str:
        if value != OUTBOUND:
            raise serializers.ValidationError(
                _("Only outbound accounts (where refunds are paid) can be saved; inbound accounts are not supported.")
            )
        return value


class BankAccountUpdateInput(BankAccountInput):
    """The SDK's UpdateOutboundBankAccount: every field optional, only those sent change."""

    account_type = serializers.ChoiceField(choices=ACCOUNT_TYPES, required=False)
    account_name = serializers.CharField(max_length=150, required=False)
    account_number = DigitsRegexField(
        r"^[0-9]{9,18}$", required=False, error_messages={"invalid": "Enter the account number: 9 to 18 digits."}
    )
    ifsc_code = serializers.RegexField(
        r"^[A-Za-z]{4}0[A-Za-z0-9]{6}$",
        required=False,
        error_messages={"invalid": "Enter an 11-character IFSC such as HDFC0001234."},
    )
    bank_name = serializers.CharField(max_length=100, required=False)
    is_default = serializers.BooleanField(required=False)


class BankAccountVerifyInput(serializers.Serializer):
    """The SDK's verify-bank-account body. `true` asks staff to verify the account."""

    is_verified = serializers.BooleanField(
        help_text="true: ask for the account to be verified (staff confirm it, e.g. by a penny drop; "
        "is_verified turns true then). A shopper cannot mark an account verified or unverified: false is refused."
    )

    def validate_is_verified(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(_("Send true to ask for this account to be verified."))
        return value


class BankAccountContent(serializers.Serializer):
    bank_account = BankAccountOutput()


class BankAccountListContent(serializers.Serializer):
    bank_accounts = BankAccountOutput(many=True)
    pagination = PaginationOutput()


# --- business documents (the SDK's Document, UpdateDocument, KycDocumentConfig) -------------


class KycDocumentOutput(serializers.ModelSerializer):
    description = _OptionalText()

    class Meta:
        model = KycDocument
        fields = [
            "id",
            "document_type",
            "title",
            "description",
            "active",
            "is_mandatory",
            "is_attachment_required",
            "verification_type",
        ]
        read_only_fields = fields


class KycDocumentListContent(serializers.Serializer):
    kyc_documents = KycDocumentOutput(many=True)
    is_kyc_enabled = serializers.BooleanField(help_text="Whether the store takes any document at all.")


class DocumentOutput(serializers.ModelSerializer):
    """A shopper's document; `file_url` absolute (common.api.absolute_url: on SITE_URL, or S3's signed URL)."""

    kyc_document_id = serializers.CharField(read_only=True, help_text="The type's id (`GET /store/kyc-document`).")
    document_type = serializers.CharField(source="kyc_document.document_type", read_only=True)
    title = serializers.CharField(source="kyc_document.title", read_only=True)
    file_url = serializers.SerializerMethodField()
    is_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "document_number",
            "kyc_document_id",
            "document_type",
            "title",
            "note",
            "file_url",
            "status",
            "verification_type",
            "is_verified",
            "verified_at",
            "created_by",
            "created_at",
            "modified_by",
            "modified_at",
            "modified_reason",
            "expires_at",
        ]
        read_only_fields = fields

    def get_file_url(self, document) -> str | None:
        return absolute_url(document.file.url) if document.file else None


class DocumentContent(serializers.Serializer):
    document = DocumentOutput()


class DocumentListContent(serializers.Serializer):
    documents = DocumentOutput(many=True)


class DocumentInput(serializers.Serializer):
    """multipart/form-data (what the SDK sends) or JSON without the file. The number is checked by
    its type's rules in customers.documents (a GSTIN's check character, a PAN's holder type)."""

    document_number = serializers.CharField(max_length=100)
    kyc_document_id = serializers.CharField(max_length=64)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    file = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A photo or scan: JPEG, PNG or WebP, at most 5 MB. Required when the type's "
        "`is_attachment_required` is true.",
    )


class DocumentUpdateInput(serializers.Serializer):
    """The SDK's UpdateDocument; every field may be left out (what is sent changes)."""

    document_number = serializers.CharField(max_length=100, required=False)
    kyc_document_id = serializers.CharField(max_length=64, required=False, help_text="Must be the document's own type.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    file = serializers.FileField(required=False, allow_null=True, help_text="JPEG, PNG or WebP, at most 5 MB.")
    modified_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DocumentVerifyInput(serializers.Serializer):
    document_number = serializers.CharField(max_length=100)
    document_type_id = serializers.CharField(max_length=64, help_text="A `kyc_documents[].id`.")


class DocumentCheckOutput(serializers.Serializer):
    """What the number says, checked offline (the SDK's GstinDetail / PanDetail)."""

    document_type = serializers.CharField()
    document_number = serializers.CharField(help_text="In normal form: capitals, no spaces.")
    is_valid = serializers.BooleanField(help_text="Always true: an invalid number is a 400.")
    state_code = serializers.CharField(required=False, help_text="GSTIN only.")
    pan = serializers.CharField(required=False, help_text="GSTIN only: the PAN it contains.")
    pan_holder_type = serializers.CharField(required=False, help_text="GSTIN and PAN.")


class DocumentCheckContent(serializers.Serializer):
    document = DocumentCheckOutput()


class CountryOutput(serializers.Serializer):
    """The SDK's Country (`GET /common/countries`), with the rules a form needs beside it."""

    id = serializers.CharField(help_text="The ISO 3166-1 alpha-2 code, as `country_iso_code`.")
    country_name = serializers.CharField()
    country_code = serializers.CharField(help_text='The calling code: "+91".')
    country_iso_code = serializers.CharField()
    currency_code = serializers.CharField()
    currency_symbol = serializers.CharField()
    currency_name = serializers.CharField()
    flag_icon_url = serializers.CharField(allow_null=True)
    postal_code_label = serializers.CharField(help_text='"PIN code", "ZIP code", "Postcode", "Postal code".')
    state_label = serializers.CharField(help_text='"State", "Province", "County", "Prefecture"...')
    required_fields = serializers.ListField(child=serializers.CharField(), help_text="Of the address's fields.")
    has_states = serializers.BooleanField(help_text="Whether `GET .../states` lists the country's states.")


class CountryListContent(serializers.Serializer):
    countries = CountryOutput(many=True)


class CountryStateOutput(serializers.Serializer):
    id = serializers.CharField(help_text="`{country}-{state}` ISO 3166-2 code where there is one.")
    name = serializers.CharField(help_text="What an address stores as its `state`.")
    iso_code = serializers.CharField(help_text='The ISO 3166-2 code without the country: "KA".')
    gst_code = serializers.CharField(allow_null=True, help_text="India's GST state code (two digits).")
    state_alias = serializers.CharField(allow_null=True)


class CountryStateListContent(serializers.Serializer):
    states = CountryStateOutput(many=True)


class PincodeOutput(serializers.Serializer):
    pincode = serializers.CharField()
    city = serializers.CharField()
    state_name = serializers.CharField()
    country_name = serializers.CharField()
    country_iso_code = serializers.CharField()


class PincodeListContent(serializers.Serializer):
    pincodes = PincodeOutput(many=True)
    pagination = PaginationOutput()
