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


def place(customer, *, quantities=(2, 1), outcome="success", points=0, shipping="50.00", address=None, **extra) -> Order:
    address = address or customer.addresses.first() or make_address(customer)
    lines = [services.OrderLine(product=p, quantity=q) for p, q in zip(products(len(quantities)), quantities)]
    return services.order_place(
        services.Placement(
            customer=customer,
            lines=lines,
            billing_address=address,
            shipping_amount_including_tax=Decimal(shipping),
            loyalty_points_redeemed=points,
            payment_outcome=outcome,
            payment_details={"card_last4": "4242", "card_type": "Visa"},
            **extra,
        )
    )


def shipped(customer, **kwargs) -> Order:
    order = place(customer, **kwargs)
    services.shipment_create(order=order, courier_company_name="BlueDart", awb_no="AWB123",
                             tracking_url="https://track.example.com/AWB123")
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
        data={"account_name": "Meera Nair", "account_number": "123456789012", "ifsc_code": "HDFC0001234",
              "bank_name": "HDFC Bank"},
    )
    return bank_account_verify(account=account)
