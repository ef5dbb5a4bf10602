"""The work queue on the back office's home page: what waits for staff, counted, each count a
link to the list of exactly those rows. Site-wide, so it lives here, in the top layer, reading
the status groups orders names (orders.lifecycle); one cheap COUNT per line."""

from urllib.parse import urlencode

from django.urls import reverse

from orders.models import Order, OrderReturn, OrderStatus, Refund, RefundStatus, ReturnStatus

# Orders confirmed and waiting for their first shipment (partly shipped ones show under "Shipped").
ORDERS_TO_SHIP = (OrderStatus.CONFIRMED, OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SCHEDULED)

QUEUE = [
    # (label, model, permission to see the list, filter: field -> values)
    ("Returns to approve", OrderReturn, "orders.view_orderreturn", {"status": (ReturnStatus.CREATED,)}),
    ("Orders to ship", Order, "orders.view_order", {"status": ORDERS_TO_SHIP}),
    ("Refunds that failed", Refund, "orders.view_refund", {"status": (RefundStatus.FAILED,)}),
]


def _changelist(model, field: str, values) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    query = {f"{field}__exact": values[0]} if len(values) == 1 else {f"{field}__in": ",".join(values)}
    return f"{url}?{urlencode(query, safe=',')}"


def work_queue(user) -> list[dict]:
    """The queue's lines `user` may see: {label, count, url}; empty for staff who see none."""
    lines = []
    for label, model, permission, filters in QUEUE:
        if not user.has_perm(permission):
            continue
        ((field, values),) = filters.items()
        count = model.objects.filter(**{f"{field}__in": values}).count()
        lines.append({"label": label, "count": count, "url": _changelist(model, field, values)})
    return lines
