"""The demo shopper's orders for `seed_demo`: one at each point of an order's life."""

from datetime import timedelta

from django.utils import timezone

from customers.models import BankAccount
from customers.services import bank_account_create, bank_account_verify

from . import services
from .models import Order, Refund


def _place(shopper, address, lines, *, days_ago, paid=True, method="card", details=None):
    """An order placed `days_ago`, whose checkout took the payment there and then (or was
    declined by the bank), as the demo tells it."""
    order = services.order_place(
        services.Placement(
            customer=shopper,
            lines=[services.OrderLine(product=p, quantity=q) for p, q in lines],
            billing_address=address,
            shipping_amount_including_tax=49,
            payment_method=method,
            payment_details=details or {"card_last4": "4242", "card_type": "Visa"},
            order_date=timezone.now() - timedelta(days=days_ago),
        )
    )
    payment = order.payments.get()
    if paid:
        reference, reason = f"TXN{payment.request_number[4:]}", ""
    else:
        reference, reason = "", "Declined by the bank"
    return services.payment_checkout_settle(
        payment=payment, succeeded=paid, reference=reference, reason=reason, at=order.order_date
    )


def _ship(order, awb):
    shipped_at = order.order_date + timedelta(days=1)
    return services.shipment_create(
        order=order,
        courier_company_name="BlueDart",
        awb_no=awb,
        tracking_url=f"https://www.bluedart.com/tracking?awb={awb}",
        eta_delivery=shipped_at + timedelta(days=3),
        shipped_at=shipped_at,
    )


def seed_orders(shopper, products) -> None:
    if not BankAccount.objects.filter(customer=shopper).exists():
        account = bank_account_create(
            customer=shopper,
            data={
                "account_name": "Asha Verma",
                "account_number": "50100234567890",
                "ifsc_code": "HDFC0000240",
                "bank_name": "HDFC Bank",
            },
        )
        bank_account_verify(account=account)
    if Order.objects.filter(customer=shopper).exists():
        return
    home = shopper.addresses.filter(is_default_shipping=True).first() or shopper.addresses.first()
    p = products

    # Complete, delivered long ago: earned points that have cleared.
    complete = _place(shopper, home, [(p[5], 2)], days_ago=40)
    _ship(complete, "BD100000001")
    services.shipment_deliver(shipment=complete.shipments.get(), delivered_at=timezone.now() - timedelta(days=35))
    services.order_complete(order=complete)

    # Cancelled, with its refund paid back.
    cancelled = _place(shopper, home, [(p[1], 1)], days_ago=12, method="upi", details={"upi_id": "asha@okhdfc"})
    services.order_cancel(order=cancelled, reason="Ordered the wrong size", refund_mode="original-payment-mode")
    refund = Refund.objects.get(order=cancelled)
    services.refund_issue(refund=refund)
    services.refund_succeed(refund=refund, reference="UTR4455667788")

    # Delivered three days ago: returnable, its products waiting for a review.
    delivered = _place(shopper, home, [(p[3], 1), (p[4], 2)], days_ago=6)
    _ship(delivered, "BD100000002")
    services.shipment_deliver(shipment=delivered.shipments.get(), delivered_at=timezone.now() - timedelta(days=3))

    # Shipped: on its way, no longer cancellable.
    shipped = _place(shopper, home, [(p[2], 1)], days_ago=2, method="netbanking", details={"bank_name": "ICICI Bank"})
    _ship(shipped, "BD100000003")

    # Payment failed: a retry is available.
    _place(shopper, home, [(p[0], 3)], days_ago=0, paid=False, method="upi", details={"upi_id": "asha@okhdfc"})

    # Confirmed and paid: can still be cancelled.
    _place(shopper, home, [(p[0], 1), (p[1], 2)], days_ago=0)
