"""What the website's return partials (templates/account/_return_*.html) ask about returns: the
reads are in `orders.selectors_returns`; these only hand them to the templates."""

from django import template

from .. import selectors_returns

register = template.Library()


register.filter("return_status_label", selectors_returns.return_status_label)


@register.simple_tag
def return_summary(order_return, order):
    """`{% return_summary r order as s %}`: amount and destination, pickup address, return
    window, timeline and whether it can still be cancelled."""
    return selectors_returns.return_summary(order_return, order)


@register.filter
def open_returns_of(item, returns):
    """`item|open_returns_of:returns`: the returns under way that hold this order item."""
    return selectors_returns.open_returns_of_item(item, returns or [])
