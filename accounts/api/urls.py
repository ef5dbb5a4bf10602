from common.api_paths import api_path

from . import views

urlpatterns = [
    *api_path("auth/anonymous", views.AnonymousTokenView.as_view(), "auth-anonymous"),
    *api_path("auth/login/password", views.LoginWithPasswordView.as_view(), "auth-login-password"),
    *api_path("auth/register/password", views.RegisterWithPasswordView.as_view(), "auth-register-password"),
    *api_path("auth/login/email", views.LoginWithEmailView.as_view(), "auth-login-email"),
    *api_path("auth/login/phone", views.LoginWithPhoneView.as_view(), "auth-login-phone"),
    *api_path("auth/login/whatsapp", views.LoginWithWhatsappView.as_view(), "auth-login-whatsapp"),
    *api_path("auth/register/email", views.RegisterWithEmailView.as_view(), "auth-register-email"),
    *api_path("auth/register/phone", views.RegisterWithPhoneView.as_view(), "auth-register-phone"),
    *api_path("auth/register/whatsapp", views.RegisterWithWhatsappView.as_view(), "auth-register-whatsapp"),
    *api_path("auth/verify-otp", views.VerifyOtpView.as_view(), "auth-verify-otp"),
    *api_path("auth/refresh-token", views.RefreshTokenView.as_view(), "auth-refresh-token"),
    *api_path("auth/logout", views.LogoutView.as_view(), "auth-logout"),
    *api_path("auth/generate-otp", views.GenerateOtpView.as_view(), "auth-generate-otp"),
    *api_path("auth/forgot-password", views.ForgotPasswordView.as_view(), "auth-forgot-password"),
    *api_path("auth/reset-password", views.ResetPasswordView.as_view(), "auth-reset-password"),
    *api_path("auth/change-password", views.ChangePasswordView.as_view(), "auth-change-password"),
    *api_path("auth/user/<ulid:id>", views.UserDetailView.as_view(), "auth-user-detail"),
    *api_path(
        "auth/user/<ulid:id>/notification-preferences",
        views.NotificationPreferencesView.as_view(),
        "auth-notification-preferences",
    ),
    *api_path("auth/user/<ulid:id>/profile-image", views.ProfileImageView.as_view(), "auth-profile-image"),
    *api_path("auth/user/<ulid:id>/export", views.UserExportView.as_view(), "auth-user-export"),
    *api_path("auth/user/<ulid:id>/deactivate", views.DeactivateUserView.as_view(), "auth-user-deactivate"),
    *api_path("auth/verified-email-phone", views.VerificationStatusView.as_view(), "auth-verified-email-phone"),
    *api_path("auth/passkeys", views.PasskeyListView.as_view(), "auth-passkeys"),
    *api_path(
        "auth/passkeys/register/options", views.PasskeyRegisterOptionsView.as_view(), "auth-passkey-register-options"
    ),
    *api_path("auth/passkeys/register", views.PasskeyRegisterView.as_view(), "auth-passkey-register"),
    *api_path("auth/passkeys/login/options", views.PasskeyLoginOptionsView.as_view(), "auth-passkey-login-options"),
    *api_path("auth/passkeys/login", views.PasskeyLoginView.as_view(), "auth-passkey-login"),
    *api_path(
        "auth/passkeys/reauthenticate/options",
        views.PasskeyReauthOptionsView.as_view(),
        "auth-passkey-reauthenticate-options",
    ),
    *api_path("auth/passkeys/<ulid:passkey_id>", views.PasskeyDetailView.as_view(), "auth-passkey-detail"),
    *api_path("auth/sessions", views.SessionListView.as_view(), "auth-sessions"),
    *api_path("auth/sessions/<ulid:session_id>", views.SessionDetailView.as_view(), "auth-session-detail"),
    *api_path("auth/reauthenticate", views.ReauthenticateView.as_view(), "auth-reauthenticate"),
]
