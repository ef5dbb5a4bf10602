"""Website pages of the address book, on customers.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from common.exceptions import DomainError, NotFound
from common.forms import add_domain_error
from common.throttling import rate_limited

from . import documents, selectors, services
from .forms import AddressForm, DocumentForm


def _address_or_404(request, address_id):
    try:
        return selectors.address_get_for_customer(customer=request.user, address_id=address_id)
    except NotFound:
        raise Http404("Address not found") from None


@login_required
def address_list(request):
    addresses = selectors.address_list_for_customer(customer=request.user).order_by(
        "-is_default_shipping", "-is_default_billing", "-created_at"
    )
    page = Paginator(addresses, 12).get_page(request.GET.get("page"))
    return render(request, "account/addresses.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request, address_id=None):
    address = _address_or_404(request, address_id) if address_id else None
    initial = (
        {**{f: getattr(address, f) for f in AddressForm.base_fields}, "country_code": address.country_code}
        if address
        else {}
    )
    if request.method == "POST" and "refresh_country" in request.POST:
        # "Show the fields for this country": the same form, what was typed kept, no errors yet.
        typed = {k: v for k, v in request.POST.items() if k in AddressForm.base_fields}
        form = AddressForm(initial={**initial, **typed, "country_code": None})
        form.fields["country"].widget.attrs["autofocus"] = True
        return render(request, "account/address_form.html", {"form": form, "address": address})
    form = AddressForm(request.POST or None, initial=initial)
    if address:
        # Already the default: the box stays ticked and cannot be unticked here.
        for kind in ("is_default_billing", "is_default_shipping"):
            if getattr(address, kind):
                form.fields[kind].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if address:
                services.address_update(address=address, data=form.service_data())
                messages.success(request, gettext("Address saved."))
            else:
                services.address_create(customer=request.user, data=form.service_data())
                messages.success(request, gettext("Address added."))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("portal:addresses")
    return render(request, "account/address_form.html", {"form": form, "address": address})


def _deleted_message(customer, was_default: list[str]) -> str:
    """After deleting a default address, say which address took over (the service picks it)."""
    if not was_default:
        return "Address deleted."
    billing, shipping = selectors.default_addresses(customer=customer)
    successors = {"shipping": shipping, "billing": billing}
    said = []
    for kind in was_default:
        successor = successors[kind]
        if successor is not None:
            said.append(f"{_address_name(successor)} is now your default {kind} address")
    if not said:
        return "Address deleted. You have no address left; add one before your next order."
    if len(said) == 2 and shipping.pk == billing.pk:
        said = [f"{_address_name(shipping)} is now your default shipping and billing address"]
    return f"Address deleted. {'; '.join(said)}."


def _address_name(address) -> str:
    label = address.nickname or f"{address.first_name} {address.last_name}".strip()
    return f"{label} ({address.address_line1}, {address.city})"


@login_required
@require_http_methods(["GET", "POST"])
def address_delete(request, address_id):
    address = _address_or_404(request, address_id)
    error = None
    was_default = [kind for kind in ("shipping", "billing") if getattr(address, f"is_default_{kind}")]
    if request.method == "POST":
        try:
            services.address_delete(address=address)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _deleted_message(request.user, was_default))
            return redirect("portal:addresses")
    return render(
        request, "account/address_delete.html", {"address": address, "error": error}, status=409 if error else 200
    )


@login_required
@require_POST
def address_default(request, address_id, kind):
    address = _address_or_404(request, address_id)
    services.address_set_default(address=address, billing=kind == "billing", shipping=kind == "shipping")
    messages.success(
        request,
        gettext("Default billing address updated.")
        if kind == "billing"
        else gettext("Default shipping address updated."),
    )
    return redirect("portal:addresses")


# --- business details (GSTIN, PAN) -------------------------------------------------------------


def _business_sections(request, bound: DocumentForm | None = None) -> list[dict]:
    """One section per document type the store takes: the shopper's document, if any, and a form."""
    mine = {d.kyc_document_id: d for d in documents.document_list_for_customer(customer=request.user)}
    sections = []
    for kyc in documents.kyc_document_list():
        document = mine.pop(kyc.pk, None)
        if bound is not None and bound.kyc_document.pk == kyc.pk:
            form = bound
        else:
            form = DocumentForm(
                kyc_document=kyc,
                initial={"document_number": document.document_number, "note": document.note} if document else None,
            )
        sections.append(
            {
                "kyc": kyc,
                "document": document,
                "status_text": documents.document_status_text(document) if document else "",
                "form": form,
            }
        )
    # A document of a type the store no longer takes is still shown, so it can be removed.
    for document in mine.values():
        sections.append(
            {
                "kyc": document.kyc_document,
                "document": document,
                "status_text": documents.document_status_text(document),
                "form": None,
            }
        )
    return sections


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("uploads")  # the API's budget for the same writes (customers.api.views.DocumentView)
def business_details(request):
    """Add, change or remove the shopper's GSTIN and PAN; errors show on the form they came from."""
    bound = None
    if request.method == "POST":
        kyc = documents.kyc_document_list().filter(pk=request.POST.get("kyc_document_id", "")).first()
        if kyc is None:
            raise Http404("Document type not found")
        document = request.user.documents.filter(kyc_document=kyc).first()
        bound = DocumentForm(request.POST, request.FILES, kyc_document=kyc)
        if bound.is_valid():
            values = bound.cleaned_data
            try:
                if document:
                    documents.document_update(
                        document=document,
                        document_number=values["document_number"],
                        note=values["note"],
                        upload=values["file"] or None,
                    )
                else:
                    documents.document_create(
                        customer=request.user,
                        kyc_document_id=kyc.pk,
                        document_number=values["document_number"],
                        note=values["note"],
                        upload=values["file"] or None,
                    )
            except DomainError as exc:
                add_domain_error(bound, exc)
            else:
                messages.success(request, gettext("Your %(title)s is saved.") % {"title": kyc.title})
                return redirect("portal:business-details")
    return render(request, "account/business_details.html", {"sections": _business_sections(request, bound)})


@login_required
@require_POST
def business_document_delete(request, document_id):
    try:
        document = documents.document_get_for_customer(customer=request.user, document_id=document_id)
    except NotFound:
        raise Http404("Document not found") from None
    documents.document_delete(document=document)
    messages.success(request, gettext("Your %(title)s is removed.") % {"title": document.kyc_document.title})
    return redirect("portal:business-details")
