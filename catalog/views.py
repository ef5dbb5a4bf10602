"""The website's wishlist page (under /account/wishlist/) and "Save for later" on the order
page: the same services and selectors as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from common.exceptions import DomainError

from . import selectors, services

PAGE_SIZE = 24


@login_required
def wishlist_page(request):
    entries = selectors.wishlist_for_customer(customer=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.shop_url = selectors.storefront_product_url(entry.product.slug)
    return render(request, "account/wishlist.html", {"page": page})


@login_required
@require_POST
def wishlist_save(request):
    """ "Save for later" (a form, so it works without JavaScript): back to the page it came from."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    try:
        entry = services.wishlist_add(customer=request.user, product_id=request.POST.get("product_id", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("%(name)s is saved to your wishlist.") % {"name": entry.product.name})
    return redirect(back or "portal:wishlist")


@login_required
@require_POST
def wishlist_remove(request, product_id):
    try:
        services.wishlist_remove(customer=request.user, product_id=product_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Removed from your wishlist."))
    return redirect("portal:wishlist")
