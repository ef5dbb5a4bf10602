from common.api_paths import api_path

from . import views

urlpatterns = [
    *api_path("customers/<ulid:user_id>/addresses", views.AddressListView.as_view(), "address-list"),
    *api_path(
        "customers/<ulid:user_id>/addresses/<ulid:address_id>",
        views.AddressDetailView.as_view(),
        "address-detail",
    ),
    *api_path("customers/<ulid:user_id>/bank-accounts", views.BankAccountListView.as_view(), "bank-account-list"),
    *api_path(
        "customers/<ulid:user_id>/bank-accounts/<ulid:account_id>",
        views.BankAccountDetailView.as_view(),
        "bank-account-detail",
    ),
    *api_path("customers/<ulid:customer_id>/documents", views.DocumentListView.as_view(), "document-list"),
    *api_path("customers/<ulid:customer_id>/documents/verify", views.DocumentVerifyView.as_view(), "document-verify"),
    *api_path(
        "customers/<ulid:customer_id>/documents/<ulid:document_id>",
        views.DocumentDetailView.as_view(),
        "document-detail",
    ),
    *api_path("common/countries", views.CountryListView.as_view(), "country-list"),
    *api_path("common/countries/<str:country_iso_code>/states", views.CountryStateListView.as_view(), "country-states"),
    *api_path(
        "common/countries/<str:country_iso_code>/pincodes", views.CountryPincodeListView.as_view(), "country-pincodes"
    ),
    *api_path("store/kyc-document", views.KycDocumentListView.as_view(), "kyc-document-list"),
    *api_path(
        "customers/<ulid:user_id>/bank-accounts/<ulid:account_id>/verify",
        views.BankAccountVerifyView.as_view(),
        "bank-account-verify",
    ),
]
