"""Wishlist shapes: the SDK's `Item` (CONTRACT.md section 12: the SDK's types are normative)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import absolute_url
from common.money import money_round
from common.pagination import PaginationOutput

from ..models import TAX_RATE, Product

MONEY = dict(max_digits=14, decimal_places=2, coerce_to_string=False)


class WishlistInput(serializers.Serializer):
    """add-to-wishlist / delete-from-wishlist: the product (this shop's products have no variants)."""

    product_id = serializers.CharField(max_length=64, trim_whitespace=True)
    variant_id = serializers.CharField(max_length=64, required=False, allow_null=True, allow_blank=True, default=None)


class ProductImageOutput(serializers.Serializer):
    """The product's picture; one size is stored, so every size's URL is that picture."""

    id = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    alternate_text = serializers.CharField(allow_null=True)
    sort_order = serializers.IntegerField()
    url_tiny = serializers.URLField()
    url_thumbnail = serializers.URLField()
    url_standard = serializers.URLField()
    url_zoom = serializers.URLField()


class ProductPricingOutput(serializers.Serializer):
    currency = serializers.CharField()
    tax_type = serializers.ChoiceField(choices=["GST"])
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    price_including_tax = serializers.BooleanField()
    listing_price = serializers.DecimalField(**MONEY)
    selling_price = serializers.DecimalField(**MONEY)
    min_order_quantity = serializers.IntegerField()
    max_order_quantity = serializers.IntegerField(allow_null=True)
    incremental_quantity = serializers.IntegerField()
    selling_price_excluding_tax = serializers.DecimalField(**MONEY)


class ItemOutput(serializers.Serializer):
    """A wishlisted product as the SDK's `Item` (a product with no variants is its own SKU)."""

    product_id = serializers.CharField(source="pk")
    variant_id = serializers.SerializerMethodField()
    sku = serializers.CharField()
    product_slug = serializers.CharField(source="slug")
    variant_slug = serializers.SerializerMethodField()
    product_name = serializers.CharField(source="name")
    variant_name = serializers.SerializerMethodField()
    product_type = serializers.ChoiceField(choices=["physical", "digital", "bundle"])
    short_description = serializers.SerializerMethodField()
    active = serializers.BooleanField()
    stock_available = serializers.BooleanField()
    backorder = serializers.SerializerMethodField()
    on_subscription = serializers.SerializerMethodField()
    on_promotion = serializers.SerializerMethodField()
    category_ids = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    reviews_count = serializers.IntegerField(source="review_count")
    reviews_rating_sum = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    pricing = serializers.SerializerMethodField()
    promotion = serializers.SerializerMethodField()
    subscription = serializers.SerializerMethodField()
    associated_options = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_variant_id(self, product: Product) -> str | None:
        return None

    def get_variant_slug(self, product: Product) -> str:
        return ""

    @extend_schema_field({"type": "string", "nullable": True})
    def get_variant_name(self, product: Product) -> str | None:
        return None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_short_description(self, product: Product) -> str | None:
        return None

    def get_backorder(self, product: Product) -> bool:
        return False

    def get_on_subscription(self, product: Product) -> bool:
        return False

    def get_on_promotion(self, product: Product) -> bool:
        return product.selling_price < product.listing_price

    def get_category_ids(self, product: Product) -> list[str]:
        return []

    def get_tags(self, product: Product) -> list[str]:
        return []

    @extend_schema_field({"type": "number", "format": "double", "nullable": True})
    def get_reviews_rating_sum(self, product: Product) -> float | None:
        if not product.review_count:
            return None
        return float(money_round(product.average_rating * product.review_count))

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_attributes(self, product: Product) -> list[dict]:
        return []

    @extend_schema_field(ProductImageOutput(many=True))
    def get_images(self, product: Product) -> list[dict]:
        url = absolute_url(product.image_url)
        if not url:
            return []
        image = {
            "id": product.pk,
            "title": product.name,
            "alternate_text": product.name,
            "sort_order": 0,
            "url_tiny": url,
            "url_thumbnail": url,
            "url_standard": url,
            "url_zoom": url,
        }
        return ProductImageOutput([image], many=True).data

    @extend_schema_field(ProductPricingOutput)
    def get_pricing(self, product: Product) -> dict:
        selling = money_round(product.selling_price)
        pricing = {
            "currency": "INR",
            "tax_type": "GST",
            "tax_rate": TAX_RATE,
            "price_including_tax": True,
            "listing_price": money_round(product.listing_price),
            "selling_price": selling,
            "min_order_quantity": 1,
            "max_order_quantity": None,
            "incremental_quantity": 1,
            "selling_price_excluding_tax": money_round(selling / (1 + TAX_RATE / 100)),
        }
        return ProductPricingOutput(pricing).data

    @extend_schema_field({"type": "object", "nullable": True, "description": "No promotions here: null."})
    def get_promotion(self, product: Product) -> None:
        return None

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_subscription(self, product: Product) -> list:
        return []

    @extend_schema_field({"type": "object", "nullable": True, "description": "No variants here: null."})
    def get_associated_options(self, product: Product) -> None:
        return None


class WishlistContent(serializers.Serializer):
    """The wishlist, newest first (every answer of the three operations)."""

    products = ItemOutput(many=True)
    pagination = PaginationOutput()
