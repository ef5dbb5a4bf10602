"""Order endpoints (CONTRACT.md section 7): parse, call a service or selector, serialize."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from common.api import ok
from common.idempotency import idempotent
from common.exceptions import Forbidden, InvalidInput
from common.pagination import list_parameters, paginate_request, parse_list_params
from common.permissions import IsCustomer

from .. import selectors, services
from ..models import OrderStatus
from . import serializers as s


class OrderView(APIView):
    """Endpoints under /orders/{order_number}: the order must be the token user's (else 404)."""

    permission_classes = [IsCustomer]

    def order(self, request, order_number, *, detail=True):
        return selectors.order_get_for_customer(customer=request.user, number=order_number, detail=detail)


class OrderListView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="list-orders",
        parameters=[
            OpenApiParameter("user_id", str, required=True, description="The signed-in user's id."),
            *list_parameters(sort_fields=selectors.ORDER_SORT_FIELDS, filters={"status": OrderStatus.values}),
        ],
        responses=s.OrderListContent,
        tags=["orders"],
    )
    def get(self, request):
        user_id = request.query_params.get("user_id")
        if not user_id:
            raise InvalidInput.for_field("user_id", "user_id is required.")
        if user_id.upper() != request.user.id:
            raise Forbidden("You can only list your own orders.")
        params = parse_list_params(
            request.query_params,
            sort_fields=selectors.ORDER_SORT_FIELDS,
            default_sort=selectors.ORDER_DEFAULT_SORT,
            filters={"status": set(OrderStatus.values)},
        )
        rows, pagination = selectors.order_history_page(
            customer=request.user, statuses=params.filters.get("status"), params=params
        )
        return ok({"orders": [s.order_list_row(row) for row in rows], "pagination": pagination})


class OrderDetailView(OrderView):
    @extend_schema(operation_id="get-order-detail", responses=s.OrderContent, tags=["orders"])
    def get(self, request, order_number):
        return ok({"order": s.order_detail_row(self.order(request, order_number))})


class OrderShipmentsView(OrderView):
    @extend_schema(operation_id="list-order-shipments", responses=s.ShipmentsContent, tags=["orders"])
    def get(self, request, order_number):
        order = self.order(request, order_number)
        return ok({"shipments": s.ShipmentOutput(order.shipments.all(), many=True).data})


class OrderPaymentsView(OrderView):
    @extend_schema(operation_id="list-order-payments", responses=s.PaymentsContent, tags=["orders"])
    def get(self, request, order_number):
        return ok({"payments": s.payments_and_refunds(self.order(request, order_number))})


class OrderRefundsView(OrderView):
    @extend_schema(operation_id="list-order-refunds", responses=s.RefundsContent, tags=["orders"])
    def get(self, request, order_number):
        order = self.order(request, order_number)
        return ok({"refunds": s.RefundOutput(order.refunds.all(), many=True).data})


class PaymentStatusView(OrderView):
    @extend_schema(operation_id="get-payment-status", responses=s.PaymentStatusOutput, tags=["orders"])
    def get(self, request, order_number):
        order = self.order(request, order_number)
        return ok(
            s.PaymentStatusOutput(
                {
                    "status": order.payment_status,
                    "amount_paid": order.amount_paid,
                    "amount_unpaid": max(0, order.to_be_paid - order.amount_paid),
                    "is_retry_available": services.is_retry_available(order),
                }
            ).data
        )


class OrderCancelView(OrderView):
    @extend_schema(operation_id="cancel-order", request=s.CancelInput, responses=s.OrderContent, tags=["orders"])
    @idempotent
    def post(self, request, order_number):
        """Cancel before shipping; what was paid is refunded the way the shopper chooses."""
        order = self.order(request, order_number, detail=False)
        data = s.CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.order_cancel(
            order=order,
            reason=v["cancellation_reason"],
            refund_mode=v["refund_mode"],
            bank_account_id=v.get("bank_account_id"),
            feedback=v.get("feedback") or "",
        )
        order = self.order(request, order_number)
        return ok({"order": s.OrderDetailOutput(order).data}, message="Your order is cancelled.")


class RetryPaymentView(OrderView):
    @extend_schema(
        operation_id="retry-order-payment", request=s.RetryPaymentInput, responses=s.PaymentInfoContent,
        tags=["orders"],
    )
    @idempotent
    def post(self, request, order_number):
        """Start a new payment attempt after a failed one; answers where to pay."""
        order = self.order(request, order_number, detail=False)
        data = s.RetryPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        method = data.validated_data.get("payment_method")
        if isinstance(method, dict):
            method = method.get("payment_method") or method.get("method")
        info = services.payment_retry(order=order, payment_method=method or None, request=request)
        return ok({"payment_info": s.PaymentInfoOutput(info).data}, message="Complete the payment at payment_url.")


class OrderReturnsView(OrderView):
    @extend_schema(operation_id="list-order-returns", responses=s.ReturnsContent, tags=["returns"])
    def get(self, request, order_number):
        order = self.order(request, order_number, detail=False)
        return ok({"returns": s.ReturnOutput(selectors.returns_for_order(order=order), many=True).data})

    @extend_schema(operation_id="create-order-return", request=s.ReturnInput, responses=s.ReturnContent, tags=["returns"])
    @idempotent
    def post(self, request, order_number):
        """Ask to return delivered items (refund or replacement)."""
        order = self.order(request, order_number)
        data = s.ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        lines = [
            services.ReturnRequestLine(
                order_item=services.order_item_find(
                    order, product_id=line["product_id"], variant_id=line.get("variant_id"), sku=line.get("sku")
                ),
                quantity=line["quantity"],
                reason=line["return_reason"],
                resolution=line["resolution"],
            )
            for line in data.validated_data["lines"]
        ]
        order_return = services.return_create(
            order=order, lines=lines, pickup_address=data.validated_data.get("shipping_address")
        )
        detail = selectors.return_get_for_order(order=order, reference=order_return.request_number)
        return ok({"order_return": s.ReturnDetailOutput(detail).data}, message="Return requested.")


class OrderReturnDetailView(OrderView):
    @extend_schema(operation_id="get-order-return-detail", responses=s.ReturnContent, tags=["returns"])
    def get(self, request, order_number, return_ref):
        order = self.order(request, order_number, detail=False)
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        return ok({"order_return": s.ReturnDetailOutput(order_return).data})


class OrderReturnCancelView(OrderView):
    @extend_schema(
        operation_id="cancel-order-return", request=s.ReturnCancelInput, responses=s.ReturnContent, tags=["returns"]
    )
    def post(self, request, order_number, return_ref):
        order = self.order(request, order_number, detail=False)
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        data = s.ReturnCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.return_cancel(order_return=order_return, reason=data.validated_data["reason"])
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        return ok({"order_return": s.ReturnDetailOutput(order_return).data}, message="Return cancelled.")


class AllReturnsView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="list-customer-returns",
        parameters=list_parameters(sort_fields=selectors.RETURN_SORT_FIELDS),
        responses=s.ReturnListContent,
        tags=["returns"],
    )
    def get(self, request):
        returns, pagination = paginate_request(
            request, selectors.returns_for_customer(customer=request.user),
            sort_fields=selectors.RETURN_SORT_FIELDS, default_sort=selectors.RETURN_DEFAULT_SORT,
        )
        return ok({"returns": s.ReturnOutput(returns, many=True).data, "pagination": pagination})


# `/orders/{n}/return[/{id}]`: the contract's singular spelling of the same endpoints. The
# schema documents the plural ones only.
@extend_schema(exclude=True)
class OrderReturnsAliasView(OrderReturnsView):
    pass


@extend_schema(exclude=True)
class OrderReturnDetailAliasView(OrderReturnDetailView):
    pass
