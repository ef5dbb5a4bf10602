"""The website's order pages (under /account/orders/): the same services, selectors and lifecycle
checks as the API; a service's refusal shows on the form."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from catalog.selectors import storefront_product_url, wishlist_product_ids
from common.exceptions import DomainError, InvalidInput, NotFound
from common.forms import add_domain_error
from common.money import money_text
from common.pagination import ListParams
from common.shoptime import date_text
from common.throttling import rate_limited
from customers.models import BankAccount
from customers.selectors import address_list_for_customer
from orders.headlines import delivery_headline, order_steps
from orders.headlines import headlines_for_rows as delivery_headlines

from . import lifecycle, selectors, services
from .filters import OrderFilter
from .forms import CancelForm, ReturnForm
from .gateways import gateway_get
from .invoice import invoice_build, invoice_pdf, is_invoice_available
from .models import Order, PaymentMethod
from .selectors_buy_again import buy_again_page
from .selectors_returns import open_returns_by_order, return_status_label, return_summary
from .services.placement import address_snapshot

STATUS_CHIPS = [
    ("", pgettext_lazy("orders filter", "All")),
    ("pending,confirmed,awaiting_approval,awaiting_shipment", pgettext_lazy("orders filter", "In progress")),
    ("shipped,partially_shipped", pgettext_lazy("orders filter", "Shipped")),
    ("delivered,partially_delivered,complete", pgettext_lazy("orders filter", "Delivered")),
    ("cancelled", pgettext_lazy("orders filter", "Cancelled")),
]
SORTS = {"newest": "-order_date", "oldest": "order_date", "total_high": "-grand_total", "total_low": "grand_total"}
SORT_LABELS = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("total_high", _("Total: high to low")),
    ("total_low", _("Total: low to high")),
]

DATE_FIELDS = ("order_date_from", "order_date_to")
DATES_ERROR = _("Check the dates: “To” must be the same day as “From” or later. Showing all orders.")


# The history page's "Buy it again" strip: the most recent few.
BUY_AGAIN_STRIP = ListParams(page=1, limit=8, ordering=[])

# The methods a shopper may choose for a new attempt (a bank transfer is recorded by staff).
SHOPPER_PAYMENT_METHODS = [(m.value, m.label) for m in PaymentMethod if m != PaymentMethod.BANK_TRANSFER]


def _order_or_404(request, number, detail=True):
    try:
        return selectors.order_get_for_customer(customer=request.user, number=number, detail=detail)
    except NotFound:
        raise Http404("Order not found") from None


@login_required
def order_list(request):
    chip = request.GET.get("status", "")
    dates_error = ""
    try:
        filters = OrderFilter(request.GET).selector_kwargs()
    except InvalidInput as error:
        filters = {}  # a hand-edited address: every order rather than an error page
        if any(name in DATE_FIELDS for name in error.errors or ()):  # dates the shopper chose: say why
            dates_error = DATES_ERROR
    sort = request.GET.get("sort", "newest")
    orders = selectors.OrderHistory(customer=request.user, **filters, ordering=(SORTS.get(sort, "-order_date"),))
    page = Paginator(orders, 10).get_page(request.GET.get("page"))
    shortcuts = order_shortcuts(page.object_list)
    waiting = {pk for pk, s in shortcuts.items() if s["payment_prompt"] and s["payment_prompt"]["action"] == "continue"}
    shipments = {pk: s["shipments"] for pk, s in shortcuts.items()}  # read once for both
    headlines = delivery_headlines(list(page.object_list), waiting=waiting, shipments=shipments)
    open_returns = open_returns_by_order(orders=page.object_list)
    for row in page.object_list:
        row["shortcuts"] = shortcuts.get(row["id"])
        row["headline"] = headlines.get(row["id"])
        row["placed"] = placed_text(row)
        row["open_returns"] = [return_status_label(r.status).lower() for r in open_returns.get(row["id"], ())]
    # "Buy it again" above the first page of the whole history (not a filtered or searched one),
    # when the shop's product pages can be linked to: one more query.
    buy_again = []
    if page.number == 1 and not any(filters.values()) and settings.STOREFRONT_PRODUCT_URL:
        items, _total = buy_again_page(customer=request.user, params=BUY_AGAIN_STRIP)
        buy_again = [{"item": item, "url": url} for item in items if (url := storefront_product_url(item.slug))]
    return render(
        request,
        "account/orders.html",
        {
            "page": page,
            "return_verb": pgettext("verb", "Return"),
            "buy_again": buy_again,
            "chips": STATUS_CHIPS,
            "chip": chip,
            "sort": sort,
            "sorts": SORT_LABELS,
            "search": filters.get("search", ""),
            "date_from": (filters.get("placed") or (None, None))[0],
            "date_to": (filters.get("placed") or (None, None))[1],
            "no_orders": no_orders_heading(
                chip=chip,
                search=filters.get("search", ""),
                date_from=(filters.get("placed") or (None, None))[0],
                date_to=(filters.get("placed") or (None, None))[1],
            ),
            # The fields keep what was chosen, even a range that is not one, to be corrected.
            "date_fields": {name: request.GET.get(name, "").strip()[:10] for name in DATE_FIELDS},
            "dates_error": dates_error,
        },
    )


def placed_text(row: dict) -> str:
    """A history row's "Placed 4 Dec 2026 · 3 items"."""
    n = row["order_items_count"]
    return ngettext("Placed %(date)s · %(n)s item", "Placed %(date)s · %(n)s items", n) % {
        "date": date_text(row["order_date"]),
        "n": n,
    }


def no_orders_heading(*, chip: str, search: str, date_from, date_to) -> str:
    """What an empty, filtered history says it looked for: "No “cancelled” orders matching
    “kettle” placed on or after 5 Dec 2026". Built from whole phrases with a translatable order,
    so a language that puts the verb last (Hindi) can."""
    label = next((str(text) for value, text in STATUS_CHIPS if value and value == chip), "")
    subject = gettext("No “%(status)s” orders") % {"status": label.lower()} if label else gettext("No orders")
    matching = gettext("matching “%(search)s”") % {"search": search} if search else ""

    if date_from and date_to and date_from == date_to:
        placed = gettext("placed on %(date)s") % {"date": date_text(date_from)}
    elif date_from and date_to:
        placed = gettext("placed %(start)s to %(end)s") % {"start": date_text(date_from), "end": date_text(date_to)}
    elif date_from:
        placed = gettext("placed on or after %(date)s") % {"date": date_text(date_from)}
    elif date_to:
        placed = gettext("placed on or before %(date)s") % {"date": date_text(date_to)}
    else:
        placed = ""
    # Translators: reorder the three parts as the language needs; an empty part is left out.
    sentence = gettext("%(subject)s %(matching)s %(placed)s") % {
        "subject": subject,
        "matching": matching,
        "placed": placed,
    }
    return " ".join(sentence.split())


def order_shortcuts(rows: list[dict]) -> dict[str, dict]:
    """What each order of a history page lets the shopper do at once, by order id: pay (as the
    order page's prompt), follow a parcel on its way, return something. The page's own rows are
    the orders (selectors.orders_of_rows); their shipments and payments are two statements in one
    round trip, whatever the page's length, and none when no order of the page could offer a shortcut
    (_may_have_shortcut); the rules are lifecycle's."""
    orders = [order for order in selectors.orders_of_rows(rows) if _may_have_shortcut(order)]
    if not orders:
        return {}
    selectors.orders_attach(orders)
    shortcuts = {}
    for order in orders:
        on_its_way = [s for s in order.shipments.all() if s.tracking_url and lifecycle.SHIPMENT_DELIVER.allows(s)]
        shortcuts[order.pk] = {
            "shipments": list(order.shipments.all()),  # the headline's too (headlines_for_rows)
            "payment_prompt": payment_prompt(order),
            "tracking_url": on_its_way[-1].tracking_url if on_its_way else "",
            "returnable": lifecycle.is_return_allowed(order),
        }
    return shortcuts


def _may_have_shortcut(order: Order) -> bool:
    """Whether an order of the history could offer a shortcut at all, by lifecycle's rules on its
    own columns: it waits for its money, something of it may be on its way (a status shipping
    leads to), or it is returnable and its return window is open. Most of a long history is none
    of these, and reads nothing more."""
    return (
        lifecycle.is_awaiting_payment(order)
        or order.status in lifecycle.ORDER_SHIP.leads_to
        or (lifecycle.ORDER_RETURN.allows(order) and lifecycle.is_return_window_open(order))
    )


def payment_prompt(order) -> dict | None:
    """What the shopper can do about an unpaid order, as the order page and the overview say it:
    go back to the attempt still open at the gateway, or start another once the last one failed
    or ran out of time (the rules are lifecycle's)."""
    attempt = lifecycle.payment_attempt_open(order)
    if attempt is not None:
        return {"action": "continue", "attempt": attempt, "amount": attempt.amount}
    if lifecycle.is_retry_available(order):
        latest = lifecycle.payment_latest(order)
        cancelled = latest is not None and lifecycle.is_payment_cancelled(latest)
        return {
            "action": "retry",
            "attempt": latest,
            "amount": order.to_be_paid - order.amount_paid,
            # After "Pay another way": the shopper picks the method, another one than before first.
            "cancelled": cancelled,
            "methods": SHOPPER_PAYMENT_METHODS,
            "suggested": next(
                (m for m, _ in SHOPPER_PAYMENT_METHODS if not cancelled or m != latest.payment_method),
                SHOPPER_PAYMENT_METHODS[0][0],
            ),
        }
    return None


def payment_prompts(rows: list[dict]) -> dict[str, dict]:
    """`payment_prompt` for the orders among history rows that wait for their money, by order id:
    one query (their payments) when one does, none otherwise."""
    orders = [order for order in selectors.orders_of_rows(rows) if lifecycle.is_awaiting_payment(order)]
    if not orders:
        return {}
    selectors.orders_attach(orders, relations=("payments",))
    return {order.pk: prompt for order in orders if (prompt := payment_prompt(order))}


def _detail_context(request, order, cancel_form=None):
    allowed = lifecycle.is_cancellation_allowed(order)
    verified = list(BankAccount.objects.filter(customer=request.user, is_verified=True))
    returnable = lifecycle.returnable_items(order) if lifecycle.is_return_allowed(order) else []
    items = list(order.items.all())
    saved = wishlist_product_ids(customer=request.user)
    for item in items:
        item.buy_again_url = storefront_product_url(item.slug)
        # "Save for later" for a product still in the catalog; "Saved" once it is on the wishlist.
        item.saved_for_later = item.product_id in saved
    prompt = payment_prompt(order)
    shipments = list(order.shipments.all())
    returns = sorted(selectors.returns_for_order(order=order), key=lambda r: r.created_at, reverse=True)
    return {
        "order": order,
        "items": items,
        "invoice_available": is_invoice_available(order),
        "headline": delivery_headline(order, payment_waiting=bool(prompt and prompt["action"] == "continue")),
        "steps": order_steps(order),
        "shipments": shipments,
        "payments": sorted([*order.payments.all()], key=lambda p: p.created_at),
        "refunds": list(order.refunds.all()),
        # Newest first; the ones that stopped (cancelled, not accepted) folded below the rest.
        "returns": [r for r in returns if r.status not in lifecycle.RETURN_STOPPED_STATUSES],
        "earlier_returns": [r for r in returns if r.status in lifecycle.RETURN_STOPPED_STATUSES],
        "tracking_url": next(
            (s.tracking_url for s in reversed(shipments) if s.tracking_url and lifecycle.SHIPMENT_DELIVER.allows(s)),
            "",
        ),
        "reviewable": order.status in lifecycle.ORDER_RECEIVED_STATUSES,
        "cancel_allowed": allowed,
        "refund_details": lifecycle.cancellation_refund_details(order) if allowed else None,
        "cancel_form": cancel_form or (CancelForm(bank_accounts=verified) if allowed else None),
        "payment_prompt": prompt,
        "refund_timing": lifecycle.REFUND_TIMING,
        "returnable": bool(returnable),
        "return_window_closes": lifecycle.return_window_closes(order),
    }


@login_required
def order_detail(request, number):
    order = _order_or_404(request, number)
    return render(request, "account/order_detail.html", _detail_context(request, order))


def _order_locked_or_404(request, number, relations=selectors.DETAIL_RELATIONS):
    """The shopper's order, locked for the write about to run in the caller's transaction (the
    write's one read of it, services.order_lock_for_customer), or 404."""
    try:
        return services.order_lock_for_customer(customer=request.user, number=number, relations=relations)
    except NotFound:
        raise Http404("Order not found") from None


@login_required
@require_POST
def order_cancel(request, number):
    verified = list(BankAccount.objects.filter(customer=request.user, is_verified=True))
    form = CancelForm(request.POST, bank_accounts=verified)
    try:
        with transaction.atomic():
            order = _order_locked_or_404(request, number)
            if form.is_valid():
                services.order_cancel(
                    order=order,
                    reason=form.cleaned_data["cancellation_reason"],
                    refund_mode=form.cleaned_data["refund_mode"],
                    bank_account_id=form.cleaned_data.get("bank_account_id") or None,
                    feedback=form.cleaned_data["feedback"],
                )
                messages.success(request, _cancelled_message(order))
                return redirect("portal:order-detail", number=number)
    except DomainError as exc:  # refused and rolled back: the page shows the order as it stands
        add_domain_error(form, exc)
        order = _order_or_404(request, number)
    return render(request, "account/order_detail.html", _detail_context(request, order, cancel_form=form), status=400)


def _cancelled_message(order) -> str:
    """After a cancel: how much comes back, where to, and when (not just "on its way"), in the
    words the emails use (lifecycle.refund_destination, lifecycle.REFUND_TIMING). The order's
    refunds as the cancellation left them (loaded with the order, the new one added)."""
    refunds = list(order.refunds.all())
    refund = max(refunds, key=lambda r: (r.created_at, r.pk)) if refunds else None
    parts = [gettext("Your order is cancelled.")]
    if refund is None:
        parts.append(gettext("Nothing was paid, so there is nothing to refund."))
    else:
        amount, where = money_text(refund.amount, order.currency_symbol), lifecycle.refund_destination(refund)
        parts.append(
            gettext("%(amount)s goes back to %(where)s within %(timing)s.")
            % {"amount": amount, "where": where, "timing": lifecycle.REFUND_TIMING}
        )
    if order.loyalty_points_redeemed:
        points = order.loyalty_points_redeemed
        parts.append(
            ngettext(
                "Your %(points)s point is back in your rewards balance.",
                "Your %(points)s points are back in your rewards balance.",
                points,
            )
            % {"points": points}
        )
    return " ".join(parts)


@login_required
@require_POST
def order_continue_payment(request, number):
    """Back to the attempt still open at the gateway; once it has run out, to a new one."""
    order = _order_or_404(request, number, detail=False)
    attempt = lifecycle.payment_attempt_open(order)
    if attempt is None:
        return order_retry_payment(request, number)
    try:
        start = gateway_get(attempt.gateway).start(attempt, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:order-detail", number=number)
    return redirect(start.payment_url)


@login_required
@require_POST
def order_pay_another_way(request, number):
    """ "Pay another way": the attempt open at the gateway is cancelled (the API's
    cancel-payment-request), and the order page offers the choice of a new one at once."""
    order = _order_or_404(request, number, detail=False)
    try:
        services.payment_request_cancel(order=order)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your payment is stopped. Choose how to pay."))
    return redirect("portal:order-detail", number=number)


@login_required
@require_POST
def order_retry_payment(request, number):
    order = _order_or_404(request, number, detail=False)
    try:
        info = services.payment_retry(
            order=order, payment_method=request.POST.get("payment_method") or None, request=request
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:order-detail", number=number)
    return redirect(info["payment_url"])


def _refund_preview(order, form, returnable):
    """The refund the return would give (orders.lifecycle.return_refund, the one rule): for the
    quantities chosen, or before any is chosen, for everything still returnable."""
    chosen = form.is_bound and form.is_valid()
    wanted = dict(form.quantities()) if chosen else {}
    lines = []
    for item, available in returnable:
        if chosen:
            quantity = wanted.get(item, 0)
        elif form.is_bound:  # an invalid form: what was typed, where it is a number at all
            raw = str(form.data.get(f"qty_{item.pk}") or "0").strip()
            quantity = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) < 7 else 0
        else:  # nothing chosen yet: everything still returnable
            quantity = available
        if quantity > 0:
            lines.append(SimpleNamespace(order_item=item, quantity=min(quantity, available), resolution="refund"))
    return lifecycle.return_refund(order, lines), chosen


class _NothingReturnable(Exception):
    pass


@login_required
@rate_limited("uploads")
def order_return(request, number):
    """The return form on its own page: GET shows it with the refund it would give, POST with
    `check` shows the refund for the chosen quantities, POST creates the return with its photos
    and lands on the return's page."""
    addresses = list(address_list_for_customer(customer=request.user))
    try:
        if request.method == "POST" and "check" not in request.POST:
            order, form, returnable = _order_return_create(request, number, addresses)
            if form is None:  # created (order is the return)
                messages.success(
                    request, gettext("Return %(request_number)s requested.") % {"request_number": order.request_number}
                )
                return redirect("portal:order-return-detail", number=number, return_number=order.request_number)
            status = 400
        else:
            order = _order_or_404(request, number)
            returnable = _returnable(order)
            form = ReturnForm(request.POST or None, returnable=returnable, addresses=addresses)
            status = 200
    except _NothingReturnable:
        messages.error(request, gettext("Nothing of this order can be returned now."))
        return redirect("portal:order-detail", number=number)
    refund, chosen = _refund_preview(order, form, returnable)
    context = {
        "order": order,
        "form": form,
        "refund": refund,
        "refund_for_chosen": chosen,
        "return_window_closes": lifecycle.return_window_closes(order),
        "max_photos": lifecycle.MAX_RETURN_PHOTOS,
        "unit_refunds": {
            item.pk: lifecycle.return_refund(
                order, [SimpleNamespace(order_item=item, quantity=1, resolution="refund")]
            ).amount
            for item, _ in returnable
        },
    }
    return render(request, "account/return_new.html", context, status=status)


def _returnable(order):
    returnable = lifecycle.returnable_items(order) if lifecycle.is_return_allowed(order) else []
    if not returnable:
        raise _NothingReturnable
    return returnable


def _order_return_create(request, number, addresses):
    """Create the return the form asks for, with its photos: (the return, None, None), or (the
    order, the form with its errors, what is returnable) to show again. The photos are checked and
    re-encoded first, before the order is locked (no lock held while images decode); then the
    order is read once, locked, and the form checked against what it holds; one bad photo
    stores no return."""
    photos = request.FILES.getlist("photos")
    images, photo_error = [], None
    if photos:
        try:
            images = services.return_photos_normalise(photos)
        except DomainError as exc:
            photo_error = exc
    form = None
    try:
        with transaction.atomic():
            order = _order_locked_or_404(request, number, relations=("shipments",))
            returnable = _returnable(order)
            form = ReturnForm(request.POST, returnable=returnable, addresses=addresses)
            if not form.is_valid():
                return order, form, returnable
            if photo_error is not None:
                raise photo_error
            lines = [
                services.ReturnRequestLine(
                    order_item=item,
                    quantity=quantity,
                    reason=form.cleaned_data["return_reason"],
                    resolution=form.cleaned_data["resolution"],
                )
                for item, quantity in form.quantities()
            ]
            address = form.chosen_address()
            order_return = services.return_create(
                order=order,
                lines=lines,
                pickup_address=address_snapshot(address) if address else None,
                comment=form.cleaned_data["comment"],
            )
            if images:
                services.return_photos_add(order_return=order_return, images=images)
            return order_return, None, None
    except DomainError as exc:  # refused and rolled back: the form again, on the order as it stands
        if form is None:
            raise
        add_domain_error(form, exc)
    order = _order_or_404(request, number)
    return order, form, _returnable(order)


@login_required
def order_return_detail(request, number, return_number):
    """One return: what was asked, its photos, where it is picked up and what it refunds."""
    order = _order_or_404(request, number)
    try:
        order_return = selectors.return_get_for_order(order=order, reference=return_number)
    except NotFound:
        raise Http404("Return not found") from None
    items = list(order_return.items.all())
    context = {
        "order": order,
        "order_return": order_return,
        "items": items,
        "photos": list(order_return.attachments.all()),
        "summary": return_summary(order_return, order),
        "refund": lifecycle.return_refund(order, items),
    }
    return render(request, "account/return_detail.html", context)


@login_required
@require_POST
def order_return_cancel(request, number, return_number):
    order = _order_or_404(request, number, detail=False)
    try:
        order_return = selectors.return_get_for_order(order=order, reference=return_number)
        services.return_cancel(order_return=order_return, reason=request.POST.get("reason", ""))
    except NotFound:
        raise Http404("Return not found") from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Return cancelled."))
    return redirect("portal:order-detail", number=number)


@login_required
def order_return_cancel_confirm(request, number, return_number):
    """Asks before a return is cancelled, saying what it would have given; its form posts to
    order_return_cancel."""
    order = _order_or_404(request, number)
    try:
        order_return = selectors.return_get_for_order(order=order, reference=return_number)
    except NotFound:
        raise Http404("Return not found") from None
    return render(request, "account/return_cancel_confirm.html", {"order": order, "order_return": order_return})


def _invoice_order(request, number):
    """The order an invoice is asked for: the shopper's own (another's is 404, as everywhere), or
    any order for staff who may view orders (the admin links here)."""
    if request.user.is_staff and request.user.has_perm("orders.view_order"):
        order = Order.objects.filter(number=number).first()
        if order is None:
            raise Http404("Order not found")
        return selectors.order_get_for_customer(customer=order.customer, number=number)
    return _order_or_404(request, number)


@login_required
def order_invoice(request, number):
    """The printable tax invoice; before delivery, a page that says when it will be ready (404)."""
    order = _invoice_order(request, number)
    if not is_invoice_available(order):
        return render(request, "account/invoice.html", {"order": order, "invoice": None}, status=404)
    return render(request, "account/invoice.html", {"order": order, "invoice": invoice_build(order)})


@login_required
def order_invoice_pdf(request, number):
    """The same invoice as a PDF download; 404 before delivery."""
    order = _invoice_order(request, number)
    if not is_invoice_available(order):
        raise Http404("The tax invoice is ready once the order is delivered.")
    invoice = invoice_build(order)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response
