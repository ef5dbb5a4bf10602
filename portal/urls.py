"""The "My Account" website, under /account/."""

from django.urls import path

from accounts import views as accounts
from catalog import views as catalog
from customers import views as customers
from loyalty import views as loyalty
from notifications import views as notifications
from orders import views as orders
from reviews import views as reviews

from . import views as portal

app_name = "portal"

urlpatterns = [
    path("", portal.dashboard, name="dashboard"),
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("sign-in/code/", accounts.sign_in_code, name="sign-in-code"),
    path("sign-in/code/resend/", accounts.sign_in_code_resend, name="sign-in-code-resend"),
    path("sign-in/passkey/options/", accounts.sign_in_passkey_options, name="sign-in-passkey-options"),
    path("sign-in/passkey/", accounts.sign_in_passkey, name="sign-in-passkey"),
    path("profile/passkeys/options/", accounts.passkey_add_options, name="passkey-add-options"),
    path("profile/passkeys/add/", accounts.passkey_add, name="passkey-add"),
    path("profile/passkeys/<ulid:passkey_id>/rename/", accounts.passkey_rename, name="passkey-rename"),
    path("profile/passkeys/<ulid:passkey_id>/remove/", accounts.passkey_remove, name="passkey-remove"),
    path("profile/passkeys/offer/dismiss/", accounts.passkey_offer_dismiss, name="passkey-offer-dismiss"),
    path("register/", accounts.register, name="register"),
    path("register/verify/", accounts.register_verify, name="register-verify"),
    path("register/verify/resend/", accounts.register_resend, name="register-resend"),
    path("password-reset/", accounts.ResetPasswordRequestView.as_view(), name="password-reset"),
    path("password-reset/code/", accounts.password_reset_code, name="password-reset-code"),
    path("password-reset/code/resend/", accounts.password_reset_code_resend, name="password-reset-code-resend"),
    path("password-reset/sent/", accounts.ResetPasswordDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/", accounts.ResetPasswordConfirmView.as_view(), name="password-reset-confirm"
    ),
    path("password-reset/done/", accounts.ResetPasswordCompleteView.as_view(), name="password-reset-complete"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/confirm/", accounts.profile_confirm, name="profile-confirm"),
    path(
        "profile/confirm/passkey/options/",
        accounts.profile_confirm_passkey_options,
        name="profile-confirm-passkey-options",
    ),
    path("profile/confirm/passkey/", accounts.profile_confirm_passkey, name="profile-confirm-passkey"),
    path("profile/sessions/", accounts.profile_sessions, name="profile-sessions"),
    path("not-me/<str:token>/", accounts.not_me, name="not-me"),
    path("language/", accounts.language_switch, name="language"),
    path("profile/sessions/end-others/", accounts.profile_sessions_end_others, name="profile-sessions-end-others"),
    path("profile/sessions/<ulid:session_id>/end/", accounts.profile_session_end, name="profile-session-end"),
    path("profile/name/", accounts.profile_names, name="profile-names"),
    path("profile/<str:kind>/change/", accounts.profile_contact, name="profile-contact"),
    path("profile/verify/", accounts.contact_verify, name="contact-verify"),
    path("profile/verify/resend/", accounts.contact_resend, name="contact-resend"),
    path("profile/picture/", accounts.profile_picture, name="profile-picture"),
    path("profile/notifications/", accounts.profile_preferences, name="profile-preferences"),
    path("profile/password/", accounts.profile_password, name="profile-password"),
    path("profile/data/code/", accounts.profile_data_code, name="profile-data-code"),
    path("profile/data/download/", accounts.profile_data_download, name="profile-data-download"),
    path("profile/delete/", accounts.profile_delete, name="profile-delete"),
    path("account-deleted/", accounts.account_deleted, name="account-deleted"),
    path("profile/deactivate/", accounts.profile_deactivate, name="profile-deactivate"),
    path("account-deactivated/", accounts.account_deactivated, name="account-deactivated"),
    path("addresses/", customers.address_list, name="addresses"),
    path("addresses/new/", customers.address_edit, name="address-new"),
    path("addresses/<str:address_id>/", customers.address_edit, name="address-edit"),
    path("addresses/<str:address_id>/delete/", customers.address_delete, name="address-delete"),
    path("addresses/<str:address_id>/default/<str:kind>/", customers.address_default, name="address-default"),
    path("business/", customers.business_details, name="business-details"),
    path("business/<str:document_id>/remove/", customers.business_document_delete, name="business-document-delete"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:number>/", orders.order_detail, name="order-detail"),
    path("orders/<str:number>/cancel/", orders.order_cancel, name="order-cancel"),
    path("orders/<str:number>/retry-payment/", orders.order_retry_payment, name="order-retry-payment"),
    path("orders/<str:number>/continue-payment/", orders.order_continue_payment, name="order-continue-payment"),
    path("orders/<str:number>/pay-another-way/", orders.order_pay_another_way, name="order-pay-another-way"),
    path("orders/<str:number>/return/", orders.order_return, name="order-return"),
    path(
        "orders/<str:number>/returns/<str:return_number>/",
        orders.order_return_detail,
        name="order-return-detail",
    ),
    path("orders/<str:number>/invoice/", orders.order_invoice, name="order-invoice"),
    path("orders/<str:number>/invoice.pdf", orders.order_invoice_pdf, name="order-invoice-pdf"),
    path(
        "orders/<str:number>/returns/<str:return_number>/cancel/",
        orders.order_return_cancel,
        name="order-return-cancel",
    ),
    path(
        "orders/<str:number>/returns/<str:return_number>/cancel/confirm/",
        orders.order_return_cancel_confirm,
        name="order-return-cancel-confirm",
    ),
    path("wishlist/", catalog.wishlist_page, name="wishlist"),
    path("wishlist/save/", catalog.wishlist_save, name="wishlist-save"),
    path("wishlist/<str:product_id>/remove/", catalog.wishlist_remove, name="wishlist-remove"),
    path("rewards/", loyalty.loyalty_page, name="loyalty"),
    path("reviews/", reviews.reviews_page, name="reviews"),
    path("reviews/<str:product_id>/", reviews.review_create, name="review-create"),
    path("reviews/<str:review_id>/edit/", reviews.review_edit, name="review-edit"),
    path("reviews/<str:review_id>/delete/", reviews.review_delete, name="review-delete"),
    path("messages/", notifications.message_list, name="messages"),
    path("messages/<ulid:message_id>/", notifications.message_detail, name="message-detail"),
    path("unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
]
