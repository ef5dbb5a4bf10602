"""Address book endpoints: parse, call a service or selector, serialize."""

from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from common.api import ok
from common.exceptions import InvalidInput, NotFound
from common.idempotency import idempotent
from common.pagination import list_parameters, paginate_request
from common.parsers import FormParser, JSONParser, MultiPartParser
from common.permissions import IsOwner
from common.throttling import ClientIpScopedRateThrottle

from .. import documents, geography, selectors, services
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


# --- business documents ------------------------------------------------------------------------


class KycDocumentListView(APIView):
    """The store's own settings, the same for everyone: no shopper data, so no sign-in needed."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="list-kyc-document", responses=s.KycDocumentListContent, tags=["documents"])
    def get(self, request):
        """The document types the store takes from business buyers (GSTIN and PAN by default)."""
        kinds = list(documents.kyc_document_list())
        return ok({"kyc_documents": s.KycDocumentOutput(kinds, many=True).data, "is_kyc_enabled": bool(kinds)})


class DocumentView(CustomerView):
    owner_kwarg = "customer_id"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    # Writes may carry a photo (a decode and a re-encode each): the return photos' per-shopper
    # budget (`uploads`), shared with the website's Business details form. Reads are not limited.
    throttle_scope = "uploads"

    def get_throttles(self):
        return [ClientIpScopedRateThrottle()] if self.request.method in ("POST", "PUT") else []

    def _output(self, request, document):
        return s.DocumentOutput(document, context={"request": request}).data


class DocumentListView(DocumentView):
    @extend_schema(operation_id="list-documents", responses=s.DocumentListContent, tags=["documents"])
    def get(self, request, customer_id):
        """The shopper's documents, oldest first (one per type, so a short list: not paginated)."""
        found = documents.document_list_for_customer(customer=request.user)
        return ok({"documents": s.DocumentOutput(found, many=True, context={"request": request}).data})

    @extend_schema(
        operation_id="create-document",
        request={"multipart/form-data": s.DocumentInput, "application/json": s.DocumentInput},
        responses=s.DocumentContent,
        tags=["documents"],
    )
    @idempotent
    def post(self, request, customer_id):
        """Add the shopper's GSTIN, PAN or other document (one per type). A GSTIN's check character
        and a PAN's format are checked, and a GSTIN must contain the shopper's PAN when both are
        given (`gstin_pan_mismatch`); a type with automatic verification is approved at once,
        any other waits for staff (`status: submitted`)."""
        data = s.DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = documents.document_create(
            customer=request.user,
            kyc_document_id=data.validated_data["kyc_document_id"],
            document_number=data.validated_data["document_number"],
            note=data.validated_data["note"],
            upload=data.validated_data.get("file"),
        )
        return ok({"document": self._output(request, document)}, message="Document added.")


class DocumentVerifyView(DocumentView):
    parser_classes = [JSONParser]
    # Checks a number and stores nothing: not the photos' budget, but the per-address one of the
    # other checks an outsider could repeat (a shopper checking as they type stays well within it).
    throttle_scope = "auth"

    @extend_schema(
        operation_id="verify-document",
        request=s.DocumentVerifyInput,
        responses=s.DocumentCheckContent,
        tags=["documents"],
    )
    def post(self, request, customer_id):
        """Check a number before saving it: the type's format and check character, and the PAN a
        GSTIN contains against the shopper's PAN document. Nothing is stored; an invalid number is
        a 400 naming `document_number`. Checked offline: nothing is asked of the GST network."""
        data = s.DocumentVerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        found = documents.document_number_verify(
            customer=request.user,
            kyc_document_id=data.validated_data["document_type_id"],
            document_number=data.validated_data["document_number"],
        )
        checked = {
            "document_type": found.document_type,
            "document_number": found.document_number,
            "is_valid": True,
            **found.details,
        }
        return ok({"document": s.DocumentCheckOutput(checked).data}, message="The number is valid.")


class DocumentDetailView(DocumentView):
    def _document(self, request, document_id):
        return documents.document_get_for_customer(customer=request.user, document_id=document_id)

    @extend_schema(operation_id="get-document", responses=s.DocumentContent, tags=["documents"])
    def get(self, request, customer_id, document_id):
        return ok({"document": self._output(request, self._document(request, document_id))})

    @extend_schema(
        operation_id="update-document",
        request={"multipart/form-data": s.DocumentUpdateInput, "application/json": s.DocumentUpdateInput},
        responses=s.DocumentContent,
        tags=["documents"],
    )
    def put(self, request, customer_id, document_id):
        """Change the number, note or file (the type stays). A new number or file, or a rejected
        document sent again, is checked and verified anew."""
        document = self._document(request, document_id)
        data = s.DocumentUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        document = documents.document_update(
            document=document,
            document_number=values.get("document_number"),
            kyc_document_id=values.get("kyc_document_id"),
            note=values.get("note"),
            modified_reason=values["modified_reason"],
            upload=values.get("file"),
        )
        return ok({"document": self._output(request, document)}, message="Document saved.")

    @extend_schema(operation_id="delete-document", responses=None, tags=["documents"])
    def delete(self, request, customer_id, document_id):
        documents.document_delete(document=self._document(request, document_id))
        return ok(None, message="Document deleted.")


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


# --- countries, their states and postal codes (the SDK's helpers) ---------------------------


def _country_or_404(country_iso_code: str) -> geography.Country:
    country = geography.country_by_iso(country_iso_code)
    if country is None:
        raise NotFound(_("No such country: use an ISO 3166-1 alpha-2 code such as IN."))
    return country


def _country_content(country: geography.Country) -> dict:
    symbol, name = geography.currency_of(country)
    return {
        "id": country.iso,
        "country_name": country.name,
        "country_code": country.calling_code,
        "country_iso_code": country.iso,
        "currency_code": country.currency_code,
        "currency_symbol": symbol,
        "currency_name": name,
        "flag_icon_url": None,
        "postal_code_label": country.postal_label,
        "state_label": country.state_label if country.uses_state else "",
        "required_fields": sorted(country.required),
        "has_states": bool(country.states),
    }


@lru_cache(maxsize=1)
def _countries_content() -> list[dict]:
    """The country list's content, built once per process: it is the same for everyone, always."""
    return [_country_content(c) for c in geography.countries()]


class CountryListView(APIView):
    """Public reference data: no shopper's data, no sign-in."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="list-countries", responses=s.CountryListContent, tags=["common"])
    def get(self, request):
        """Every country an address may be in (Google's address data, CLDR's English names)."""
        return ok({"countries": _countries_content()})


class CountryStateListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="list-country-states", responses=s.CountryStateListContent, tags=["common"])
    def get(self, request, country_iso_code):
        """The country's states (provinces, counties...) as an address stores them; empty for a
        country whose addresses name none. 404 for an unknown code."""
        country = _country_or_404(country_iso_code)
        states = [
            {
                "id": f"{country.iso}-{state.iso}" if state.iso else state.key,
                "name": state.key,
                "iso_code": state.iso,
                "gst_code": geography.GST_STATE_CODES.get(state.iso) if country.iso == "IN" else None,
                "state_alias": state.name if state.name != state.key else None,
            }
            for state in country.states
        ]
        return ok({"states": states})


class CountryPincodeListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="list-country-pincodes",
        parameters=[
            *list_parameters(sort_fields={"pincode": "pincode"}),
            OpenApiParameter("pincode", str, description="The first 3 or more characters of the code."),
        ],
        responses=s.PincodeListContent,
        tags=["common"],
    )
    def get(self, request, country_iso_code):
        """The country's postal codes with their city and state, a page at a time: India's PIN
        codes from India Post's directory (19,586 codes, each with the district most of its post
        offices are in); other countries have none listed yet (an empty list)."""
        country = _country_or_404(country_iso_code)
        prefix = " ".join(request.query_params.get("pincode", "").split()).upper()
        if prefix and (len(prefix) < 3 or len(prefix) > 12):
            raise InvalidInput.for_field("pincode", _("Give the first 3 to 12 characters of the code."))
        rows, pagination = paginate_request(
            request,
            selectors.pincodes_of(country_iso_code=country.iso, prefix=prefix),
            sort_fields={"pincode": "pincode"},
            default_sort={"pincode": "asc"},
        )
        pincodes = [
            {
                "pincode": row.pincode,
                "city": row.city,
                "state_name": row.state,
                "country_name": country.name,
                "country_iso_code": country.iso,
            }
            for row in rows
        ]
        return ok({"pincodes": pincodes, "pagination": pagination})
