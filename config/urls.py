from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.ids import UlidConverter
from common.views import api_not_found, healthz, readyz
from orders import gateway_views, razorpay_views
from orders.gateways import test_gateway_enabled
from portal.views import accessibility_statement

register_converter(UlidConverter, "ulid")

urlpatterns = [
    path(f"{settings.API_ROOT}/", include("accounts.api.urls")),
    path(f"{settings.API_ROOT}/", include("customers.api.urls")),
    path(f"{settings.API_ROOT}/", include("catalog.api.urls")),
    path(f"{settings.API_ROOT}/", include("loyalty.api.urls")),
    path(f"{settings.API_ROOT}/", include("orders.api.urls")),
    path(f"{settings.API_ROOT}/", include("reviews.api.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Unknown API paths answer in the envelope, in DEBUG too (where handler404 is not used).
    re_path(r"^api/", api_not_found),
    path("account/", include("portal.urls")),
    path("", RedirectView.as_view(pattern_name="portal:dashboard", permanent=False)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accessibility", accessibility_statement, name="accessibility"),
    path("readyz", readyz, name="readyz"),
    # Razorpay: each answers 404 unless its keys are set (orders.razorpay_views).
    path("payments/razorpay/webhook", razorpay_views.webhook, name="razorpay-webhook"),
    path("payments/razorpay/verify", razorpay_views.checkout_verify, name="razorpay-verify"),
    path("payments/razorpay/checkout/<str:request_number>", razorpay_views.checkout_page, name="razorpay-checkout"),
]

if test_gateway_enabled():
    # It pays any attempt for whoever asks: routed only where switched on (by default with DEBUG).
    urlpatterns += [
        path("payments/test-gateway/callback", gateway_views.test_gateway_callback, name="test-gateway-callback"),
        path("payments/test-gateway/<str:request_number>", gateway_views.test_gateway_page, name="test-gateway-page"),
    ]

if settings.BENCH_FLOOR:
    from bench.floor import FloorView

    urlpatterns.insert(0, path(f"{settings.API_ROOT}/bench/floor", FloorView.as_view(), name="bench-floor"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.DEV_MAILBOX:
    from portal.dev_mailbox import dev_mailbox_view

    # Development only: the messages kept instead of sent, with their codes (README, "Codes").
    urlpatterns.append(path("dev/mailbox/", dev_mailbox_view, name="dev-mailbox"))

handler404 = "common.views.not_found"
handler500 = "common.views.server_failure"
