"""The website's rewards page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .selectors import loyalty_summary, points_activity_for_customer
from .services import loyalty_account_ensure


@login_required
def loyalty_page(request):
    if not settings.LOYALTY_ENABLED:
        raise Http404("The loyalty program is not available.")
    account = loyalty_account_ensure(customer=request.user)
    activity = points_activity_for_customer(customer=request.user).order_by("-created_at", "-pk")
    page = Paginator(activity, 15).get_page(request.GET.get("page"))
    return render(request, "account/loyalty.html", {"loyalty": loyalty_summary(account=account), "page": page})
