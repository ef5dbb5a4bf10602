"""The account overview (/account/): a card from every feature, each read through its app's own
selector. It lives above every app because it reads them all."""

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from customers.selectors import default_addresses
from loyalty.selectors import loyalty_summary
from loyalty.services import loyalty_account_ensure
from orders.headlines import headlines_for_rows
from orders.selectors import order_history_rows
from orders.views import payment_prompts
from reviews.selectors import ready_for_review


@login_required
def dashboard(request):
    user = request.user
    billing, shipping = default_addresses(customer=user)
    recent_orders = order_history_rows(customer=user, limit=3)
    prompts = payment_prompts(recent_orders)
    waiting = {pk for pk, prompt in prompts.items() if prompt["action"] == "continue"}
    headlines = headlines_for_rows(recent_orders, waiting=waiting)
    for row in recent_orders:
        row["payment_prompt"] = prompts.get(row["id"])
        row["headline"] = headlines.get(row["id"])
    context = {
        "recent_orders": recent_orders,
        # No rewards card (and no loyalty account opened) while the program is off.
        "loyalty": loyalty_summary(account=loyalty_account_ensure(customer=user)) if settings.LOYALTY_ENABLED else None,
        "ready": ready_for_review(customer=user, limit=4),
        "billing": billing,
        "shipping": shipping,
    }
    return render(request, "account/dashboard.html", context)


# The accessibility statement's review: when the keyboard and screen-reader passes were last
# recorded (docs/accessibility-pass.md), and what they found.
ACCESSIBILITY_REVIEWED = date(2026, 12, 5)
ACCESSIBILITY_PASS = _(
    "signing in, the overview, the order history, an order and the address form read in a sensible "
    "order, every control has a name, and nothing needs a mouse."
)


def accessibility_statement(request):
    """/accessibility: the standard aimed at, how it is tested, the known gaps, who to tell."""
    context = {
        "reviewed": ACCESSIBILITY_REVIEWED,
        "pass_summary": ACCESSIBILITY_PASS,
        "contact": settings.ACCESSIBILITY_CONTACT,
    }
    return render(request, "accessibility.html", context)
