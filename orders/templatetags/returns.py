"""What the website's return partials (templates/account/_return_*.html) ask about returns: the
reads are in `orders.selectors_returns`; these only hand them to the templates."""

from django import template

from .. import selectors_returns
from ..models import ReturnStatus

register = template.Library()


@register.filter
def return_status_label(status: str) -> str:
    """A return status as shoppers say it ("Requested", not "created"): the model's label."""
    return ReturnStatus(status).label if status in ReturnStatus.values else str(status)


@register.simple_tag
def return_summary(order_return, order):
    """`{% return_summary r order as s %}`: amount and destination, pickup address, return
    window, timeline and whether it can still be cancelled."""
    return selectors_returns.return_summary(order_return, order)


@register.simple_tag
def open_returns_for(rows):
    """`{% open_returns_for page.object_list as open_returns %}`: each listed order's returns
    under way, by order id (one query for the page at most)."""
    return selectors_returns.open_returns_by_order(orders=rows)


@register.filter
def open_returns_of(item, returns):
    """`item|open_returns_of:returns`: the returns under way that hold this order item."""
    return selectors_returns.open_returns_of_item(item, returns or [])
