from common.routing import api_path

from . import views

urlpatterns = [
    *api_path("customers/<ulid:user_id>/addresses", views.AddressListView.as_view(), "address-list"),
    *api_path(
        "customers/<ulid:user_id>/addresses/<ulid:address_id>",
        views.AddressDetailView.as_view(),
        "address-detail",
    ),
]
