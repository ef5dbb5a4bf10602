"""Review shapes (CONTRACT.md section 9)."""

from rest_framework import serializers

from common.api import absolute_url
from common.pagination import PaginationOutput

MONEY = dict(max_digits=14, decimal_places=2, coerce_to_string=False)


class ReviewImageOutput(serializers.Serializer):
    thumbnail_url = serializers.SerializerMethodField()
    standard_url = serializers.SerializerMethodField()

    def get_thumbnail_url(self, image) -> str:
        return absolute_url(image.thumbnail.url)

    def get_standard_url(self, image) -> str:
        return absolute_url(image.standard.url)


def _product_image(serializer, product) -> str | None:
    return absolute_url(product.image_url)


class CustomerReviewOutput(serializers.Serializer):
    id = serializers.CharField()
    product_id = serializers.CharField()
    product_name = serializers.CharField(source="product.name")
    product_image_url = serializers.SerializerMethodField()
    status = serializers.CharField()
    rating = serializers.IntegerField()
    review_text = serializers.CharField()
    review_date = serializers.DateTimeField(source="created_at")
    average_rating = serializers.DecimalField(
        source="product.average_rating", max_digits=3, decimal_places=2, coerce_to_string=False
    )
    tags = serializers.ListField(child=serializers.CharField())
    images = ReviewImageOutput(many=True)
    listing_price = serializers.DecimalField(source="product.listing_price", **MONEY)
    selling_price = serializers.DecimalField(source="product.selling_price", **MONEY)
    order_number = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    modified_at = serializers.DateTimeField()

    def get_product_image_url(self, review) -> str | None:
        return _product_image(self, review.product)

    def get_order_number(self, review) -> str | None:
        return review.order.number if review.order else None


class ReadyForReviewOutput(serializers.Serializer):
    product_id = serializers.CharField()
    product_name = serializers.CharField(source="product.name")
    product_image_url = serializers.SerializerMethodField()
    selling_price = serializers.DecimalField(**MONEY)
    listing_price = serializers.DecimalField(**MONEY)
    order_number = serializers.CharField(source="order.number")

    def get_product_image_url(self, item) -> str | None:
        return _product_image(self, item.product)


class CustomerReviewsContent(serializers.Serializer):
    reviews = CustomerReviewOutput(many=True)
    ready_for_review = ReadyForReviewOutput(many=True)


class ReviewInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    review_text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    order_number = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=10)
    images = serializers.ListField(child=serializers.ImageField(), required=False, max_length=5)
    user_id = serializers.CharField(required=False, allow_blank=True, max_length=26)


class ReviewContent(serializers.Serializer):
    review = CustomerReviewOutput()


class ProductReviewOutput(serializers.Serializer):
    id = serializers.CharField()
    rating = serializers.IntegerField()
    review_text = serializers.CharField()
    name = serializers.SerializerMethodField(help_text="The reviewer's first name and initial.")
    status = serializers.CharField()
    is_featured = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField())
    review_date = serializers.DateTimeField(source="created_at")
    images = ReviewImageOutput(many=True)
    created_at = serializers.DateTimeField()

    def get_name(self, review) -> str:
        customer = review.customer
        initial = f" {customer.last_name[:1]}." if customer.last_name else ""
        return f"{customer.first_name or 'A shopper'}{initial}"

    def get_is_featured(self, review) -> bool:
        return False


class ProductReviewsContent(serializers.Serializer):
    reviews = ProductReviewOutput(many=True)
    pagination = PaginationOutput()
    average_rating = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    review_count = serializers.IntegerField()
    rating_counts = serializers.DictField(child=serializers.IntegerField())
