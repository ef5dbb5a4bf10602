"""The website's "Messages" page (what the shop sent the shopper, and how it went) and the
one-click unsubscribe page of promotional and newsletter emails."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Channel, Kind
from .selectors import message_events, message_list_for_user
from .services import message_text
from .unsubscribe import BadToken, unsubscribe_apply, unsubscribe_read


@login_required
def message_list(request):
    """One row per event (its channels beside it), linked to its order, openable. Paged by
    message rows: an event at a page's edge may show on both pages."""
    page = Paginator(message_list_for_user(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "account/messages.html", {"page": page, "events": message_events(page.object_list)})


@login_required
def message_detail(request, message_id):
    """One message as it was sent (another shopper's is 404)."""
    message = message_list_for_user(user=request.user).filter(pk=message_id).first()
    if message is None:
        raise Http404("Message not found")
    return render(
        request,
        "account/message_detail.html",
        {"message": message, "text": message_text(message, language=translation.get_language())},
    )


# Exempt from CSRF: the POST comes from the shopper's mail provider (RFC 8058), with no session
# or token of ours; the signed link is what authorizes it. A GET only shows the button, since
# mail scanners open links and must not unsubscribe anyone.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        user, kind, channel = unsubscribe_apply(token) if request.method == "POST" else unsubscribe_read(token)
    except BadToken as exc:
        return render(request, "notifications/unsubscribe_invalid.html", {"reason": str(exc)}, status=400)
    context = {
        "done": request.method == "POST",
        "kind": Kind(kind).label.lower(),
        "channel": "email" if channel == Channel.EMAIL else Channel(channel).label,
        "email": user.email,
    }
    return render(request, "notifications/unsubscribe.html", context)
