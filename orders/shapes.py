"""The order history's JSON (an order of GET /orders, and the head of GET /orders/{n}), described
once (common.jsonshape). Everything else follows from this description: the columns the history
selectors read (orders.selectors), the JSON PostgreSQL writes for GET /orders, the JSON Python
writes from rows or from a loaded order (orders.api.serializers.outputs), and the OpenAPI
description of both (orders.api.serializers.schema)."""

from rest_framework import serializers

from common.jsonshape import Children, Constant, Field, Group, Kind

from .models import OrderItem

ORDER_ITEM_SHAPE = (
    Field("product_id", "product_ref"),
    Field("product_name", "product_name"),
    Field("product_image_url", "product_image_url", Kind.URL),
    Field("product_type", "product_type"),
    Field("sku", "sku"),
    Field("slug", "slug"),
    Field("variant_id", "variant_id", Kind.OPTIONAL_TEXT),
    Field("variant_name", "variant_name", Kind.OPTIONAL_TEXT),
    Field("quantity", "quantity"),
    Field("free_quantity", "free_quantity"),
    Field("is_free_item", "is_free_item"),
    Field("listing_price", "listing_price", Kind.NUMBER),
    Field("selling_price", "selling_price", Kind.NUMBER),
    Field("selling_price_excluding_tax", "selling_price_excluding_tax", Kind.NUMBER),
    Field("price_including_tax", "price_including_tax"),
    Field("promotion_discount_amount", "promotion_discount_amount", Kind.NUMBER),
    Field("coupon_discount_amount", "coupon_discount_amount", Kind.NUMBER),
    Field("tax_type", "tax_type"),
    Field("tax_rate", "tax_rate", Kind.NUMBER),
    Field("tax_amount", "tax_amount", Kind.NUMBER),
    Field("backorder", "backorder"),
    Field("on_promotion", "on_promotion"),
    Field("on_subscription", "on_subscription"),
    # Required by the SDK's OrderItem. An order item is never bought on a subscription plan here
    # (subscriptions are kept apart, customers.Subscription) and no handling charge is taken, so
    # these are the truthful null and zero on every item.
    Constant("subscription_plan", None, lambda: serializers.CharField(allow_null=True, help_text="Always null.")),
    Constant(
        "subscription_interval", None, lambda: serializers.IntegerField(allow_null=True, help_text="Always null.")
    ),
    Constant("subscription_frequency", None, lambda: serializers.CharField(allow_null=True, help_text="Always null.")),
    *(
        Constant(name, 0, lambda: serializers.FloatField(help_text="No handling charge is taken: always 0."))
        for name in ("handling_charge_excluding_tax", "handling_charge_tax_rate", "handling_charge_including_tax")
    ),
)

CURRENCY_SHAPE = (Field("name", "currency_name"), Field("code", "currency_code"), Field("symbol", "currency_symbol"))

ORDER_LIST_SHAPE = (
    Field("order_number", "number"),
    Field("order_date", "order_date", Kind.DATETIME),
    Field("status", "status"),
    Field("payment_status", "payment_status"),
    Field("payment_success_date", "payment_success_date", Kind.DATETIME),
    Field("has_refund", "has_refund"),
    Field("on_subscription", "on_subscription"),
    Field("grand_total", "grand_total", Kind.NUMBER),
    Field("loyalty_point_redeemed", "loyalty_points_redeemed"),
    Field("loyalty_point_earned", "loyalty_points_earned"),
    Field("credit_balance_used", "credit_balance_used", Kind.NUMBER),
    Field("to_be_paid", "to_be_paid", Kind.NUMBER),
    Field("order_items_count", "order_items_count"),
    Children("order_items", OrderItem, "order", ORDER_ITEM_SHAPE, key="items"),
    Field("customer_note", "customer_note", Kind.OPTIONAL_TEXT),
    Group("currency", CURRENCY_SHAPE),
    Field("created_at", "created_at", Kind.DATETIME),
    Field("modified_at", "modified_at", Kind.DATETIME),
)
