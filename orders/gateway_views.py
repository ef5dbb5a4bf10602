"""The built-in test payment gateway's pages: where a retry sends the shopper, and its callback.

Both pay an attempt for whoever asks, so they exist only where the test gateway is enabled
(`orders.gateways.test_gateway_enabled`): config/urls.py routes them only then, and each request
checks again, so switching the setting off at run time closes them too.
"""

from functools import wraps

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.exceptions import DomainError

from .gateways import TestGateway, gateway_get, test_gateway_enabled
from .models import AttemptStatus, Payment
from .services import payment_callback


def _test_gateway_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not test_gateway_enabled():
            raise Http404("No test gateway here.")
        return view(request, *args, **kwargs)

    return guarded


@_test_gateway_only
@require_http_methods(["GET", "POST"])
def test_gateway_page(request, request_number):
    """Pay or fail one attempt. A click signs a callback like the gateway's server would send."""
    payment = get_object_or_404(
        Payment.objects.select_related("order"), request_number=request_number, gateway=TestGateway.name
    )
    error = None
    if request.method == "POST":
        outcome = "success" if request.POST.get("outcome") == "success" else "failure"
        data = gateway_get(TestGateway.name).sign_callback(
            request_number=payment.request_number, outcome=outcome, reference=f"TEST{payment.request_number[4:]}"
        )
        try:
            payment = payment_callback(data=data, gateway_name=TestGateway.name)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "orders/test_gateway.html",
        {
            "payment": payment,
            "order": payment.order,
            "error": error,
            "pending": payment.status == AttemptStatus.PENDING,
        },
        status=409 if error else 200,
    )


@csrf_exempt
@_test_gateway_only
@require_POST
def test_gateway_callback(request):
    """Server-to-server callback of the test gateway (form-encoded, signed)."""
    try:
        payment = payment_callback(data=request.POST, gateway_name=TestGateway.name)
    except DomainError as exc:
        return JsonResponse({"success": False, "code": exc.code, "message": exc.message}, status=exc.status_code)
    return JsonResponse({"success": True, "request_number": payment.request_number, "status": payment.status})
