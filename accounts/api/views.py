"""Auth endpoints (CONTRACT.md section 3): parse, call a service, serialize."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.views import APIView

from common.api import absolute_url, ok
from common.clientip import client_ip
from common.exceptions import NotFound, Unauthorized
from common.parsers import MultiPartParser
from common.permissions import IsCustomer, IsOwner
from common.throttling import ClientIpScopedRateThrottle

from .. import erasure, selectors, services, signin, tokens
from ..authentication import OptionalBearerTokenAuthentication
from ..devices import client_of
from ..models import AuthSession
from ..services import passkeys, reauth, sessions
from . import serializers as s

DEBUG_MODE_HEADER = OpenApiParameter(
    "x-debug-mode",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="`true` adds the code to the answer, only while the server runs in DEBUG.",
)


def _debug_otp_allowed(request) -> bool:
    return settings.DEBUG and request.headers.get("x-debug-mode", "").lower() == "true"


def _current_session(request) -> AuthSession | None:
    return request.auth if isinstance(request.auth, AuthSession) else None


def _require_customer(request):
    """For endpoints open to guests where some actions need a signed-in shopper."""
    if request.user is None:
        raise NotAuthenticated()
    if not IsCustomer().has_permission(request, None):
        raise PermissionDenied(IsCustomer.message)
    return request.user


def _user_content(request, user) -> dict:
    return {"user": s.UserOutput(user, context={"request": request}).data}


def _session_content(request, pair: tokens.TokenPair) -> dict:
    user = pair.session.user
    return {
        "user": (
            s.UserOutput(user, context={"request": request}).data if user else s.AnonymousUserOutput(pair.session).data
        ),
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
    }


def _otp_content(request, issued) -> dict:
    content = {"otp_token": issued.otp_token, "otp_action": issued.otp_action}
    if _debug_otp_allowed(request):
        content["otp"] = issued.code
    return content


class PublicAuthView(APIView):
    """Endpoints a guest, or nobody, may call. A stale token sent along is ignored.

    Each is rate limited per client address on the shared cache (`auth` scope)."""

    authentication_classes = [OptionalBearerTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "auth"


class HasSession(BasePermission):
    """Any valid token, a guest's included."""

    message = "A valid access token is required."

    def has_permission(self, request, view) -> bool:
        return _current_session(request) is not None


class AnonymousTokenView(PublicAuthView):
    throttle_scope = "anonymous"

    @extend_schema(
        operation_id="get-anonymous-token",
        request=None,
        responses=s.GuestOutput,
        parameters=[OpenApiParameter("X-Api-Key", str, OpenApiParameter.HEADER, required=False)],
        tags=["auth"],
    )
    def post(self, request):
        """Start a guest session: the first call of every storefront client."""
        expected = settings.STOREFRONT_API_KEY
        if expected and not constant_time_compare(request.headers.get("X-Api-Key", ""), expected):
            raise Unauthorized(_("A valid X-Api-Key header is required."))
        previous = _current_session(request)
        if previous is not None and not previous.is_guest:
            previous = None  # a signed-in session is left alone; the client asked for a guest one
        pair = tokens.session_switch(previous=previous, user=None, client=client_of(request))
        return ok(_session_content(request, pair), message="Guest session started.")


class LoginWithPasswordView(PublicAuthView):
    @extend_schema(
        operation_id="login-with-password",
        request=s.LoginInput,
        responses=s.SignedInOutput,
        tags=["auth"],
    )
    def post(self, request):
        data = s.LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = signin.sign_in(
            password=v["password"],
            ip=client_ip(request),
            email=v["email"],
            phone=v["phone"],
            country_code=v["country_code"],
        )
        pair = tokens.session_switch(previous=_current_session(request), user=user, client=client_of(request))
        return ok(_session_content(request, pair), message="Signed in.")


class RegisterWithPasswordView(PublicAuthView):
    @extend_schema(
        operation_id="register-with-password",
        request=s.RegisterInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        tags=["auth"],
    )
    def post(self, request):
        data = s.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = services.registration_start(
            password=v["password"],
            email=v["email"],
            phone=v["phone"],
            country_code=v["country_code"],
            first_name=v["first_name"],
            last_name=v["last_name"],
        )
        return ok(_otp_content(request, issued), message="We sent you a code to confirm.")


class VerifyOtpView(PublicAuthView):
    @extend_schema(
        operation_id="verify-otp",
        request=s.VerifyOtpInput,
        responses=s.SignedInOutput,
        description=(
            "Complete what a code was sent for: `login` signs in (a code sign-in of an account its "
            "shopper deactivated reactivates it: the answer's message says so), `register` makes the "
            "account, the contact actions verify or change the signed-in shopper's email or phone."
        ),
        tags=["auth"],
    )
    def post(self, request):
        data = s.VerifyOtpInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["otp_action"] == "login":
            user = signin.sign_in_with_code(otp_token=v["otp_token"], otp=v["otp"], ip=client_ip(request))
            pair = tokens.session_switch(previous=_current_session(request), user=user, client=client_of(request))
            message = "Welcome back: your account is active again." if user.reactivated else "Signed in."
            return ok(_session_content(request, pair), message=message)
        if v["otp_action"] == "register":
            user = services.registration_complete(otp_token=v["otp_token"], otp=v["otp"])
            pair = tokens.session_switch(previous=_current_session(request), user=user, client=client_of(request))
            return ok(_session_content(request, pair), message="Your account is ready.")
        user = services.contact_code_confirm(
            user=_require_customer(request),
            action=v["otp_action"],
            otp_token=v["otp_token"],
            otp=v["otp"],
        )
        # New tokens: their claims carry the new email/phone.
        pair = tokens.session_reissue(session=request.auth)
        return ok(_session_content(request, pair), message="Verified.")


SIGN_IN_CODE_SENT = "If an account uses this address, we sent it a code."
SIGN_UP_CODE_SENT = "We sent you a code to confirm."


class LoginWithCodeView(PublicAuthView):
    """`POST /auth/login/email|phone|whatsapp`: a sign-in code to a verified address."""

    channel = "email"
    input_class = s.LoginWithPhoneInput

    def post(self, request):
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = signin.sign_in_code_send(
            channel=self.channel,
            email=v.get("email"),
            phone=v.get("phone"),
            country_code=v.get("country_code"),
            register_if_not_exists=v["register_if_not_exists"],
        )
        return ok(_otp_content(request, issued), message=SIGN_IN_CODE_SENT)


_LOGIN_DESCRIPTION = (
    "Send a sign-in code {how}. The answer is the same whether or not an account has the address "
    "(`otp_action` is always `login`); only a verified address of an active account gets a code, "
    "or, with `register_if_not_exists`, an address no account has. `POST /auth/verify-otp` with "
    "`otp_action` `login` signs in (or makes the account). A wrong code counts as a failed sign-in: "
    "`invalid_otp` (400), then `throttled` (429) while locked; a new code within 30 s is `throttled`."
)
_REGISTER_DESCRIPTION = (
    "Sign up without a password: a code goes {how}, and `POST /auth/verify-otp` with `otp_action` "
    "`register` makes the account, that address verified. The answer is the same whether or not "
    "the address has an account (its owner gets a notice, not a code). `verify-otp` answers "
    "`invalid_otp` / `otp_expired` / `otp_attempts_exceeded` (400) or `account_exists` (409)."
)


class LoginWithEmailView(LoginWithCodeView):
    channel = "email"
    input_class = s.LoginWithEmailInput

    @extend_schema(
        operation_id="login-with-email",
        request=s.LoginWithEmailInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        description=_LOGIN_DESCRIPTION.format(how="by email"),
        tags=["auth"],
    )
    def post(self, request):
        return super().post(request)


class LoginWithPhoneView(LoginWithCodeView):
    channel = "sms"

    @extend_schema(
        operation_id="login-with-phone",
        request=s.LoginWithPhoneInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        description=_LOGIN_DESCRIPTION.format(how="by SMS"),
        tags=["auth"],
    )
    def post(self, request):
        return super().post(request)


class LoginWithWhatsappView(LoginWithCodeView):
    channel = "whatsapp"

    @extend_schema(
        operation_id="login-with-whatsapp",
        request=s.LoginWithPhoneInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        description=_LOGIN_DESCRIPTION.format(how="by WhatsApp"),
        tags=["auth"],
    )
    def post(self, request):
        return super().post(request)


class RegisterWithCodeView(PublicAuthView):
    """`POST /auth/register/email|phone|whatsapp`: a sign-up confirmed with a code, no password."""

    channel = "email"
    input_class = s.RegisterWithPhoneInput

    def post(self, request):
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = services.registration_start(
            password=None,
            channel=self.channel,
            email=v["email"],
            phone=v["phone"],
            country_code=v["country_code"],
            first_name=v["first_name"],
            last_name=v["last_name"],
        )
        return ok(_otp_content(request, issued), message=SIGN_UP_CODE_SENT)


class RegisterWithEmailView(RegisterWithCodeView):
    channel = "email"
    input_class = s.RegisterWithEmailInput

    @extend_schema(
        operation_id="register-with-email",
        request=s.RegisterWithEmailInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        description=_REGISTER_DESCRIPTION.format(how="to the email"),
        tags=["auth"],
    )
    def post(self, request):
        return super().post(request)


class RegisterWithPhoneView(RegisterWithCodeView):
    channel = "sms"

    @extend_schema(
        operation_id="register-with-phone",
        request=s.RegisterWithPhoneInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        description=_REGISTER_DESCRIPTION.format(how="to the phone by SMS"),
        tags=["auth"],
    )
    def post(self, request):
        return super().post(request)


class RegisterWithWhatsappView(RegisterWithCodeView):
    channel = "whatsapp"

    @extend_schema(
        operation_id="register-with-whatsapp",
        request=s.RegisterWithPhoneInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        description=_REGISTER_DESCRIPTION.format(how="to the phone by WhatsApp"),
        tags=["auth"],
    )
    def post(self, request):
        return super().post(request)


class RefreshTokenView(PublicAuthView):
    @extend_schema(
        operation_id="refresh-token",
        request=s.RefreshInput,
        responses=s.TokenPairOutput,
        tags=["auth"],
    )
    def post(self, request):
        data = s.RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        pair = tokens.session_refresh(refresh_token=data.validated_data["refresh_token"], client=client_of(request))
        return ok(
            {"access_token": pair.access_token, "refresh_token": pair.refresh_token},
            message="Tokens refreshed.",
        )


class LogoutView(APIView):
    permission_classes = [HasSession]

    @extend_schema(operation_id="logout", request=None, responses=s.GuestOutput, tags=["auth"])
    def post(self, request):
        """End this session; the answer is a fresh guest session."""
        tokens.session_end(session=request.auth, reason="logout")
        pair = tokens.session_start(user=None, client=client_of(request))
        return ok(_session_content(request, pair), message="Signed out.")


class GenerateOtpView(PublicAuthView):
    @extend_schema(
        operation_id="generate-otp",
        request=s.GenerateOtpInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        tags=["auth"],
    )
    def post(self, request):
        """Send a code: to verify or change the account's email/phone, to reset a password, or (signed in)
        to confirm a serious step (`reauthenticate`: deleting an account that has no password)."""
        data = s.GenerateOtpInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["otp_action"] == "reauthenticate":
            # To the account's own verified address, whatever the body names.
            issued = services.reauth_code_send(user=_require_customer(request), channel=v["channel"])
        elif v["otp_action"] == "reset-password":
            email = v.get("email") if v["channel"] == "email" else None
            issued = services.password_reset_start(
                email=email, phone=None if email else v.get("phone"), country_code=v["country_code"]
            )
        else:
            issued = services.contact_code_send(
                user=_require_customer(request),
                action=v["otp_action"],
                channel=v["channel"],
                email=v.get("email"),
                phone=v.get("phone"),
                country_code=v["country_code"],
                session=_current_session(request),
            )
        return ok(_otp_content(request, issued), message="We sent you a code.")


class ForgotPasswordView(PublicAuthView):
    @extend_schema(
        operation_id="forgot-password",
        request=s.ForgotPasswordInput,
        responses=s.OtpOutput,
        parameters=[DEBUG_MODE_HEADER],
        tags=["auth"],
    )
    def post(self, request):
        """Start a password reset. The answer does not tell whether the account exists."""
        data = s.ForgotPasswordInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = services.password_reset_start(email=v["email"], phone=v["phone"], country_code=v["country_code"])
        return ok(
            _otp_content(request, issued),
            message="If an account uses this address, we sent it a code.",
        )


class ResetPasswordView(PublicAuthView):
    @extend_schema(
        operation_id="reset-password",
        request=s.ResetPasswordInput,
        responses=s.SignedInOutput,
        tags=["auth"],
    )
    def post(self, request):
        """Set a new password with the reset code; every session ends and a new one starts."""
        data = s.ResetPasswordInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = services.password_reset_complete(otp_token=v["otp_token"], otp=v["otp"], new_password=v["new_password"])
        pair = tokens.session_switch(previous=_current_session(request), user=user, client=client_of(request))
        return ok(_session_content(request, pair), message="Your password was reset.")


class ChangePasswordView(APIView):
    permission_classes = [IsCustomer]
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="change-password",
        request=s.ChangePasswordInput,
        responses=s.TokenPairOutput,
        tags=["auth"],
    )
    def post(self, request):
        """Change the password; every session ends, this one's tokens included (a stolen access
        token of it must not outlive the change), and the answer carries a new session's."""
        data = s.ChangePasswordInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        with transaction.atomic():
            services.password_change(
                user=request.user,
                old_password=v["old_password"],
                new_password=v["new_password"],
                session=None,
                ip=client_ip(request),
            )
            pair = tokens.session_start(user=request.user, client=client_of(request))
        return ok(
            {"access_token": pair.access_token, "refresh_token": pair.refresh_token},
            message="Your password was changed.",
        )


class UserDetailView(APIView):
    permission_classes = [IsOwner]
    owner_kwarg = "id"

    @extend_schema(operation_id="get-user-detail", responses=s.UserContentOutput, tags=["auth"])
    def get(self, request, id):
        return ok(_user_content(request, request.user))

    @extend_schema(
        operation_id="update-user",
        request=s.UserUpdateInput,
        responses=s.UserUpdateOutput,
        parameters=[DEBUG_MODE_HEADER],
        tags=["auth"],
    )
    def put(self, request, id):
        """Change the writable profile fields sent.

        A new email or phone is not applied: a code goes to it, the answer adds `otp_token` and
        `otp_action`, and `POST /auth/verify-otp` with them applies the change."""
        data = s.UserUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.user_update(user=request.user, data=data.validated_data, session=_current_session(request))
        content = _user_content(request, update.user)
        if update.pending is None:
            return ok(content, message="Profile updated.")
        content.update(_otp_content(request, update.pending))
        return ok(content, message=f"We sent a code to {update.pending.record.target}. Enter it to confirm the change.")

    @extend_schema(operation_id="delete-user", request=s.PasswordConfirmInput, responses=None, tags=["auth"])
    def delete(self, request, id):
        """Close the account and erase your personal data (orders keep what the books need).

        Confirmed with the password, or (an account signed up with a code has none) with a code
        from `POST /auth/generate-otp` with `otp_action` `reauthenticate`."""
        data = s.PasswordConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        erasure.account_erase(
            user=request.user,
            password=v.get("password"),
            otp_token=v.get("otp_token"),
            otp=v.get("otp", ""),
            ip=client_ip(request),
        )
        return ok(None, message="Your account is closed and your personal data erased.")


class UserExportView(APIView):
    permission_classes = [IsOwner]
    owner_kwarg = "id"

    @extend_schema(operation_id="export-user-data", responses=s.UserExportContent, tags=["auth"])
    def get(self, request, id):
        """Everything this service holds about you, as JSON."""
        return ok({"export": erasure.account_export(user=request.user, request=request)})


class NotificationPreferencesView(APIView):
    permission_classes = [IsOwner]
    owner_kwarg = "id"

    @extend_schema(
        operation_id="get-notification-preferences",
        responses=s.NotificationPreferencesContent,
        tags=["auth"],
    )
    def get(self, request, id):
        return ok({"notification_preferences": request.user.notification_preferences})

    @extend_schema(
        operation_id="update-notification-preferences",
        request=s.NotificationPreferencesInput,
        responses=s.NotificationPreferencesContent,
        tags=["auth"],
    )
    def put(self, request, id):
        """Change only the kinds and channels sent."""
        data = s.NotificationPreferencesInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.notification_preferences_update(user=request.user, changes=data.validated_data)
        return ok(
            {"notification_preferences": user.notification_preferences},
            message="Notification preferences saved.",
        )


class ProfileImageView(APIView):
    permission_classes = [IsOwner]
    owner_kwarg = "id"
    parser_classes = [MultiPartParser]

    def _answer(self, request, user, message="OK"):
        return ok({"profile_image_url": absolute_url(user.profile_image_url)}, message=message)

    @extend_schema(operation_id="get-profile-image", responses=s.ProfileImageContent, tags=["auth"])
    def get(self, request, id):
        return self._answer(request, request.user)

    @extend_schema(
        operation_id="add-profile-image",
        request={"multipart/form-data": s.ProfileImageInput},
        responses=s.ProfileImageContent,
        tags=["auth"],
    )
    def post(self, request, id):
        """Upload a picture (JPEG, PNG or WebP, at most 5 MB and 4096x4096)."""
        user = services.profile_image_set(user=request.user, upload=request.FILES.get("image"))
        return self._answer(request, user, "Profile picture saved.")

    @extend_schema(
        operation_id="update-profile-image",
        request={"multipart/form-data": s.ProfileImageInput},
        responses=s.ProfileImageContent,
        tags=["auth"],
    )
    def put(self, request, id):
        """Replace the picture; the previous file is deleted."""
        return self.post(request, id)

    @extend_schema(operation_id="remove-profile-image", responses=None, tags=["auth"])
    def delete(self, request, id):
        services.profile_image_remove(user=request.user)
        return ok(None, message="Profile picture removed.")


class DeactivateUserView(APIView):
    permission_classes = [IsOwner]
    owner_kwarg = "id"
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="deactivate-user",
        request=None,
        responses=None,
        description=(
            "Deactivate your own account (another user's id is `forbidden`, 403). Every session ends, "
            "this one's tokens included; the data is kept (unlike `DELETE /auth/user/{id}`, which "
            "erases it); each verified address of the account is told. Sign-in then answers 403 "
            "`account_deactivated` once the password (or a refresh token) is proven right.\n\n"
            "**Reactivating:** sign in with a code, `POST /auth/login/email` (or `/phone`, "
            "`/whatsapp`) to a verified address of the account, then `POST /auth/verify-otp` with "
            "`otp_action` `login`: the account is active again and signed in. A password reset "
            "(`/auth/forgot-password`, `/auth/reset-password`) reactivates it too, and staff can "
            "reactivate it in the back office. An account with no verified email or phone cannot "
            "come back by a code, so it is refused (409 `conflict`). Deactivating twice is harmless."
        ),
        tags=["auth"],
    )
    def put(self, request, id):
        services.account_deactivate(user=request.user)
        return ok(None, message="Your account is deactivated. Sign in with a code to reactivate it.")


class VerificationStatusView(PublicAuthView):
    @extend_schema(
        operation_id="check-verification-status",
        request=s.VerificationStatusInput,
        responses=s.VerificationStatusContent,
        description=(
            "Which of the given emails and phones (at most 10 of each) are verified addresses of "
            "**your own** account (a signed-in token). It tells nothing about other accounts, like "
            "registration: an address verified on someone else's account is answered like an address "
            "no account has (not listed), and a guest, or a call without a token, always gets empty "
            "lists. Addresses are answered as given. Rate limited per client address."
        ),
        tags=["auth"],
    )
    def post(self, request):
        data = s.VerificationStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        emails, phones = selectors.verified_addresses_among(user=request.user, emails=v["email"], phones=v["phone"])
        return ok({"verified_phone": phones, "verified_email": emails})


# --- passkeys (our own addition, CONTRACT.md section 12) ---------------------------------------

_PASSKEY_CEREMONY = (
    "Answer `options` with `navigator.credentials.{call}({{publicKey: ...}})` (binary values are "
    "base64url), then send the browser's answer (`PublicKeyCredential.toJSON()`) with "
    "`challenge_key` to `{then}` within 5 minutes. A challenge answers once."
)


def _passkey_content(passkey) -> dict:
    return {"passkey": s.PasskeyOutput(passkey).data}


class PasskeyListView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(operation_id="list-passkeys", responses=s.PasskeyListContent, tags=["passkeys"])
    def get(self, request):
        """The signed-in shopper's passkeys, the newest first."""
        return ok({"passkeys": s.PasskeyOutput(selectors.passkeys_of(request.user), many=True).data})


class PasskeyRegisterOptionsView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="passkey-register-options",
        request=None,
        responses=s.PasskeyOptionsContent,
        description="Start adding a passkey to the signed-in shopper's account. "
        + _PASSKEY_CEREMONY.format(call="create", then="POST /auth/passkeys/register")
        + " `limit_exceeded` (409) at 20 passkeys.",
        tags=["passkeys"],
    )
    def post(self, request):
        options, key = passkeys.passkey_register_options(
            user=request.user, rp=passkeys.relying_party_for_request(request)
        )
        return ok({"options": options, "challenge_key": key})


class PasskeyRegisterView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="passkey-register",
        request=s.PasskeyRegisterInput,
        responses={201: s.PasskeyContent},
        description="Keep the passkey the browser made for the options' challenge, under `name` "
        '(default "Passkey N"). 400 `invalid_passkey`: the answer does not verify (another site or '
        "origin, no user verification, a used or expired challenge, a malformed credential); "
        "409 `conflict`: that passkey is registered already.",
        tags=["passkeys"],
    )
    def post(self, request):
        data = s.PasskeyRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        passkey = passkeys.passkey_register(
            user=request.user,
            challenge_key=v["challenge_key"],
            credential=v["credential"],
            rp=passkeys.relying_party_for_request(request),
            name=v.get("name", ""),
        )
        return ok(_passkey_content(passkey), message="Passkey added.", status=201)


class PasskeyLoginOptionsView(PublicAuthView):
    @extend_schema(
        operation_id="passkey-login-options",
        request=None,
        responses=s.PasskeyOptionsContent,
        description="Start signing in with a passkey: no email or phone needed, the browser offers "
        "the passkeys it holds for this site. "
        + _PASSKEY_CEREMONY.format(call="get", then="POST /auth/passkeys/login"),
        tags=["passkeys"],
    )
    def post(self, request):
        options, key = passkeys.passkey_assertion_options(rp=passkeys.relying_party_for_request(request))
        return ok({"options": options, "challenge_key": key})


class PasskeyLoginView(PublicAuthView):
    @extend_schema(
        operation_id="passkey-login",
        request=s.PasskeyCredentialInput,
        responses=s.SignedInOutput,
        description="Sign in with the passkey that answered the options' challenge: the same answer as "
        "`POST /auth/login/password`. 400 `invalid_passkey` (counts as a failed sign-in), 429 "
        "`throttled` while the account or the client is locked, 403 `account_deactivated`.",
        tags=["passkeys"],
    )
    def post(self, request):
        data = s.PasskeyCredentialInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = signin.sign_in_with_passkey(
            credential=v["credential"],
            challenge_key=v["challenge_key"],
            rp=passkeys.relying_party_for_request(request),
            ip=client_ip(request),
        )
        pair = tokens.session_switch(previous=_current_session(request), user=user, client=client_of(request))
        return ok(_session_content(request, pair), message="Signed in.")


class PasskeyReauthOptionsView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="passkey-reauthenticate-options",
        request=None,
        responses=s.PasskeyOptionsContent,
        description="A challenge only the signed-in shopper's own passkeys may answer, to confirm it is "
        "them. "
        + _PASSKEY_CEREMONY.format(call="get", then="POST /auth/reauthenticate")
        + " 409 `conflict` when the account has no passkey.",
        tags=["passkeys"],
    )
    def post(self, request):
        options, key = passkeys.passkey_assertion_options(
            rp=passkeys.relying_party_for_request(request), user=request.user
        )
        return ok({"options": options, "challenge_key": key})


class PasskeyDetailView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="rename-passkey", request=s.PasskeyRenameInput, responses=s.PasskeyContent, tags=["passkeys"]
    )
    def patch(self, request, passkey_id):
        """Rename one of the shopper's passkeys (one line, at most 64 characters)."""
        passkeys.passkey_get(user=request.user, passkey_id=passkey_id)  # another's is 404 whatever the body
        data = s.PasskeyRenameInput(data=request.data)
        data.is_valid(raise_exception=True)
        passkey = passkeys.passkey_rename(user=request.user, passkey_id=passkey_id, name=data.validated_data["name"])
        return ok(_passkey_content(passkey), message="Passkey renamed.")

    @extend_schema(operation_id="delete-passkey", request=None, responses=None, tags=["passkeys"])
    def delete(self, request, passkey_id):
        """Remove one of the shopper's passkeys: it signs in no more. Another shopper's is 404;
        403 `reauthentication_required` unless the session authenticated recently."""
        passkeys.passkey_remove(user=request.user, passkey_id=passkey_id, session=_current_session(request))
        return ok(None, message="Passkey removed.")


# --- the shopper's sessions, and proving it is them again ----------------------------------

_REAUTH_NOTE = (
    " Ending any session but this one needs a recent authentication: 403 `reauthentication_required` "
    "otherwise (`POST /auth/reauthenticate`, then again)."
)


def _active_session_content(row: sessions.ActiveSession) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "device": {
            "label": row.device.label,
            "browser": row.device.browser,
            "os": row.device.system,
            "device": row.device.hardware,
        },
        "ip": row.ip,
        "place": row.place,
        "signed_in_at": row.signed_in_at,
        "last_seen_at": row.last_seen_at,
        "is_current": row.is_current,
    }


class SessionListView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(operation_id="list-sessions", responses=s.SessionListContent, tags=["sessions"])
    def get(self, request):
        """The signed-in shopper's live sessions, apps' and website's: this one first, then the
        most recently used."""
        rows = sessions.sessions_active(user=request.user, current=_current_session(request))
        return ok({"sessions": s.SessionContent([_active_session_content(r) for r in rows], many=True).data})

    @extend_schema(
        operation_id="end-other-sessions",
        request=None,
        responses=s.SessionEndedContent,
        description="Sign out every other device and browser of the shopper; this session stays." + _REAUTH_NOTE,
        tags=["sessions"],
    )
    def delete(self, request):
        ended = sessions.sessions_end_others(user=request.user, current=_current_session(request))
        return ok({"ended": ended}, message="Every other session is signed out.")


class SessionDetailView(APIView):
    permission_classes = [IsCustomer]

    @extend_schema(operation_id="get-session", responses=s.SessionContent, tags=["sessions"])
    def get(self, request, session_id):
        """One of the shopper's live sessions; another shopper's, or an ended one, is 404."""
        for row in sessions.sessions_active(user=request.user, current=_current_session(request)):
            if row.id == str(session_id).upper():
                return ok(s.SessionContent(_active_session_content(row)).data)
        raise NotFound(_("No such session."))

    @extend_schema(
        operation_id="end-session",
        request=None,
        responses=None,
        description="Sign one session out at once, on every server (this one's: signing out)." + _REAUTH_NOTE,
        tags=["sessions"],
    )
    def delete(self, request, session_id):
        sessions.session_end_own(user=request.user, session_id=session_id, current=_current_session(request))
        return ok(None, message="That session is signed out.")


class ReauthenticateView(APIView):
    permission_classes = [IsCustomer]
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="reauthenticate",
        request=s.ReauthenticateInput,
        responses=s.ReauthenticatedContent,
        description="Prove it is still the shopper, so serious steps (a new email or phone, removing a "
        "passkey, ending other sessions) pass for REAUTH_MAX_AGE_SECONDS. Wrong proofs count in the "
        "sign-in lockout: 400 `invalid_password`, `invalid_otp` or `invalid_passkey`; 429 while locked.",
        tags=["sessions"],
    )
    def post(self, request):
        data = s.ReauthenticateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        session = reauth.reauthenticate(
            session=_current_session(request),
            password=v.get("password"),
            otp_token=v.get("otp_token"),
            otp=v.get("otp", ""),
            credential=v.get("credential"),
            challenge_key=v.get("challenge_key"),
            rp=passkeys.relying_party_for_request(request),
            ip=client_ip(request),
        )
        expires = session.authenticated_at + timedelta(seconds=settings.REAUTH_MAX_AGE_SECONDS)
        # New tokens for the session (ASVS 5.0 7.2.4): its earlier refresh token stops working.
        pair = tokens.session_reissue(session=session)
        return ok(
            {
                "authenticated_at": session.authenticated_at,
                "reauthentication_expires_at": expires,
                "access_token": pair.access_token,
                "refresh_token": pair.refresh_token,
            },
            message="Thank you: that's you.",
        )
