from rest_framework import serializers

from common.pagination import PaginationOutput

from ..models import PointsEntry


class LoyaltyOutput(serializers.Serializer):
    membership_number = serializers.CharField()
    date_of_join = serializers.DateTimeField()
    date_of_assign = serializers.DateTimeField()
    date_of_reset = serializers.DateTimeField(allow_null=True)
    current_tier = serializers.CharField(allow_null=True)
    points_earned = serializers.IntegerField()
    points_redeemed = serializers.IntegerField()
    points_balance = serializers.IntegerField()
    points_redeemable = serializers.IntegerField()
    total_orders = serializers.IntegerField()
    lifetime_orders = serializers.IntegerField()
    total_spent = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    lifetime_spent = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    lifetime_savings = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)


class LoyaltyContent(serializers.Serializer):
    loyalty = LoyaltyOutput()


class PointsActivityOutput(serializers.ModelSerializer):
    loyalty_points = serializers.IntegerField(source="points")
    reference_number = serializers.CharField(allow_null=True)
    remarks = serializers.CharField(allow_null=True)

    class Meta:
        model = PointsEntry
        fields = [
            "action",
            "activity",
            "reference_number",
            "title",
            "loyalty_points",
            "remarks",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    def to_representation(self, entry):
        data = super().to_representation(entry)
        data["reference_number"] = data["reference_number"] or None
        data["remarks"] = data["remarks"] or None
        return data


class PointsActivityListContent(serializers.Serializer):
    loyalty_points_activity = PointsActivityOutput(many=True)
    pagination = PaginationOutput()
