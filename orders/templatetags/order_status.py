"""What a shopper reads about an order and its refunds, in templates: {% load order_status %}
{{ order|delivery_headline }}, {{ refund|refund_words }}, {{ refund|refund_destination }}."""

from django import template

from orders import headlines, lifecycle

register = template.Library()


@register.filter
def delivery_headline(order) -> headlines.Headline:
    return headlines.delivery_headline(order)


@register.filter
def refund_words(refund) -> dict:
    """{"label": "Refund started", "tone": "warn"}: lifecycle.refund_words for a badge."""
    label, tone = lifecycle.refund_words(refund)
    return {"label": label, "tone": tone}


@register.filter
def refund_destination(refund) -> str:
    return lifecycle.refund_destination(refund)
