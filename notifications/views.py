"""The website's "Messages" page: what the shop sent the shopper, and how it went."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import message_list_for_user


@login_required
def message_list(request):
    page = Paginator(message_list_for_user(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "account/messages.html", {"page": page})
