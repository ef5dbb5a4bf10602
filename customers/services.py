"""Address book writes. The API, the website and the admin all call these.

Every write locks the customer's row first, so two requests of one customer (two tabs, a
double click, a retrying client) run one after the other: the address limit, the first-address
defaults and the switching of defaults cannot interleave. The partial unique constraints on
`Address` back this up in the database.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import customer_lock
from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput
from common.text import one_line

from .geography import address_fields_check
from .models import ADDRESS_EDITABLE_FIELDS, MAX_ADDRESSES_PER_CUSTOMER, Address, BankAccount, Subscription

DEFAULT_KINDS = ("is_default_billing", "is_default_shipping")

# What keeps a bank account from being deleted is known to the apps above this one (orders: a
# refund on its way to it). Each registers a check from its `AppConfig.ready()`: given the
# account, it answers why the account is held, or "" when it is not.
_bank_account_holds: dict[str, Callable[[BankAccount], str]] = {}


def bank_account_hold_register(*, app_label: str, check: Callable[[BankAccount], str]) -> None:
    """Called from an app's `AppConfig.ready()`: why that app holds a bank account, if it does."""
    _bank_account_holds[app_label] = check


# What a shopper types on one line of an address: kept as one printable line (`common.text`),
# so no line break reaches a label, an invoice or a courier's CSV.
_ONE_LINE_FIELDS = ("nickname", "first_name", "last_name", "address_line1", "address_line2", "landmark", "city")


def address_clean(data: dict) -> dict:
    """One line per text field, then the country-dependent checks (postal code format, known
    states), normalising the values."""
    data = dict(data)
    for name in _ONE_LINE_FIELDS:
        if data.get(name) is not None:
            data[name] = one_line(data[name], field=name, max_length=Address._meta.get_field(name).max_length)
    cleaned, errors = address_fields_check(
        country=data.get("country", ""),
        state=data.get("state", ""),
        pincode=data.get("pincode", ""),
        city=data.get("city"),
    )
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"{field}: {messages[0]}", errors=errors)
    return {**data, **cleaned}


def _take_default(address: Address, kind: str) -> None:
    """Make `address` the customer's only default of `kind` (in the caller's transaction)."""
    Address.objects.filter(customer_id=address.customer_id, **{kind: True}).exclude(pk=address.pk).update(
        **{kind: False}
    )
    setattr(address, kind, True)


@transaction.atomic
def address_create(*, customer: User, data: dict) -> Address:
    """Add an address; the customer's first one becomes both defaults."""
    customer_lock(customer)
    count = Address.objects.filter(customer=customer).count()
    if count >= MAX_ADDRESSES_PER_CUSTOMER:
        raise InvalidInput(
            gettext(
                "An address book holds at most %(max_addresses_per_customer)s addresses. Delete one you no longer use first."
            )
            % {"max_addresses_per_customer": MAX_ADDRESSES_PER_CUSTOMER},
            code=ErrorCode.LIMIT_EXCEEDED,
        )
    values = address_clean({k: v for k, v in data.items() if k in ADDRESS_EDITABLE_FIELDS})
    address = Address(customer=customer, **values)
    address.save()
    for kind in DEFAULT_KINDS:
        if data.get(kind) or count == 0:
            _take_default(address, kind)
    address.save(update_fields=[*DEFAULT_KINDS])
    return address


def _default_successor(address: Address) -> Address | None:
    """Who takes a default `address` gives up: the customer's most recently edited other address
    (the same rule as when a default address is deleted)."""
    return (
        Address.objects.filter(customer_id=address.customer_id)
        .exclude(pk=address.pk)
        .order_by("-modified_at", "-pk")
        .first()
    )


@transaction.atomic
def address_update(*, address: Address, data: dict) -> Address:
    """Change the fields present in `data`; `is_default_*: true` moves that default here.

    An address book always has exactly one default billing and one default shipping address
    (checkout and the subscriptions rely on them). `is_default_*: false` on the default hands the
    flag to the most recently edited other address; on the only address it is refused
    (`default_address_required`), as there is no other to take it."""
    customer_lock(address.customer)
    address = Address.objects.get(pk=address.pk)
    given_up = [kind for kind in DEFAULT_KINDS if data.get(kind) is False and getattr(address, kind)]
    successor = _default_successor(address) if given_up else None
    if given_up and successor is None:
        label = " and ".join("billing" if kind == "is_default_billing" else "shipping" for kind in given_up)
        message = f"This is your only address, so it stays your default {label} address. Add another address first."
        raise DomainError(
            message, code=ErrorCode.DEFAULT_ADDRESS_REQUIRED, errors={kind: [message] for kind in given_up}
        )
    changes = {k: v for k, v in data.items() if k in ADDRESS_EDITABLE_FIELDS}
    values = address_clean({**{f: getattr(address, f) for f in ADDRESS_EDITABLE_FIELDS}, **changes})
    if values["phone"] != address.phone or values["country_code"] != address.country_code:
        address.is_phone_verified = False
    if values["email"] != address.email:
        address.is_email_verified = False
    for field, value in values.items():
        setattr(address, field, value)
    for kind in DEFAULT_KINDS:
        if data.get(kind):
            _take_default(address, kind)
    for kind in given_up:
        setattr(address, kind, False)
    address.save()
    if given_up:
        # After this address lost its flags: the partial unique constraints allow one default each.
        Address.objects.filter(pk=successor.pk).update(**{kind: True for kind in given_up})
    return address


def address_set_default(*, address: Address, billing: bool = False, shipping: bool = False) -> Address:
    """Make `address` the default billing and/or shipping address."""
    return address_update(
        address=address, data={"is_default_billing": billing or None, "is_default_shipping": shipping or None}
    )


@transaction.atomic
def address_delete(*, address: Address) -> None:
    """Delete an address unless a live subscription uses it; defaults move to the newest-edited."""
    customer_lock(address.customer)
    address = Address.objects.get(pk=address.pk)
    subscription_id = (
        Subscription.objects.filter(status__in=Subscription.LIVE_STATUSES)
        .filter(Q(shipping_address=address) | Q(billing_address=address))
        .values_list("id", flat=True)
        .first()
    )
    if subscription_id is not None:
        raise DomainError(
            _("This address is used by a subscription. Change the subscription's address first."),
            code=ErrorCode.ADDRESS_IN_USE,
            subscription_id=subscription_id,
        )
    was_default = [kind for kind in DEFAULT_KINDS if getattr(address, kind)]
    customer_id = address.customer_id
    address.delete()
    if was_default:
        successor = Address.objects.filter(customer_id=customer_id).order_by("-modified_at", "-pk").first()
        if successor is not None:
            Address.objects.filter(pk=successor.pk).update(**{kind: True for kind in was_default})


# --- bank accounts ------------------------------------------------------------------------

BANK_ACCOUNT_FIELDS = ("account_name", "account_number", "ifsc_code", "bank_name")
MAX_BANK_ACCOUNTS_PER_CUSTOMER = 10


def _bank_account_take_default(account: BankAccount) -> None:
    BankAccount.objects.filter(customer_id=account.customer_id, is_default=True).exclude(pk=account.pk).update(
        is_default=False
    )
    account.is_default = True


@transaction.atomic
def bank_account_create(*, customer: User, data: dict) -> BankAccount:
    """Add a bank account (unverified until staff verify it); the first one is the default."""
    customer_lock(customer)
    existing = BankAccount.objects.filter(customer=customer)
    if existing.count() >= MAX_BANK_ACCOUNTS_PER_CUSTOMER:
        raise InvalidInput(
            gettext("At most %(max_bank_accounts_per_customer)s bank accounts.")
            % {"max_bank_accounts_per_customer": MAX_BANK_ACCOUNTS_PER_CUSTOMER},
            code=ErrorCode.LIMIT_EXCEEDED,
        )
    values = {k: data[k] for k in BANK_ACCOUNT_FIELDS}
    if existing.filter(account_number=values["account_number"], ifsc_code=values["ifsc_code"]).exists():
        raise DomainError(_("This bank account is already saved."), code=ErrorCode.CONFLICT)
    account = BankAccount.objects.create(customer=customer, **values)
    if data.get("is_default") or not existing.exclude(pk=account.pk).exists():
        _bank_account_take_default(account)
        account.save(update_fields=["is_default"])
    return account


@transaction.atomic
def bank_account_update(*, account: BankAccount, data: dict) -> BankAccount:
    """Change details (a changed number or IFSC needs verifying again) or make it the default."""
    customer_lock(account.customer)
    account = BankAccount.objects.get(pk=account.pk)
    changes = {k: v for k, v in data.items() if k in BANK_ACCOUNT_FIELDS and v != getattr(account, k)}
    if {"account_number", "ifsc_code"} & set(changes):
        account.is_verified, account.verified_at, account.verification_requested_at = False, None, None
    for field, value in changes.items():
        setattr(account, field, value)
    if data.get("is_default"):
        _bank_account_take_default(account)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise DomainError(_("This bank account is already saved."), code=ErrorCode.CONFLICT) from None
    return account


@transaction.atomic
def bank_account_delete(*, account: BankAccount) -> None:
    """Delete an account unless another app holds it (a refund still waits to be paid into it)."""
    customer_lock(account.customer)
    for check in _bank_account_holds.values():
        if reason := check(account):
            raise DomainError(reason, code=ErrorCode.ACCOUNT_IN_USE)
    was_default = account.is_default
    customer_id = account.customer_id
    account.delete()
    if was_default:
        successor = BankAccount.objects.filter(customer_id=customer_id).order_by("-modified_at", "-pk").first()
        if successor is not None:
            BankAccount.objects.filter(pk=successor.pk).update(is_default=True)


@transaction.atomic
def bank_account_verification_request(*, account: BankAccount) -> BankAccount:
    """The shopper asks for the account to be verified (the SDK's verify-bank-account). It is
    recorded once; staff then confirm it with `bank_account_verify` (the admin's "Mark verified",
    after a penny drop). The shopper's word never verifies an account: a bank-transfer refund
    goes only to an account staff have checked (CONTRACT: is_verified is set by staff)."""
    customer_lock(account.customer)
    account = BankAccount.objects.get(pk=account.pk)
    if not account.is_verified and account.verification_requested_at is None:
        account.verification_requested_at = timezone.now()
        account.save(update_fields=["verification_requested_at", "modified_at"])
    return account


def bank_account_verify(*, account: BankAccount) -> BankAccount:
    """Staff confirm the account belongs to the shopper (e.g. after a penny drop)."""
    BankAccount.objects.filter(pk=account.pk).update(is_verified=True, verified_at=timezone.now())
    account.refresh_from_db()
    return account
