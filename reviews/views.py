"""The website's reviews pages: my reviews (a pending one can be changed or deleted), and a form
per product waiting for one. Every write goes through reviews.services, as the API's do."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Product
from common.exceptions import DomainError
from common.forms import add_domain_error

from . import selectors, services
from .forms import NewReviewForm, ReviewForm


def _new_review_form(product_id, data=None) -> NewReviewForm:
    """A product's form, its ids unique on a page that holds one form per product."""
    return NewReviewForm(data, auto_id=f"id_{product_id}_%s")


# A page of each list: a long history waits with hundreds of products to review.
READY_PER_PAGE = 5
REVIEWS_PER_PAGE = 10


@login_required
def reviews_page(request, refused: NewReviewForm | None = None, refused_product=None, status=200):
    ready = Paginator(selectors.ReadyForReview(customer=request.user), READY_PER_PAGE).get_page(
        request.GET.get("waiting")
    )
    for item in ready.object_list:
        item.review_form = refused if item.product_id == refused_product else _new_review_form(item.product_id)
    reviews = Paginator(selectors.reviews_for_customer(customer=request.user), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"reviews": reviews, "ready": ready}
    return render(request, "account/reviews.html", context, status=status)


@login_required
@require_POST
def review_create(request, product_id):
    product = get_object_or_404(Product, pk=product_id, active=True)
    form = _new_review_form(product.pk, request.POST)
    if form.is_valid():
        try:
            services.review_submit(
                customer=request.user,
                product=product,
                rating=form.cleaned_data["rating"],
                review_text=form.cleaned_data["review_text"],
                order_number=form.cleaned_data["order_number"] or None,
            )
        except DomainError as exc:
            if not exc.errors:
                # The product may no longer be in the list (already reviewed): say it at the top.
                messages.error(request, exc.message)
                return reviews_page(request, status=400)
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                gettext("Thanks for reviewing %(name)s! It will appear once it is checked.") % {"name": product.name},
            )
            return redirect("portal:reviews")
    return reviews_page(request, refused=form, refused_product=product.pk, status=400)


def _own_pending_review(request, review_id):
    """The shopper's review (another's is a 404), or None once it can no longer change (the
    service checks again when the change is made)."""
    review = selectors.reviews_for_customer(customer=request.user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    if not review.can_change:
        messages.error(request, gettext("This review has been checked already, so it can no longer be changed."))
        return None
    return review


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_edit(request, review_id):
    review = _own_pending_review(request, review_id)
    if review is None:
        return redirect("portal:reviews")
    form = ReviewForm(request.POST or None, initial={"rating": review.rating, "review_text": review.review_text})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(customer=request.user, review_id=review.pk, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                gettext("Your review of %(name)s is saved. It will appear once it is checked.")
                % {"name": review.product.name},
            )
            return redirect("portal:reviews")
    status = 400 if form.errors else 200
    return render(request, "account/review_form.html", {"review": review, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_delete(request, review_id):
    review = _own_pending_review(request, review_id)
    if review is None:
        return redirect("portal:reviews")
    if request.method == "POST":
        try:
            services.review_delete(customer=request.user, review_id=review.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Your review of %(name)s is deleted.") % {"name": review.product.name})
        return redirect("portal:reviews")
    return render(request, "account/review_delete.html", {"review": review})
