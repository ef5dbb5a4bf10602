"""What the address book holds about a shopper, erased and exported when they ask
(`accounts.erasure` calls these; registered in `CustomersConfig.ready`)."""

from accounts.audit import audit_forget

from .api.serializers import AddressOutput, BankAccountOutput, DocumentOutput
from .models import Address, BankAccount, Document, Subscription, SubscriptionStatus


def customer_erase(*, user) -> None:
    """Cancel the subscriptions, delete the addresses, the business documents (their files go
    after commit: accounts.erasure finds them through Document.customer) and the bank accounts.

    A bank account a refund points at stays as a husk with its last four digits only: the
    refund record is the shop's, and must still say where the money went.
    """
    # The staff audit log's entries about them hold what they were: they go too.
    audit_forget(Address, user.addresses.values_list("pk", flat=True))
    audit_forget(Document, Document.objects.filter(customer=user).values_list("pk", flat=True))
    audit_forget(BankAccount, BankAccount.objects.filter(customer=user).values_list("pk", flat=True))
    Subscription.objects.filter(customer=user).exclude(status=SubscriptionStatus.CANCELLED).update(
        status=SubscriptionStatus.CANCELLED
    )
    user.addresses.all().delete()
    Document.objects.filter(customer=user).delete()
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
    """The addresses, bank accounts (numbers masked, as the API shows them) and business documents."""
    documents = Document.objects.filter(customer=user).select_related("kyc_document").order_by("created_at", "pk")
    return {
        "addresses": AddressOutput(user.addresses.all(), many=True).data,
        "bank_accounts": BankAccountOutput(user.bank_accounts.all(), many=True).data,
        "documents": DocumentOutput(documents, many=True, context={"request": request}).data,
    }
