"""The order history's filters: one FilterSet for GET /orders and the website's history page."""

import django_filters

from common.filters import ListFilterSet, MultiValueFilter

from .models import Order, OrderStatus


class OrderFilter(ListFilterSet):
    """Which of a shopper's orders a history shows: `status` (any of several), and `search`
    (words the order number or one of its products' names contains, any case).

    It parses and documents the filters only. Both histories read their rows through
    hand-written SQL (orders.selectors, README "Performance"), which is the one place the
    filters are applied (the search: selectors._history_where), so they take the cleaned values
    (`selector_kwargs`); filtering a QuerySet here would be
    a second copy of the rule that no request reaches.
    """

    status = MultiValueFilter(values=OrderStatus.values)
    search = django_filters.CharFilter(max_length=100, help_text="Order number or product name (part of either).")

    class Meta:
        model = Order
        fields: list[str] = []  # only the filters declared above

    def selector_kwargs(self) -> dict:
        """The filters as the history selectors take them; InvalidInput when one is not valid."""
        cleaned = self.cleaned()
        kwargs = {"statuses": cleaned.get("status")}
        if cleaned.get("search"):
            kwargs["search"] = cleaned["search"]
        return kwargs

    def filter_queryset(self, queryset):
        raise TypeError("OrderFilter filters no QuerySet: pass selector_kwargs() to the orders.selectors history.")
