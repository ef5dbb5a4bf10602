"""The JSON of every order answer, built here and only here (CONTRACT.md section 7).

Each shape has one producer, a function of this module, and every endpoint that answers the
shape goes through it: `order_detail_row` for GET /orders/{n} and the answer of a cancel,
`order_list_row` for GET /orders, `shipment_row`, `refund_row`, `payment_rows`, `return_row` and
`return_detail_row` wherever those appear. They are plain functions over the selectors' rows and
model instances rather than serializers because GET /orders and GET /orders/{n} are the busiest
requests, and a serializer object graph per order and item cost more than their SQL (README
"Performance"). `schema.py` describes the same shapes for OpenAPI; orders/tests/test_api.py
validates every answer against that description, over every sort, status filter and order state.
"""

from common.api import absolute_url
from common.jsonshape import datetime_text, instance_to_python, to_python
from customers.models import ADDRESS_SHAPE_FIELDS, mask_account_number

from ... import lifecycle
from ...models import Order, OrderItem, OrderReturn, Payment, Refund, ReturnItem, Shipment
from ...shapes import ORDER_LIST_SHAPE

_dt = datetime_text


# --- the order history (GET /orders) ------------------------------------------------------
# Its one description is orders.shapes.ORDER_LIST_SHAPE; Python writes it from rows
# (order_list_row) and from a loaded order (order_detail_row), and PostgreSQL writes the same
# JSON for GET /orders (orders.selectors.order_history_json).


def order_list_row(order: dict) -> dict:
    """An order of the history from a row of orders.selectors.order_history_rows."""
    return to_python(ORDER_LIST_SHAPE, order)


# --- addresses ----------------------------------------------------------------------------

# Stored as "" when not given (no NULLs in text columns), answered as null, as the shopper sent them.
OPTIONAL_ADDRESS_TEXT = frozenset(
    {
        "last_name",
        "address_line2",
        "landmark",
        "tax_identification_number",
        "business_name",
        "nickname",
    }
)
PICKUP_ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "address_line1",
    "address_line2",
    "pincode",
    "city",
    "state",
    "country",
)


def _address(stored: dict | None, fields) -> dict | None:
    if not stored:
        return None
    return {name: (stored.get(name) or None) if name in OPTIONAL_ADDRESS_TEXT else stored.get(name) for name in fields}


def address_row(snapshot: dict | None) -> dict | None:
    """An order's billing or shipping address: the address book entry as it was at placement."""
    return _address(snapshot, ADDRESS_SHAPE_FIELDS)


def pickup_address_row(address: dict | None) -> dict | None:
    """Where a return is picked up, as the shopper gave it (None: the order's shipping address)."""
    return _address(address, PICKUP_ADDRESS_FIELDS)


# --- an order's parts ---------------------------------------------------------------------


def _product(item: OrderItem) -> dict:
    """Which product a shipment's or a return's line is, from its order item."""
    return {
        "product_id": item.product_ref,
        "product_name": item.product_name,
        "product_image_url": absolute_url(item.product_image_url),
        "variant_id": item.variant_id or None,
        "variant_name": item.variant_name or None,
        "sku": item.sku,
    }


def shipment_row(shipment: Shipment) -> dict:
    items = list(shipment.items.all())
    return {
        "reference_number": shipment.reference_number,
        "status": shipment.status,
        "shipment_items": [{**_product(si.order_item), "quantity": si.quantity} for si in items],
        "shipment_items_count": len(items),
        "courier_company_name": shipment.courier_company_name,
        "awb_no": shipment.awb_no,
        "tracking_url": shipment.tracking_url,
        "eta_delivery": _dt(shipment.eta_delivery),
        "shipped_date": _dt(shipment.shipped_date),
        "delivered_date": _dt(shipment.delivered_date),
        "is_return_allowed": lifecycle.is_shipment_returnable(shipment),
        "shipping_amount": float(shipment.shipping_amount),
        "created_at": _dt(shipment.created_at),
        "modified_at": _dt(shipment.modified_at),
    }


def refund_row(refund: Refund) -> dict:
    account = refund.bank_account
    return {
        "request_number": refund.request_number,
        "refund_amount": float(refund.amount),
        "refund_date": _dt(refund.refund_date),
        "status": refund.status,
        "payment_mode": refund.payment_mode,
        "payment_method": refund.payment_method or None,
        "payment_reference_number": refund.payment_reference_number or None,
        "bank_account_number": account.masked_number if account else None,
        "bank_name": account.bank_name if account else None,
        "refund_remarks": refund.remarks,
    }


REFUND_AS_PAYMENT_STATUS = {
    "pending": "pending",
    "approved": "refund_initiated",
    "success": "success",
    "failed": "failed",
}

# The stored details shown under another name, masked; the others are shown as stored.
_MASKED_METHOD_FIELDS = {
    "card_last4": ("card_number", lambda last4: f"XXXX XXXX XXXX {last4 or '0000'}"),
    "bank_account_last4": ("bank_account_number", lambda last4: mask_account_number("XXXXXX" + (last4 or ""))),
}


def _method_fields(payment: Payment) -> dict:
    """The details the attempt's method keeps (lifecycle.PAYMENT_METHOD_FIELDS), as the API shows them."""
    shown = {}
    for name in lifecycle.PAYMENT_METHOD_FIELDS.get(payment.payment_method, ()):
        key, mask = _MASKED_METHOD_FIELDS.get(name, (name, None))
        value = getattr(payment, name)
        shown[key] = mask(value) if mask else value
    return shown


def payment_row(row: Payment | Refund) -> dict:
    """A payment attempt, or a refund, as one entry of an order's payments."""
    if isinstance(row, Refund):
        data = {
            "transaction_type": "refund",
            "request_number": row.request_number,
            "amount": float(row.amount),
            "payment_status": REFUND_AS_PAYMENT_STATUS[row.status],
            "payment_date": _dt(row.refund_date),
            "payment_reference_number": row.payment_reference_number or None,
            "payment_method": row.payment_method or None,
        }
        if row.bank_account is not None:
            data["bank_account_number"] = row.bank_account.masked_number
            data["bank_name"] = row.bank_account.bank_name
        return data
    data = {
        "transaction_type": "payment",
        "request_number": row.request_number,
        "amount": float(row.amount),
        "payment_status": row.status,
        "payment_date": _dt(row.payment_date),
        "payment_reference_number": row.payment_reference_number or None,
        "payment_method": row.payment_method,
    }
    data.update(_method_fields(row))
    return data


def payment_rows(order: Order) -> list[dict]:
    """The order's payment attempts and refunds, oldest first (uses prefetched ones)."""
    rows = sorted([*order.payments.all(), *order.refunds.all()], key=lambda r: (r.created_at, r.pk))
    return [payment_row(row) for row in rows]


def cancellation_refund_row(details: dict) -> dict:
    """lifecycle.cancellation_refund_details as the API shows it."""
    return {
        "loyalty_point": details["loyalty_point"],
        "refundable_amount": float(details["refundable_amount"]),
        "cancellation_charges": float(details["cancellation_charges"]),
        "cancellation_charges_reason": details["cancellation_charges_reason"],
        "payment_mode": details["payment_mode"],
    }


def applied_coupons(order: Order) -> list[dict]:
    """The order's coupon (an order keeps one, by its code, taken off the whole order)."""
    if not order.coupon_code:
        return []
    return [
        {
            "coupon_id": order.coupon_code,
            "coupon_type": "discount",
            "savings": float(order.coupon_discount_amount),
            "product_id": None,
            "variant_id": None,
            "product_name": None,
            "variant_name": None,
        }
    ]


def fulfillment_preference(order: Order) -> dict:
    """Every order is delivered to its shipping address: no store pickup, and no carrier is chosen
    at checkout (the order's `shipments` name the carriers)."""
    return {"fulfillment_type": "delivery", "shipments": []}


# --- an order (GET /orders/{n}, and the answer of a cancel) -------------------------------

_DETAIL_MONEY = (
    "subtotal",
    "item_total_tax",
    "subtotal_including_tax",
    "shipping_amount",
    "shipping_tax_amount",
    "shipping_amount_including_tax",
    "promotion_discount_amount",
)


def order_detail_row(order: Order) -> dict:
    """An order with everything it shows, from orders.selectors.order_detail_load (no query)."""
    row = instance_to_python(ORDER_LIST_SHAPE, order)
    for name in _DETAIL_MONEY:
        row[name] = float(getattr(order, name))
    coupons = applied_coupons(order)
    cancellable = lifecycle.is_cancellation_allowed(order)
    row.update(
        coupon_code=order.coupon_code or None,
        coupon_discount_amount=float(order.coupon_discount_amount),
        total_savings=float(order.total_savings),
        total_tax=float(order.total_tax),
        loyalty_points_earned=order.loyalty_points_earned,
        loyalty_points_redeemed=order.loyalty_points_redeemed,
        # This service keeps no promotion records (a markdown shows on each item as
        # `on_promotion`); promotion_discount_amount is the whole of what promotions took off.
        is_promotion_applied=order.promotion_discount_amount > 0,
        applied_promotions=[],
        is_coupon_applied=bool(coupons),
        applied_coupons=coupons,
        fulfillment_preference=fulfillment_preference(order),
        billing_address=address_row(order.billing_address),
        shipping_address=address_row(order.shipping_address),
        is_cancellation_allowed=cancellable,
        cancellation_refund_details=(
            cancellation_refund_row(lifecycle.cancellation_refund_details(order)) if cancellable else None
        ),
        cancellation_reason=order.cancellation_reason or None,
        feedback=order.feedback or None,
        payments=payment_rows(order),
        shipments=[shipment_row(s) for s in order.shipments.all()],
        refunds=[refund_row(r) for r in order.refunds.all()],
        metadata=order.metadata,
    )
    return row


def payment_status_row(order: Order) -> dict:
    return {
        "status": order.payment_status,
        "amount_paid": float(order.amount_paid),
        "amount_unpaid": float(max(0, order.to_be_paid - order.amount_paid)),
        "is_retry_available": lifecycle.is_retry_available(order),
    }


def payment_info_row(info: dict) -> dict:
    """Where to pay a retried attempt (services.payment_retry's answer). The SDK types this
    answer as a gateway's (JusPayHyperCheckoutResponse and others); its redirect link is
    `payment_links.web`, so the payment page is there too, with when the attempt expires."""
    expires_at = _dt(info["expires_at"])
    return {
        "gateway": info["gateway"],
        "payment_url": info["payment_url"],
        "payment_links": {"web": info["payment_url"], "expiry": expires_at},
        "request_number": info["request_number"],
        "amount": float(info["amount"]),
        "expires_at": expires_at,
        # What a client needs to open the gateway's own checkout (Razorpay: key_id, order id, currency).
        **{key: info[key] for key in ("key_id", "razorpay_order_id", "currency") if key in info},
    }


# --- returns ------------------------------------------------------------------------------


def return_item_row(item: ReturnItem) -> dict:
    return {
        "shipment_number": item.shipment.reference_number if item.shipment else None,
        **_product(item.order_item),
        "quantity": item.quantity,
        "return_reason": item.reason,
        "resolution": item.resolution,
    }


def return_row(order_return: OrderReturn) -> dict:
    """A return, from orders.selectors' returns (order, items and their parts loaded)."""
    return {
        "id": order_return.id,
        "request_number": order_return.request_number,
        "status": order_return.status,
        "items": [return_item_row(item) for item in order_return.items.all()],
        "order_number": order_return.order.number,
        "shipping_address": pickup_address_row(order_return.pickup_address),
        "comment": order_return.comment,
        "created_at": _dt(order_return.created_at),
        "modified_at": _dt(order_return.modified_at),
        "approved_at": _dt(order_return.approved_at),
        "rejected_at": _dt(order_return.rejected_at),
        "received_at": _dt(order_return.received_at),
        "attachments": return_attachments_row(order_return),
    }


def return_attachments_row(order_return: OrderReturn) -> dict:
    """The photos' absolute URLs (signed where the storage signs them); no videos are taken."""
    return {"images": [absolute_url(a.image.url) for a in order_return.attachments.all()], "videos": []}


def return_detail_row(order_return: OrderReturn) -> dict:
    """A return with its refunds and replacement order (orders.selectors.return_get_for_order)."""
    replacement = order_return.replacement_order
    return {
        **return_row(order_return),
        "refund": [refund_row(refund) for refund in order_return.refunds.all()],
        "replacement_order": None
        if replacement is None
        else {
            "order_number": replacement.number,
            "order_date": _dt(replacement.order_date),
            "order_status": replacement.status,
        },
    }
