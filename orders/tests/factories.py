"""Orders built through the real services, at any point of their life."""

from decimal import Decimal

from customers.models import BankAccount
from customers.services import bank_account_create, bank_account_verify
from customers.tests.factories import make_address, make_product
from orders import services
from orders.models import Order


def products(count: int = 2):
    from catalog.models import Product

    made = []
    for n in range(1, count + 1):
        made.append(Product.objects.filter(sku=f"SKU-{n:04d}").first() or make_product(n))
    return made


def place(
    customer, *, quantities=(2, 1), outcome="success", points=0, shipping="50.00", address=None, **extra
) -> Order:
    address = address or customer.addresses.first() or make_address(customer)
    lines = [
        services.OrderLine(product=p, quantity=q) for p, q in zip(products(len(quantities)), quantities, strict=True)
    ]
    order = services.order_place(
        services.Placement(
            customer=customer,
            lines=lines,
            billing_address=address,
            shipping_amount_including_tax=Decimal(shipping),
            loyalty_points_redeemed=points,
            payment_details={"card_last4": "4242", "card_type": "Visa"},
            **extra,
        )
    )
    payment = order.payments.first()  # none when there was nothing to pay
    if payment is None or outcome == "pending":
        return order
    # The checkout's answer, as the storefront reports it.
    paid = outcome == "success"
    return services.payment_checkout_settle(
        payment=payment,
        succeeded=paid,
        reference=f"TXN{payment.request_number[4:]}" if paid else "",
        reason="" if paid else "Declined by the bank",
        at=order.order_date,
    )


def shipped(customer, **kwargs) -> Order:
    order = place(customer, **kwargs)
    services.shipment_create(
        order=order, courier_company_name="BlueDart", awb_no="AWB123", tracking_url="https://track.example.com/AWB123"
    )
    return Order.objects.get(pk=order.pk)


def delivered(customer, *, delivered_at=None, **kwargs) -> Order:
    order = shipped(customer, **kwargs)
    services.shipment_deliver(shipment=order.shipments.get(), delivered_at=delivered_at)
    return Order.objects.get(pk=order.pk)


def completed(customer, **kwargs) -> Order:
    order = delivered(customer, **kwargs)
    return services.order_complete(order=order)


def verified_bank_account(customer) -> BankAccount:
    account = bank_account_create(
        customer=customer,
        data={
            "account_name": "Meera Nair",
            "account_number": "123456789012",
            "ifsc_code": "HDFC0001234",
            "bank_name": "HDFC Bank",
        },
    )
    return bank_account_verify(account=account)


def orders_in_every_state(customer) -> list[Order]:
    """Orders of `customer` in every order status, with every part an order can have: a coupon,
    a note, failed and pending attempts, a refund to a bank account, partial shipments, returns
    with a refund, a replacement and a pickup address.

    The statuses no service sets yet (a warehouse's tools would) are written onto placed orders
    directly: whatever reads orders must hold for them too.
    """
    from orders.models import OrderStatus, Resolution

    account = verified_bank_account(customer)
    made = [
        place(customer, quantities=(2, 1), coupon_code="WELCOME10", coupon_discount_amount=Decimal("25.00")),
        place(customer, outcome="failed", customer_note="Ring twice"),
        place(customer, outcome="pending", payment_method="upi"),
        services.order_cancel(
            order=place(customer), reason="Ordered twice", refund_mode="bank-transfer", bank_account_id=account.id
        ),
        shipped(customer, payment_method="netbanking"),
        completed(customer),
    ]
    partly = place(customer, quantities=(2, 1))
    first, second = partly.items.all()
    services.shipment_create(order=partly, items=[(first, 1)])
    made.append(Order.objects.get(pk=partly.pk))  # partially shipped
    partly = place(customer, quantities=(2, 1))
    first, second = partly.items.all()
    services.shipment_deliver(shipment=services.shipment_create(order=partly, items=[(first, 2)]))
    services.shipment_create(order=partly, items=[(second, 1)])
    made.append(Order.objects.get(pk=partly.pk))  # partially delivered

    returned = delivered(customer, quantities=(2, 1))
    first, second = returned.items.all()
    services.return_create(
        order=returned,
        lines=[
            services.ReturnRequestLine(order_item=first, quantity=1, reason="Too small", resolution=Resolution.REFUND)
        ],
        pickup_address={
            "first_name": "Meera",
            "last_name": None,
            "phone": "9123456780",
            "address_line1": "12 MG Road",
            "address_line2": None,
            "pincode": "560001",
            "city": "Bengaluru",
            "state": "Karnataka",
            "country": "India",
        },
    )
    settled = services.return_create(
        order=returned,
        lines=[
            services.ReturnRequestLine(
                order_item=second, quantity=1, reason="Broken", resolution=Resolution.REPLACEMENT
            ),
            services.ReturnRequestLine(order_item=first, quantity=1, reason="Too big", resolution=Resolution.REFUND),
        ],
    )
    services.return_approve(order_return=settled)
    services.return_receive(order_return=settled)
    services.return_complete(order_return=settled)
    made.append(Order.objects.get(pk=returned.pk))

    reached = {order.status for order in made}
    for status in OrderStatus.values:
        if status not in reached:
            order = place(customer, quantities=(1,))
            Order.objects.filter(pk=order.pk).update(status=status)
            made.append(Order.objects.get(pk=order.pk))
    made.extend(Order.objects.filter(customer=customer).exclude(pk__in=[o.pk for o in made]))  # replacements
    return made
