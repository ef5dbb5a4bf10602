"""The demo shopper's address book and subscription for `seed_demo`."""

from .documents import kyc_documents_seed
from .models import Address, Subscription
from .services import address_create

HOME = {
    "nickname": "Home",
    "first_name": "Asha",
    "last_name": "Verma",
    "phone": "9876543210",
    "email": "demo@example.com",
    "address_line1": "221 Residency Road",
    "address_line2": "Apartment 5C",
    "landmark": "Near Richmond Circle",
    "pincode": "560025",
    "city": "Bengaluru",
    "state": "Karnataka",
    "country": "India",
}
OFFICE = {
    "nickname": "Office",
    "first_name": "Asha",
    "last_name": "Verma",
    "phone": "9876543210",
    "email": "asha.verma@example.com",
    "address_line1": "Level 7, Prestige Tech Park",
    "address_line2": "Outer Ring Road",
    "landmark": "Kadubeesanahalli",
    "pincode": "560103",
    "city": "Bengaluru",
    "state": "Karnataka",
    "country": "India",
    "business_name": "Verma Designs",
}
PARENTS = {
    "nickname": "Parents",
    "first_name": "Ramesh",
    "last_name": "Verma",
    "phone": "9812345678",
    "email": "",
    "address_line1": "14 Civil Lines",
    "pincode": "302006",
    "city": "Jaipur",
    "state": "Rajasthan",
    "country": "India",
}


def seed_address_book(shopper, products) -> None:
    kyc_documents_seed()  # the store's document types (GSTIN, PAN), as the migration made them
    if Address.objects.filter(customer=shopper).exists():
        return
    home = address_create(customer=shopper, data={**HOME, "is_default_billing": True})
    office = address_create(customer=shopper, data={**OFFICE, "is_default_shipping": True})
    address_create(customer=shopper, data=PARENTS)
    Subscription.objects.create(customer=shopper, product=products[0], shipping_address=office, billing_address=home)
