"""The order history's filters: one FilterSet for GET /orders and the website's history page."""

import django_filters
from django.db.models import Q

from common.filters import ListFilterSet, MultiValueFilter

from .models import Order, OrderStatus


class OrderFilter(ListFilterSet):
    """Which of a shopper's orders a history shows: `status` (any of several), and `search`
    (words the order number or one of its products' names contains, any case).

    Both histories read their rows through hand-written SQL (orders.selectors, README
    "Performance"), so they take the cleaned values (`selector_kwargs`), not `qs`; `qs` filters
    a QuerySet of orders the same way, and a test holds the two to the same rows.
    """

    status = MultiValueFilter(values=OrderStatus.values)
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, help_text="Order number or product name (part of either)."
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
        return kwargs

    def filter_search(self, queryset, name, value):
        # The same rows as the selectors' SQL (selectors._history_where): number or product name.
        return queryset.filter(Q(number__icontains=value) | Q(items__product_name__icontains=value)).distinct()
