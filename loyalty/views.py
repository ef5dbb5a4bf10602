"""The website's rewards page: the balance and tier, what points are worth and how to use them,
what each tier gives and how far the next is, and the activity, each row linked to its order."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .selectors import activity_order_numbers, loyalty_summary, points_activity_for_customer, rewards_guide
from .services import loyalty_account_ensure


@login_required
def loyalty_page(request):
    if not settings.LOYALTY_ENABLED:
        raise Http404("The loyalty program is not available.")
    account = loyalty_account_ensure(customer=request.user)
    activity = points_activity_for_customer(customer=request.user).order_by("-created_at", "-pk")
    page = Paginator(activity, 15).get_page(request.GET.get("page"))
    return render(
        request,
        "account/loyalty.html",
        {
            "loyalty": loyalty_summary(account=account),
            "guide": rewards_guide(account=account),
            "page": page,
            "order_numbers": activity_order_numbers(customer=request.user, entries=page.object_list),
        },
    )
