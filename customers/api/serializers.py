"""Address book shapes (CONTRACT.md section 6)."""

from rest_framework import serializers

from accounts.api.serializers import COUNTRY_CODE_FIELD, PHONE_FIELD
from common.pagination import PaginationOutput

from ..models import Address, BankAccount

ADDRESS_OUTPUT_FIELDS = [
    "id", "first_name", "last_name", "country_code", "phone", "email", "address_line1",
    "address_line2", "landmark", "pincode", "city", "state", "country",
    "tax_identification_number", "business_name", "is_default_billing", "is_default_shipping",
    "is_phone_verified", "is_email_verified", "nickname",
]


class _OptionalText(serializers.CharField):
    """Optional text is stored as "" (no NULLs in text columns) and answered as null, as sent."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class AddressOutput(serializers.ModelSerializer):
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
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=max_length, default=""
    )


class AddressInput(serializers.Serializer):
    """Create: the required fields must be there. Update uses it with `partial=True`."""

    first_name = serializers.CharField(max_length=150)
    last_name = _optional_text(150)
    country_code = serializers.RegexField(required=False, **COUNTRY_CODE_FIELD)
    phone = serializers.RegexField(**PHONE_FIELD)
    email = serializers.EmailField(max_length=254)
    address_line1 = serializers.CharField(max_length=255)
    address_line2 = _optional_text(255)
    landmark = _optional_text(255)
    pincode = serializers.CharField(max_length=12)
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(max_length=100)
    country = serializers.CharField(max_length=100, required=False, default="India")
    tax_identification_number = _optional_text(32)
    business_name = _optional_text(200)
    nickname = _optional_text(50)
    is_default_billing = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_default_shipping = serializers.BooleanField(required=False, allow_null=True, default=None)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # Optional text sent as null is stored as "" (no NULLs in text columns).
        return {k: ("" if v is None and k not in ("is_default_billing", "is_default_shipping") else v)
                for k, v in values.items()}


class AddressContent(serializers.Serializer):
    address = AddressOutput()


class AddressListContent(serializers.Serializer):
    addresses = AddressOutput(many=True)
    pagination = PaginationOutput()


class BankAccountOutput(serializers.ModelSerializer):
    account_number = serializers.CharField(source="masked_number")

    class Meta:
        model = BankAccount
        fields = [
            "id", "account_name", "account_number", "ifsc_code", "bank_name", "is_default",
            "is_verified", "created_at", "modified_at",
        ]
        read_only_fields = fields


class BankAccountInput(serializers.Serializer):
    account_name = serializers.CharField(max_length=150)
    account_number = serializers.RegexField(
        r"^\d{9,18}$", error_messages={"invalid": "Enter the account number: 9 to 18 digits."}
    )
    ifsc_code = serializers.RegexField(
        r"^[A-Za-z]{4}0[A-Za-z0-9]{6}$", error_messages={"invalid": "Enter an 11-character IFSC such as HDFC0001234."}
    )
    bank_name = serializers.CharField(max_length=100)
    is_default = serializers.BooleanField(required=False, default=False)

    def validate_ifsc_code(self, value: str) -> str:
        return value.upper()


class BankAccountContent(serializers.Serializer):
    bank_account = BankAccountOutput()


class BankAccountListContent(serializers.Serializer):
    bank_accounts = BankAccountOutput(many=True)
    pagination = PaginationOutput()
