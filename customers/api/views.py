"""Address book endpoints: parse, call a service or selector, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from common.api import ok
from common.idempotency import idempotent
from common.pagination import list_parameters, paginate_request
from common.permissions import IsOwner

from .. import selectors, services
from . import serializers as s


class CustomerView(APIView):
    """Endpoints under /customers/{user_id}: the path's customer must be the token's user."""

    permission_classes = [IsOwner]
    owner_kwarg = "user_id"


class AddressListView(CustomerView):
    @extend_schema(
        operation_id="list-addresses",
        parameters=list_parameters(sort_fields=selectors.ADDRESS_SORT_FIELDS),
        responses=s.AddressListContent,
        tags=["addresses"],
    )
    def get(self, request, user_id):
        addresses, pagination = paginate_request(
            request,
            selectors.address_list_for_customer(customer=request.user),
            sort_fields=selectors.ADDRESS_SORT_FIELDS,
            default_sort=selectors.ADDRESS_DEFAULT_SORT,
        )
        return ok({"addresses": s.AddressOutput(addresses, many=True).data, "pagination": pagination})

    @extend_schema(
        operation_id="create-address", request=s.AddressInput, responses=s.AddressContent, tags=["addresses"]
    )
    @idempotent
    def post(self, request, user_id):
        data = s.AddressInput(data=request.data)
        data.is_valid(raise_exception=True)
        address = services.address_create(customer=request.user, data=data.validated_data)
        return ok({"address": s.AddressOutput(address).data}, message="Address added.")


class AddressDetailView(CustomerView):
    def _address(self, request, address_id):
        return selectors.address_get_for_customer(customer=request.user, address_id=address_id)

    @extend_schema(operation_id="get-address-detail", responses=s.AddressContent, tags=["addresses"])
    def get(self, request, user_id, address_id):
        return ok({"address": s.AddressOutput(self._address(request, address_id)).data})

    @extend_schema(
        operation_id="update-address-detail",
        request=s.AddressInput,
        responses=s.AddressContent,
        tags=["addresses"],
    )
    def put(self, request, user_id, address_id):
        """Change the fields sent (a full or a partial address)."""
        address = self._address(request, address_id)
        data = s.AddressInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        address = services.address_update(address=address, data=data.validated_data)
        return ok({"address": s.AddressOutput(address).data}, message="Address saved.")

    @extend_schema(operation_id="delete-address", responses=None, tags=["addresses"])
    def delete(self, request, user_id, address_id):
        services.address_delete(address=self._address(request, address_id))
        return ok(None, message="Address deleted.")


class BankAccountListView(CustomerView):
    @extend_schema(
        operation_id="list-bank-accounts",
        parameters=list_parameters(sort_fields=selectors.BANK_ACCOUNT_SORT_FIELDS),
        responses=s.BankAccountListContent,
        tags=["bank accounts"],
    )
    def get(self, request, user_id):
        accounts, pagination = paginate_request(
            request,
            selectors.bank_account_list_for_customer(customer=request.user),
            sort_fields=selectors.BANK_ACCOUNT_SORT_FIELDS,
            default_sort=selectors.BANK_ACCOUNT_DEFAULT_SORT,
        )
        return ok({"bank_accounts": s.BankAccountOutput(accounts, many=True).data, "pagination": pagination})

    @extend_schema(
        operation_id="create-bank-account",
        request=s.BankAccountInput,
        responses=s.BankAccountContent,
        tags=["bank accounts"],
    )
    def post(self, request, user_id):
        """Add a bank account for refunds; staff verify it before it can be used."""
        data = s.BankAccountInput(data=request.data)
        data.is_valid(raise_exception=True)
        account = services.bank_account_create(customer=request.user, data=data.validated_data)
        return ok({"bank_account": s.BankAccountOutput(account).data}, message="Bank account added.")


class BankAccountDetailView(CustomerView):
    def _account(self, request, account_id):
        return selectors.bank_account_get_for_customer(customer=request.user, account_id=account_id)

    @extend_schema(operation_id="get-bank-account-detail", responses=s.BankAccountContent, tags=["bank accounts"])
    def get(self, request, user_id, account_id):
        return ok({"bank_account": s.BankAccountOutput(self._account(request, account_id)).data})

    @extend_schema(
        operation_id="update-bank-account",
        request=s.BankAccountUpdateInput,
        responses=s.BankAccountContent,
        tags=["bank accounts"],
    )
    def put(self, request, user_id, account_id):
        """Change details (a new number or IFSC must be verified again) or make it the default."""
        account = self._account(request, account_id)
        data = s.BankAccountUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        account = services.bank_account_update(account=account, data=data.validated_data)
        return ok({"bank_account": s.BankAccountOutput(account).data}, message="Bank account saved.")

    @extend_schema(operation_id="delete-bank-account", responses=None, tags=["bank accounts"])
    def delete(self, request, user_id, account_id):
        services.bank_account_delete(account=self._account(request, account_id))
        return ok(None, message="Bank account deleted.")


class BankAccountVerifyView(CustomerView):
    @extend_schema(
        operation_id="verify-bank-account",
        request=s.BankAccountVerifyInput,
        responses=s.BankAccountContent,
        tags=["bank accounts"],
    )
    @idempotent
    def post(self, request, user_id, account_id):
        """Ask for the account to be verified. Staff confirm it (a penny drop) and `is_verified`
        turns true; until then a bank-transfer refund cannot go to it. Asking again, or for a
        verified account, changes nothing."""
        account = selectors.bank_account_get_for_customer(customer=request.user, account_id=account_id)
        s.BankAccountVerifyInput(data=request.data).is_valid(raise_exception=True)
        account = services.bank_account_verification_request(account=account)
        message = (
            "This bank account is verified."
            if account.is_verified
            else "Verification requested: we confirm the account with a small deposit, then refunds can go to it."
        )
        return ok({"bank_account": s.BankAccountOutput(account).data}, message=message)
