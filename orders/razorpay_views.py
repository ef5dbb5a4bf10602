"""Razorpay's pages and endpoints: the Checkout page a retry sends the shopper to, the endpoint
Checkout's signed answer is posted to, and the webhook.

They exist wherever Razorpay's keys are set (`RazorpayGateway.available`), so attempts started
before a switch of PAYMENT_GATEWAY still settle. Nothing here trusts what it is sent: Checkout's
answer and each webhook are checked against their signature by the services before anything
changes.
"""

import json
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import ErrorCode
from common.exceptions import BadRequest, DomainError, error_body

from .gateways import gateway_available
from .models import AttemptStatus, Payment
from .razorpay import RazorpayGateway, checkout_token_valid, to_paise
from .services import payment_checkout_confirm, payment_webhook_apply

NAME = RazorpayGateway.name


def _razorpay_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not gateway_available(NAME):
            raise Http404("Razorpay is not set up here.")
        return view(request, *args, **kwargs)

    return guarded


def _error(exc: DomainError) -> JsonResponse:
    return JsonResponse(error_body(message=exc.message, code=exc.code), status=exc.status_code)


def _prefill(request, payment) -> dict:
    """The shopper's email and phone for Checkout, only for a proven opener (the link's token,
    or their own website session): the attempt's number is no key to who they are."""
    customer = payment.order.customer
    own_session = request.user.is_authenticated and request.user.pk == customer.pk
    if not (own_session or checkout_token_valid(payment.request_number, request.GET.get("t"))):
        return {}
    return {"email": customer.email or "", "contact": customer.phone or ""}


@_razorpay_only
@require_http_methods(["GET", "POST"])
def checkout_page(request, request_number):
    """Open Razorpay Checkout for one attempt; its handler posts the signed answer back here."""
    payment = get_object_or_404(
        Payment.objects.select_related("order", "order__customer"), request_number=request_number, gateway=NAME
    )
    order, error = payment.order, None
    if request.method == "POST":
        try:
            if request.POST.get("razorpay_order_id") != payment.gateway_order_id:
                raise BadRequest("This answer is about another payment.", code=ErrorCode.INVALID_SIGNATURE)
            payment = payment_checkout_confirm(data=request.POST, gateway_name=NAME)
        except DomainError as exc:
            error = exc.message
    checkout = {
        "key": settings.RAZORPAY_KEY_ID,
        "order_id": payment.gateway_order_id,
        "amount": to_paise(payment.amount),
        "currency": order.currency_code,
        "name": "Order " + order.number,
        "description": f"Payment {payment.request_number}",
        "prefill": _prefill(request, payment),
        # One Razorpay payment per attempt: after a failure the shopper retries through us.
        "retry": {"enabled": False},
    }
    return render(
        request,
        "orders/razorpay_checkout.html",
        {
            "payment": payment,
            "order": order,
            "error": error,
            "checkout": checkout,
            "pending": payment.status == AttemptStatus.PENDING,
            "order_url": reverse("portal:order-detail", args=[order.number]),
        },
        status=400 if error else 200,
    )


@csrf_exempt
@_razorpay_only
@require_POST
def checkout_verify(request):
    """For apps that open Checkout themselves: post its handler's answer (form or JSON)."""
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return JsonResponse(
                error_body(message="The body is not a JSON object.", code=ErrorCode.BAD_REQUEST), status=400
            )
    try:
        payment = payment_checkout_confirm(data=data, gateway_name=NAME)
    except DomainError as exc:
        return _error(exc)
    return JsonResponse(
        {
            "message": "Payment verified.",
            "success": True,
            "content": {"request_number": payment.request_number, "status": payment.status},
        }
    )


@csrf_exempt
@_razorpay_only
@require_POST
def webhook(request):
    """Razorpay's events. 400 when unsigned or forged; any signed event is acknowledged with 200
    (a replay, or one about an attempt settled already, changes nothing)."""
    try:
        payment_webhook_apply(
            gateway_name=NAME,
            body=request.body,
            signature=request.headers.get("X-Razorpay-Signature", ""),
            event_id=request.headers.get("X-Razorpay-Event-Id", ""),
        )
    except DomainError as exc:
        return _error(exc)
    return HttpResponse(status=200)
