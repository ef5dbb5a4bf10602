"""Address book reads, always scoped to one customer."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.db import list_db
from common.exceptions import NotFound

from .models import Address, BankAccount, Pincode

ADDRESS_SORT_FIELDS = {"created_at": "created_at", "modified_at": "modified_at"}
ADDRESS_DEFAULT_SORT = {"created_at": "desc"}


def address_list_for_customer(*, customer) -> QuerySet[Address]:
    return Address.objects.using(list_db()).filter(customer=customer)


def address_get_for_customer(*, customer, address_id: str) -> Address:
    """The customer's address, or 404 (another shopper's address is simply not found)."""
    address = Address.objects.filter(customer=customer, pk=str(address_id).upper()).first()
    if address is None:
        raise NotFound(_("Address not found."))
    return address


BANK_ACCOUNT_SORT_FIELDS = {"created_at": "created_at"}
BANK_ACCOUNT_DEFAULT_SORT = {"created_at": "desc"}


def bank_account_list_for_customer(*, customer) -> QuerySet[BankAccount]:
    return BankAccount.objects.filter(customer=customer)


def bank_account_get_for_customer(*, customer, account_id: str) -> BankAccount:
    account = BankAccount.objects.filter(customer=customer, pk=str(account_id).upper()).first()
    if account is None:
        raise NotFound(_("Bank account not found."))
    return account


def default_addresses(*, customer) -> tuple[Address | None, Address | None]:
    """The customer's default (billing, shipping) addresses, in one query."""
    billing = shipping = None
    for address in Address.objects.filter(customer=customer).filter(
        Q(is_default_billing=True) | Q(is_default_shipping=True)
    ):
        billing = address if address.is_default_billing else billing
        shipping = address if address.is_default_shipping else shipping
    return billing, shipping


def pincodes_of(*, country_iso_code: str, prefix: str = ""):
    """The postal codes we list for a country (India's PIN codes; none elsewhere), those starting
    with `prefix` when given."""
    rows = Pincode.objects.filter(country_iso_code=country_iso_code)
    return rows.filter(pincode__startswith=prefix) if prefix else rows
