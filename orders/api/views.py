"""Order endpoints (CONTRACT.md section 7): parse, call a service or selector, answer through
serializers.outputs (one producer per shape; serializers.schema describes them for OpenAPI)."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.views import APIView

from common.api import ok
from common.idempotency import idempotent
from common.pagination import list_parameters, paginate_request, pagination_info, parse_list_params
from common.parsers import MultiPartParser
from common.permissions import IsCustomer, IsOwner
from common.throttling import ClientIpScopedRateThrottle

from .. import selectors, selectors_buy_again, services
from ..filters import OrderFilter
from .serializers import inputs, outputs, schema

RETURN_REF = OpenApiParameter(
    "return_ref",
    str,
    OpenApiParameter.PATH,
    description="The return's `id`, or its `request_number` (RET-...).",
)


class OrderView(APIView):
    """Endpoints under /orders/{order_number}: the order must be the token user's (else 404)."""

    permission_classes = [IsCustomer]

    def order(self, request, order_number, *, detail=True):
        return selectors.order_get_for_customer(customer=request.user, number=order_number, detail=detail)


class OrderListView(APIView):
    permission_classes = [IsOwner]
    owner_query_param = "user_id"

    @extend_schema(
        operation_id="list-orders",
        parameters=[
            OpenApiParameter("user_id", str, required=True, description="The signed-in user's id."),
            *list_parameters(sort_fields=selectors.ORDER_SORT_FIELDS, filterset=OrderFilter),
        ],
        responses=schema.OrderListContent,
        tags=["orders"],
    )
    def get(self, request):
        params = parse_list_params(
            request.query_params,
            sort_fields=selectors.ORDER_SORT_FIELDS,
            default_sort=selectors.ORDER_DEFAULT_SORT,
        )
        filters = OrderFilter(request.query_params).selector_kwargs()
        orders, pagination = selectors.order_history_json(customer=request.user, **filters, params=params)
        return ok({"orders": orders, "pagination": pagination})


class OrderDetailView(OrderView):
    @extend_schema(operation_id="get-order-detail", responses=schema.OrderContent, tags=["orders"])
    def get(self, request, order_number):
        return ok({"order": outputs.order_detail_row(self.order(request, order_number))})


class OrderShipmentsView(OrderView):
    @extend_schema(operation_id="list-order-shipments", responses=schema.ShipmentsContent, tags=["orders"])
    def get(self, request, order_number):
        order = self.order(request, order_number)
        return ok({"shipments": [outputs.shipment_row(shipment) for shipment in order.shipments.all()]})


class OrderPaymentsView(OrderView):
    @extend_schema(operation_id="list-order-payments", responses=schema.PaymentsContent, tags=["orders"])
    def get(self, request, order_number):
        return ok({"payments": outputs.payment_rows(self.order(request, order_number))})


class OrderRefundsView(OrderView):
    @extend_schema(operation_id="list-order-refunds", responses=schema.RefundsContent, tags=["orders"])
    def get(self, request, order_number):
        order = self.order(request, order_number)
        return ok({"refunds": [outputs.refund_row(refund) for refund in order.refunds.all()]})


class PaymentStatusView(OrderView):
    @extend_schema(operation_id="get-payment-status", responses=schema.PaymentStatusOutput, tags=["orders"])
    def get(self, request, order_number):
        return ok(outputs.payment_status_row(self.order(request, order_number)))


class OrderCancelView(OrderView):
    @extend_schema(
        operation_id="cancel-order", request=inputs.CancelInput, responses=schema.OrderContent, tags=["orders"]
    )
    @idempotent
    def post(self, request, order_number):
        """Cancel before shipping; what was paid is refunded the way the shopper chooses. The order
        is read once, locked, and the answer shows it as the cancellation left it."""
        with transaction.atomic():
            order = services.order_lock_for_customer(customer=request.user, number=order_number)
            data = inputs.CancelInput(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
            services.order_cancel(
                order=order,
                reason=v["cancellation_reason"],
                refund_mode=v["refund_mode"],
                bank_account_id=v.get("bank_account_id"),
                feedback=v.get("feedback") or "",
            )
        return ok({"order": outputs.order_detail_row(order)}, message="Your order is cancelled.")


class RetryPaymentView(OrderView):
    @extend_schema(
        operation_id="retry-order-payment",
        request=inputs.RetryPaymentInput,
        responses=schema.PaymentInfoContent,
        tags=["orders"],
    )
    @idempotent
    def post(self, request, order_number):
        """Start a new payment attempt after a failed one; answers where to pay."""
        order = self.order(request, order_number, detail=False)
        data = inputs.RetryPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        method = data.validated_data.get("payment_method")
        if isinstance(method, dict):
            method = method.get("payment_method") or method.get("method")
        info = services.payment_retry(order=order, payment_method=method or None, request=request)
        return ok({"payment_info": outputs.payment_info_row(info)}, message="Complete the payment at payment_url.")


class CancelPaymentRequestView(OrderView):
    @extend_schema(
        operation_id="cancel-payment-request",
        request=None,
        responses={200: OpenApiResponse(description="The attempt is cancelled: retry-payment starts a new one.")},
        tags=["orders"],
    )
    @idempotent
    def post(self, request, order_number):
        """Give up the payment attempt still open at the gateway, to pay another way at once:
        afterwards `payment-status` says `is_retry_available` and `retry-payment` starts a new
        attempt (with Razorpay, a new Razorpay order). Money the gateway still takes on the
        cancelled attempt is kept, and what the order no longer needs is refunded to it.
        409 `no_open_payment` when no attempt is in progress (a second cancel, say)."""
        order = self.order(request, order_number, detail=False)
        services.payment_request_cancel(order=order)
        return ok(message="The payment request is cancelled. You can pay another way now.")


class BuyItAgainView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="list-buy-it-again-items",
        parameters=[
            OpenApiParameter("page", int, description="Page number, from 1."),
            OpenApiParameter("limit", int, description="Items a page (1-100, default 25)."),
            OpenApiParameter(
                "seller_id",
                str,
                description="Comma-separated seller ids (marketplaces). This store has no sellers: any "
                "seller id finds nothing.",
            ),
        ],
        responses=schema.BuyAgainContent,
        tags=["orders"],
    )
    def get(self, request):
        """Products from the shopper's paid orders (cancelled ones aside), one per product, at
        their most recent purchase (that variant, those prices), newest first."""
        params = parse_list_params(request.query_params, sort_fields={}, default_sort={})
        if request.query_params.get("seller_id"):
            items, pagination = [], pagination_info(total=0, params=params)
        else:
            items, pagination = selectors_buy_again.buy_again_page(customer=request.user, params=params)
        return ok({"items": [outputs.buy_again_row(item) for item in items], "pagination": pagination})


class OrderReturnsView(OrderView):
    @extend_schema(operation_id="list-order-returns", responses=schema.ReturnsContent, tags=["returns"])
    def get(self, request, order_number):
        order = self.order(request, order_number, detail=False)
        return ok({"returns": [outputs.return_row(r) for r in selectors.returns_for_order(order=order)]})

    @extend_schema(
        operation_id="create-order-return", request=inputs.ReturnInput, responses=schema.ReturnContent, tags=["returns"]
    )
    @idempotent
    def post(self, request, order_number):
        """Ask to return delivered items (refund or replacement). The order is read once, locked;
        the answer shows the return as it was written."""
        with transaction.atomic():
            order = services.order_lock_for_customer(
                customer=request.user, number=order_number, relations=("shipments",)
            )
            data = inputs.ReturnInput(data=request.data)
            data.is_valid(raise_exception=True)
            lines = [
                services.ReturnRequestLine(
                    order_item=services.order_item_find(
                        order, product_id=line["product_id"], variant_id=line.get("variant_id"), sku=line.get("sku")
                    ),
                    quantity=line["quantity"],
                    reason=line.get("return_reason") or "",
                    resolution=line["resolution"],
                )
                for line in data.validated_data["lines"]
            ]
            order_return = services.return_create(
                order=order,
                lines=lines,
                pickup_address=data.validated_data.get("shipping_address"),
                comment=data.validated_data.get("comment", ""),
            )
        return ok({"order_return": outputs.return_detail_row(order_return)}, message="Return requested.")


class OrderReturnDetailView(OrderView):
    @extend_schema(
        operation_id="get-order-return-detail",
        parameters=[RETURN_REF],
        responses=schema.ReturnContent,
        tags=["returns"],
    )
    def get(self, request, order_number, return_ref):
        order = self.order(request, order_number, detail=False)
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        return ok({"order_return": outputs.return_detail_row(order_return)})


class OrderReturnAttachmentsView(OrderView):
    parser_classes = [MultiPartParser]
    # Per shopper (an authenticated caller's limit is keyed by the account), like the website's form.
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "uploads"

    @extend_schema(
        operation_id="upload-order-return-attachments",
        parameters=[RETURN_REF],
        request={"multipart/form-data": inputs.ReturnAttachmentsInput},
        responses=schema.ReturnContent,
        tags=["returns"],
    )
    def post(self, request, order_number, return_ref):
        """Add 1-3 photos (field `images`, repeated; JPEG, PNG or WebP, at most 5 MB each) to an
        open return; at most 3 in all. The return comes back with `attachments.images`."""
        order = self.order(request, order_number, detail=False)
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        services.return_photos_add(order_return=order_return, uploads=request.FILES.getlist("images"))
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        return ok({"order_return": outputs.return_detail_row(order_return)}, message="Photos added.")


class OrderReturnCancelView(OrderView):
    @extend_schema(
        operation_id="cancel-order-return",
        parameters=[RETURN_REF],
        request=inputs.ReturnCancelInput,
        responses=schema.ReturnContent,
        tags=["returns"],
    )
    def post(self, request, order_number, return_ref):
        order = self.order(request, order_number, detail=False)
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        data = inputs.ReturnCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.return_cancel(order_return=order_return, reason=data.validated_data["reason"])
        order_return = selectors.return_get_for_order(order=order, reference=return_ref)
        return ok({"order_return": outputs.return_detail_row(order_return)}, message="Return cancelled.")


class AllReturnsView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="list-customer-returns",
        parameters=list_parameters(sort_fields=selectors.RETURN_SORT_FIELDS),
        responses=schema.ReturnListContent,
        tags=["returns"],
    )
    def get(self, request):
        returns, pagination = paginate_request(
            request,
            selectors.returns_for_customer(customer=request.user),
            sort_fields=selectors.RETURN_SORT_FIELDS,
            default_sort=selectors.RETURN_DEFAULT_SORT,
        )
        return ok({"returns": [outputs.return_row(r) for r in returns], "pagination": pagination})


# `/orders/{n}/return[/{return_ref}]`: the seed's singular spelling of the same endpoints, in
# the schema next to the plural ones. GET /orders/{n}/return (the list) is served as well, but
# documented once, as /returns.
@extend_schema_view(
    get=extend_schema(exclude=True),
    post=extend_schema(
        operation_id="create-order-return-singular",
        request=inputs.ReturnInput,
        responses=schema.ReturnContent,
        tags=["returns"],
    ),
)
class OrderReturnsAliasView(OrderReturnsView):
    pass


@extend_schema_view(
    get=extend_schema(
        operation_id="get-order-return-detail-singular",
        parameters=[RETURN_REF],
        responses=schema.ReturnContent,
        tags=["returns"],
    ),
)
class OrderReturnDetailAliasView(OrderReturnDetailView):
    pass
