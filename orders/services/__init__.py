"""Order writes, one module per stage of an order's life: placement, payments, fulfilment,
cancellation, returns, refunds.

Every action locks the order row (`base.lock_order`), asks the lifecycle table
(`orders.lifecycle`) whether it may start from the row's status, and only then writes, all in
one transaction: a refused action raises and saves nothing, and two concurrent requests on one
order run one after the other. Side effects on other apps (loyalty points, the products waiting
for a review) are called here, inside the same transaction. The read-only checks (may this
order be cancelled, retried, returned?) live in `orders.lifecycle`.
"""

from .base import order_lock_for_customer
from .cancellation import order_cancel
from .fulfilment import (
    order_complete,
    order_confirm,
    order_deliver,
    order_out_for_delivery,
    shipment_create,
    shipment_deliver,
    shipment_out_for_delivery,
)
from .payments import (
    payment_callback,
    payment_checkout_confirm,
    payment_checkout_settle,
    payment_gateway_settle,
    payment_record,
    payment_request_cancel,
    payment_retry,
    payment_webhook_apply,
)
from .placement import ADDRESS_SNAPSHOT_FIELDS, OrderLine, Placement, address_snapshot, order_place
from .refunds import (
    refund_fail,
    refund_gateway_settle,
    refund_issue,
    refund_retry,
    refund_send,
    refund_send_gave_up,
    refund_succeed,
)
from .returns import (
    ReturnRequestLine,
    order_item_find,
    return_approve,
    return_cancel,
    return_complete,
    return_create,
    return_photos_add,
    return_photos_erase,
    return_photos_normalise,
    return_receive,
    return_reject,
)

__all__ = [
    "ADDRESS_SNAPSHOT_FIELDS",
    "OrderLine",
    "Placement",
    "ReturnRequestLine",
    "address_snapshot",
    "order_cancel",
    "order_complete",
    "order_confirm",
    "order_deliver",
    "order_out_for_delivery",
    "order_item_find",
    "order_lock_for_customer",
    "order_place",
    "payment_callback",
    "payment_checkout_confirm",
    "payment_checkout_settle",
    "payment_gateway_settle",
    "payment_record",
    "payment_request_cancel",
    "payment_retry",
    "payment_webhook_apply",
    "refund_fail",
    "refund_gateway_settle",
    "refund_issue",
    "refund_retry",
    "refund_send",
    "refund_send_gave_up",
    "refund_succeed",
    "return_approve",
    "return_cancel",
    "return_photos_add",
    "return_photos_normalise",
    "return_photos_erase",
    "return_complete",
    "return_create",
    "return_receive",
    "return_reject",
    "shipment_create",
    "shipment_deliver",
    "shipment_out_for_delivery",
]
