"""What the order endpoints read from a request body (CONTRACT.md section 7): shape only; the
rules (what may be cancelled or returned, how much) are the services'."""

from rest_framework import serializers

from ...lifecycle import MAX_RETURN_COMMENT
from ...models import Resolution
from ...services.returns import RETURN_REASON_NOT_GIVEN


class CancelInput(serializers.Serializer):
    cancellation_reason = serializers.CharField(max_length=500)
    refund_mode = serializers.ChoiceField(
        choices=["original-payment-mode", "bank-transfer", "original_payment_mode", "bank_transfer"],
        help_text="Required (the guide and the SDK): where the refund goes. bank-transfer needs bank_account_id.",
    )
    bank_account_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=26)
    feedback = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=1000)


class RetryPaymentInput(serializers.Serializer):
    # The SDK sends a gateway-specific object here; a plain method name also works.
    payment_method = serializers.JSONField(required=False, allow_null=True)


class ReturnItemInput(serializers.Serializer):
    product_id = serializers.CharField(max_length=26)
    variant_id = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=26)
    sku = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=64)
    shipment_number = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=24)
    quantity = serializers.IntegerField(min_value=1, max_value=10000)
    resolution = serializers.ChoiceField(
        choices=Resolution.choices,
        required=False,
        help_text="Optional: else the body's requested_settlement, else refund.",
    )
    return_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=f'Optional (the SDK\'s OrderReturnItem): kept as "{RETURN_REASON_NOT_GIVEN}" when not given.',
    )


class PickupAddressInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=150)
    phone = serializers.CharField(max_length=15)
    address_line1 = serializers.CharField(max_length=255)
    address_line2 = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    pincode = serializers.CharField(max_length=12)
    city = serializers.CharField(max_length=100)
    state = serializers.CharField(max_length=100)
    country = serializers.CharField(required=False, max_length=100, default="India")


class ReturnInput(serializers.Serializer):
    """The contract's `return_items` shape, or the SDK's `requested_settlement` + `items`."""

    return_items = ReturnItemInput(many=True, required=False)
    items = ReturnItemInput(many=True, required=False)
    requested_settlement = serializers.ChoiceField(choices=Resolution.choices, required=False)
    shipping_address = PickupAddressInput(required=False, allow_null=True)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_RETURN_COMMENT,
        help_text="Our addition: what the shopper adds in their own words, beside each item's reason.",
    )

    def validate(self, attrs):
        lines = attrs.get("return_items") or attrs.get("items")
        if not lines:
            raise serializers.ValidationError({"return_items": ["Choose at least one item to return."]})
        # A line's own resolution, else the body's settlement, else a refund (what the website
        # preselects too).
        default = attrs.get("requested_settlement") or Resolution.REFUND
        for line in lines:
            line["resolution"] = line.get("resolution") or default
        attrs["lines"] = lines
        return attrs


class ReturnAttachmentsInput(serializers.Serializer):
    """For the schema: the view reads request.FILES.getlist("images") (common.images checks each)."""

    images = serializers.ListField(child=serializers.ImageField(), min_length=1, max_length=3)


class ReturnCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
