from common.api_paths import api_path

from . import views

urlpatterns = [
    *api_path("customers/<ulid:user_id>/reviews", views.CustomerReviewsView.as_view(), "customer-reviews"),
    *api_path("catalog/products/<str:product_id>/reviews", views.ProductReviewsView.as_view(), "product-reviews"),
]
