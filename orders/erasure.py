"""A shopper's orders in their export (`accounts.erasure` calls this; registered in
`OrdersConfig.ready`). Erasure keeps the orders: their address snapshots and totals are the
shop's books; the photos sent with returns are the shopper's and go."""

from .api.serializers.outputs import order_list_row
from .selectors import order_history_count, order_history_rows


def customer_export(*, user, request) -> dict:
    """Every order, newest first, as the order history shows it."""
    rows = order_history_rows(customer=user, limit=order_history_count(customer=user))
    return {"orders": [order_list_row(row) for row in rows]}


def customer_erase(*, user) -> None:
    """The photos the shopper sent with returns (files deleted after commit), and the list of what
    they bought kept in the cache."""
    from .selectors_buy_again import buy_again_forget
    from .services import return_photos_erase

    return_photos_erase(user=user)
    buy_again_forget(customer_id=user.pk)
