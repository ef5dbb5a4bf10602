"""Address book writes. The API, the website and the admin all call these.

Every write locks the customer's row first, so two requests of one customer (two tabs, a
double click, a retrying client) run one after the other: the address limit, the first-address
defaults and the switching of defaults cannot interleave. The partial unique constraints on
`Address` back this up in the database.
"""

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from common.exceptions import DomainError, InvalidInput

from .geography import address_fields_check
from .models import MAX_ADDRESSES_PER_CUSTOMER, Address, Subscription

ADDRESS_FIELDS = (
    "nickname", "first_name", "last_name", "country_code", "phone", "email", "address_line1",
    "address_line2", "landmark", "pincode", "city", "state", "country",
    "tax_identification_number", "business_name",
)
DEFAULT_KINDS = ("is_default_billing", "is_default_shipping")


def _lock_customer(customer: User) -> None:
    User.objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).get()


def address_clean(data: dict) -> dict:
    """Country-dependent checks (postal code format, known states), normalising the values."""
    cleaned, errors = address_fields_check(
        country=data.get("country", ""), state=data.get("state", ""), pincode=data.get("pincode", "")
    )
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"{field}: {messages[0]}", errors=errors)
    return {**data, **cleaned}


def _take_default(address: Address, kind: str) -> None:
    """Make `address` the customer's only default of `kind` (in the caller's transaction)."""
    Address.objects.filter(customer_id=address.customer_id, **{kind: True}).exclude(
        pk=address.pk
    ).update(**{kind: False})
    setattr(address, kind, True)


@transaction.atomic
def address_create(*, customer: User, data: dict) -> Address:
    """Add an address; the customer's first one becomes both defaults."""
    _lock_customer(customer)
    count = Address.objects.filter(customer=customer).count()
    if count >= MAX_ADDRESSES_PER_CUSTOMER:
        raise InvalidInput(
            f"An address book holds at most {MAX_ADDRESSES_PER_CUSTOMER} addresses. "
            "Delete one you no longer use first.",
            code="limit_exceeded",
        )
    values = address_clean({k: v for k, v in data.items() if k in ADDRESS_FIELDS})
    address = Address(customer=customer, **values)
    address.save()
    for kind in DEFAULT_KINDS:
        if data.get(kind) or count == 0:
            _take_default(address, kind)
    address.save(update_fields=[*DEFAULT_KINDS])
    return address


@transaction.atomic
def address_update(*, address: Address, data: dict) -> Address:
    """Change the fields present in `data`; `is_default_*: true` moves that default here."""
    _lock_customer(address.customer)
    address = Address.objects.get(pk=address.pk)
    for kind in DEFAULT_KINDS:
        if data.get(kind) is False and getattr(address, kind):
            label = "billing" if kind == "is_default_billing" else "shipping"
            message = f"This is your default {label} address. Make another address the default instead."
            raise InvalidInput(message, errors={kind: [message]})
    changes = {k: v for k, v in data.items() if k in ADDRESS_FIELDS}
    values = address_clean({**{f: getattr(address, f) for f in ADDRESS_FIELDS}, **changes})
    if values["phone"] != address.phone or values["country_code"] != address.country_code:
        address.is_phone_verified = False
    if values["email"] != address.email:
        address.is_email_verified = False
    for field, value in values.items():
        setattr(address, field, value)
    for kind in DEFAULT_KINDS:
        if data.get(kind):
            _take_default(address, kind)
    address.save()
    return address


def address_set_default(*, address: Address, billing: bool = False, shipping: bool = False) -> Address:
    """Make `address` the default billing and/or shipping address."""
    return address_update(
        address=address, data={"is_default_billing": billing or None, "is_default_shipping": shipping or None}
    )


@transaction.atomic
def address_delete(*, address: Address) -> None:
    """Delete an address unless a live subscription uses it; defaults move to the newest-edited."""
    _lock_customer(address.customer)
    address = Address.objects.get(pk=address.pk)
    subscription_id = (
        Subscription.objects.filter(status__in=Subscription.LIVE_STATUSES)
        .filter(Q(shipping_address=address) | Q(billing_address=address))
        .values_list("id", flat=True)
        .first()
    )
    if subscription_id is not None:
        raise DomainError(
            "This address is used by a subscription. Change the subscription's address first.",
            code="address_in_use",
            subscription_id=subscription_id,
        )
    was_default = [kind for kind in DEFAULT_KINDS if getattr(address, kind)]
    customer_id = address.customer_id
    address.delete()
    if was_default:
        successor = (
            Address.objects.filter(customer_id=customer_id).order_by("-modified_at", "-pk").first()
        )
        if successor is not None:
            Address.objects.filter(pk=successor.pk).update(**{kind: True for kind in was_default})
