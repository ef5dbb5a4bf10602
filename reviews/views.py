"""The website's reviews page: my reviews, and a form per product waiting for one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from catalog.models import Product
from common.exceptions import DomainError

from . import selectors, services
from .forms import ReviewForm


@login_required
def reviews_page(request, errors=None, status=200):
    context = {
        "reviews": list(selectors.reviews_for_customer(customer=request.user)),
        "ready": selectors.ready_for_review(customer=request.user),
        "errors": errors or {},
    }
    return render(request, "account/reviews.html", context, status=status)


@login_required
@require_POST
def review_create(request, product_id):
    product = get_object_or_404(Product, pk=product_id, active=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_submit(
                customer=request.user, product=product, rating=form.cleaned_data["rating"],
                review_text=form.cleaned_data["review_text"], order_number=form.cleaned_data["order_number"] or None,
            )
        except DomainError as exc:
            # The product may no longer be in the list (already reviewed): say it at the top.
            messages.error(request, exc.message)
            return reviews_page(request, status=400)
        messages.success(request, f"Thanks for reviewing {product.name}! It will appear once it is checked.")
        return redirect("portal:reviews")
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    return reviews_page(request, errors={product.pk: errors}, status=400)
