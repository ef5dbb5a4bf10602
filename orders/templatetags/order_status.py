"""The delivery headline in templates: {% load order_status %}{{ order|delivery_headline }}."""

from django import template

from orders import headlines

register = template.Library()


@register.filter
def delivery_headline(order) -> headlines.Headline:
    return headlines.delivery_headline(order)
