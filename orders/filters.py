"""The order history's filters: one FilterSet for GET /orders and the website's history page."""

import django_filters

from common.exceptions import InvalidInput
from common.filters import IsoDateFilter, ListFilterSet, MultiValueFilter

from .models import Order, OrderStatus


class OrderFilter(ListFilterSet):
    """Which of a shopper's orders a history shows: `status` (any of several), `search`
    (words the order number or one of its products' names contains, any case), and the days it
    was placed, `order_date_from` to `order_date_to` (both included; days of the shop's calendar,
    common.shoptime.shop_days_span).

    It parses and documents the filters only. Both histories read their rows through
    hand-written SQL (orders.selectors, README "Performance"), which is the one place the
    filters are applied (selectors._history_where), so they take the cleaned values
    (`selector_kwargs`); filtering a QuerySet here would be
    a second copy of the rule that no request reaches.
    """

    status = MultiValueFilter(values=OrderStatus.values)
    search = django_filters.CharFilter(max_length=100, help_text="Order number or product name (part of either).")
    order_date_from = IsoDateFilter(
        help_text="Orders placed on or after this day (YYYY-MM-DD, the shop's calendar; not in the SDK)."
    )
    order_date_to = IsoDateFilter(
        help_text="Orders placed on or before this day (YYYY-MM-DD, the shop's calendar; not in the SDK)."
    )

    class Meta:
        model = Order
        fields: list[str] = []  # only the filters declared above

    def selector_kwargs(self) -> dict:
        """The filters as the history selectors take them; InvalidInput when one is not valid."""
        cleaned = self.cleaned()
        kwargs = {"statuses": cleaned.get("status")}
        if cleaned.get("search"):
            kwargs["search"] = cleaned["search"]
        first, last = cleaned.get("order_date_from"), cleaned.get("order_date_to")
        if first and last and first > last:
            message = "The last day is before the first (order_date_from)."
            raise InvalidInput(f"order_date_to: {message}", errors={"order_date_to": [message]})
        if first or last:
            kwargs["placed"] = (first, last)
        return kwargs

    def filter_queryset(self, queryset):
        raise TypeError("OrderFilter filters no QuerySet: pass selector_kwargs() to the orders.selectors history.")
