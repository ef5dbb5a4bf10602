from common.api_paths import api_path

from . import views

urlpatterns = [
    *api_path("orders", views.OrderListView.as_view(), "order-list"),
    # Before orders/<order_number>, which would otherwise take "returns" for an order number.
    *api_path("orders/returns", views.AllReturnsView.as_view(), "customer-returns"),
    *api_path("orders/buy-it-again", views.BuyItAgainView.as_view(), "order-buy-it-again"),
    *api_path("orders/<str:order_number>", views.OrderDetailView.as_view(), "order-detail"),
    *api_path("orders/<str:order_number>/shipments", views.OrderShipmentsView.as_view(), "order-shipments"),
    *api_path("orders/<str:order_number>/payments", views.OrderPaymentsView.as_view(), "order-payments"),
    *api_path("orders/<str:order_number>/refunds", views.OrderRefundsView.as_view(), "order-refunds"),
    *api_path("orders/<str:order_number>/payment-status", views.PaymentStatusView.as_view(), "order-payment-status"),
    *api_path("orders/<str:order_number>/cancel", views.OrderCancelView.as_view(), "order-cancel"),
    *api_path("orders/<str:order_number>/retry-payment", views.RetryPaymentView.as_view(), "order-retry-payment"),
    *api_path(
        "orders/<str:order_number>/cancel-payment-request",
        views.CancelPaymentRequestView.as_view(),
        "order-cancel-payment-request",
    ),
    *api_path("orders/<str:order_number>/returns", views.OrderReturnsView.as_view(), "order-returns"),
    *api_path("orders/<str:order_number>/return", views.OrderReturnsAliasView.as_view(), "order-return"),
    *api_path(
        "orders/<str:order_number>/returns/<str:return_ref>",
        views.OrderReturnDetailView.as_view(),
        "order-return-detail",
    ),
    *api_path(
        "orders/<str:order_number>/return/<str:return_ref>",
        views.OrderReturnDetailAliasView.as_view(),
        "order-return-detail-by-id",
    ),
    *api_path(
        "orders/<str:order_number>/returns/<str:return_ref>/attachments",
        views.OrderReturnAttachmentsView.as_view(),
        "order-return-attachments",
    ),
    *api_path(
        "orders/<str:order_number>/returns/<str:return_ref>/cancel",
        views.OrderReturnCancelView.as_view(),
        "order-return-cancel",
    ),
]
