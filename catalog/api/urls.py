from common.api_paths import api_path

from . import views

urlpatterns = [
    *api_path("wishlist/<ulid:user_id>", views.WishlistView.as_view(), "wishlist"),
]
