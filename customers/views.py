"""Website pages of the address book, on customers.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.exceptions import DomainError, NotFound
from common.forms import add_domain_error

from . import selectors, services
from .forms import AddressForm


def _address_or_404(request, address_id):
    try:
        return selectors.address_get_for_customer(customer=request.user, address_id=address_id)
    except NotFound:
        raise Http404("Address not found")


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
    initial = {f: getattr(address, f) for f in AddressForm.base_fields} if address else {"country": "India"}
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
                messages.success(request, "Address saved.")
            else:
                services.address_create(customer=request.user, data=form.service_data())
                messages.success(request, "Address added.")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("portal:addresses")
    return render(request, "account/address_form.html", {"form": form, "address": address})


@login_required
@require_http_methods(["GET", "POST"])
def address_delete(request, address_id):
    address = _address_or_404(request, address_id)
    error = None
    if request.method == "POST":
        try:
            services.address_delete(address=address)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "Address deleted.")
            return redirect("portal:addresses")
    return render(request, "account/address_delete.html", {"address": address, "error": error},
                  status=409 if error else 200)


@login_required
@require_POST
def address_default(request, address_id, kind):
    address = _address_or_404(request, address_id)
    services.address_set_default(address=address, billing=kind == "billing", shipping=kind == "shipping")
    messages.success(request, f"Default {kind} address updated.")
    return redirect("portal:addresses")
