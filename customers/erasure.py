"""What the address book holds about a shopper, erased and exported when they ask
(`accounts.erasure` calls these; registered in `CustomersConfig.ready`)."""

from .api.serializers import AddressOutput, BankAccountOutput
from .models import BankAccount, Subscription, SubscriptionStatus


def customer_erase(*, user) -> None:
    """Cancel the subscriptions, delete the addresses and the bank accounts.

    A bank account a refund points at stays as a husk with its last four digits only: the
    refund record is the shop's, and must still say where the money went.
    """
    Subscription.objects.filter(customer=user).exclude(status=SubscriptionStatus.CANCELLED).update(
        status=SubscriptionStatus.CANCELLED
    )
    user.addresses.all().delete()
    for account in BankAccount.objects.filter(customer=user):
        if account.refunds.exists():
            BankAccount.objects.filter(pk=account.pk).update(
                account_name="",
                account_number=account.account_number[-4:],
                ifsc_code="",
                bank_name="",
                is_default=False,
            )
        else:
            account.delete()


def customer_export(*, user, request) -> dict:
    """The addresses and bank accounts (numbers masked, as the API shows them)."""
    return {
        "addresses": AddressOutput(user.addresses.all(), many=True).data,
        "bank_accounts": BankAccountOutput(user.bank_accounts.all(), many=True).data,
    }
