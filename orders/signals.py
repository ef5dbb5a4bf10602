"""What happens to an order, for the apps above orders to react to: notifications tells the
shopper (`notifications.events`), reviews refreshes what the shopper may review. orders knows
none of them; each connects its receivers in its `AppConfig.ready()`.

Every signal is sent by an `orders.services` function inside its transaction, after the change
is written, so what a receiver writes (an outbox row, a review eligibility row) commits or rolls
back with it; a receiver's error fails the service. The keyword arguments each one carries:
"""

from django.dispatch import Signal

payment_settled = Signal()  # order, payment: an attempt succeeded or failed
order_cancelled = Signal()  # order
shipment_shipped = Signal()  # shipment
shipment_out_for_delivery = Signal()  # shipment
order_delivered = Signal()  # order: a shipment was delivered (the order may be partly delivered)
points_earned = Signal()  # order, entry: a completed order's points (entry None: the program is off)
refund_started = Signal()  # refund
refund_completed = Signal()  # refund
return_requested = Signal()  # order_return
return_decided = Signal()  # order_return: approved or rejected
return_received = Signal()  # order_return
return_refunded = Signal()  # order_return, refund
# What the shopper received and kept changed (a delivery, a return asked for, cancelled or
# rejected): customer_id, product_ids.
received_changed = Signal()

# What notifications tells the shopper about: one handler each, of the same name.
SHOPPER_EVENTS = (
    "payment_settled",
    "order_cancelled",
    "shipment_shipped",
    "shipment_out_for_delivery",
    "order_delivered",
    "points_earned",
    "refund_started",
    "refund_completed",
    "return_requested",
    "return_decided",
    "return_received",
    "return_refunded",
)
