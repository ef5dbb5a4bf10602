"""The order history's filters: one FilterSet for GET /orders and the website's history page."""

from common.filters import ListFilterSet, MultiValueFilter

from .models import Order, OrderStatus


class OrderFilter(ListFilterSet):
    """Which of a shopper's orders a history shows: `status` (any of several).

    Both histories read their rows through hand-written SQL (orders.selectors, README
    "Performance"), so they take the cleaned values (`selector_kwargs`), not `qs`; `qs` filters
    a QuerySet of orders the same way, and a test holds the two to the same rows.
    """

    status = MultiValueFilter(values=OrderStatus.values)

    class Meta:
        model = Order
        fields: list[str] = []  # only the filters declared above

    def selector_kwargs(self) -> dict:
        """The filters as the history selectors take them; InvalidInput when one is not valid."""
        return {"statuses": self.cleaned().get("status")}
