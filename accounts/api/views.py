"""Auth endpoints (CONTRACT.md section 3): parse, call a service, serialize."""

from django.conf import settings
from django.utils.crypto import constant_time_compare
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.views import APIView

from common.api import ok
from common.exceptions import Unauthorized
from common.permissions import IsPathUser

from .. import services, tokens
from ..authentication import OptionalBearerTokenAuthentication
from ..models import AuthSession
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


def _session_content(pair: tokens.TokenPair) -> dict:
    user = pair.session.user
    return {
        "user": s.UserOutput(user).data if user else s.AnonymousUserOutput(pair.session).data,
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
    }


def _otp_content(request, issued) -> dict:
    content = {"otp_token": issued.otp_token, "otp_action": issued.otp_action}
    if _debug_otp_allowed(request):
        content["otp"] = issued.code
    return content


class PublicAuthView(APIView):
    """Endpoints a guest, or nobody, may call. A stale token sent along is ignored."""

    authentication_classes = [OptionalBearerTokenAuthentication]
    permission_classes = [AllowAny]


class HasSession(BasePermission):
    """Any valid token, a guest's included."""

    message = "A valid access token is required."

    def has_permission(self, request, view) -> bool:
        return _current_session(request) is not None


class AnonymousTokenView(PublicAuthView):
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
            raise Unauthorized("A valid X-Api-Key header is required.")
        previous = _current_session(request)
        if previous is not None and not previous.is_guest:
            previous = None  # a signed-in session is left alone; the client asked for a guest one
        pair = tokens.session_switch(previous=previous, user=None)
        return ok(_session_content(pair), message="Guest session started.")


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
        user = services.user_authenticate(
            password=data.validated_data["password"],
            email=data.validated_data["email"],
            phone=data.validated_data["phone"],
            country_code=data.validated_data["country_code"],
        )
        pair = tokens.session_switch(previous=_current_session(request), user=user)
        return ok(_session_content(pair), message="Signed in.")


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
        tags=["auth"],
    )
    def post(self, request):
        data = s.VerifyOtpInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.registration_complete(
            otp_token=data.validated_data["otp_token"], otp=data.validated_data["otp"]
        )
        pair = tokens.session_switch(previous=_current_session(request), user=user)
        return ok(_session_content(pair), message="Your account is ready.")


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
        pair = tokens.session_refresh(refresh_token=data.validated_data["refresh_token"])
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
        pair = tokens.session_start(user=None)
        return ok(_session_content(pair), message="Signed out.")


class UserDetailView(APIView):
    permission_classes = [IsPathUser]
    owner_kwarg = "id"

    @extend_schema(operation_id="get-user-detail", responses=s.UserContentOutput, tags=["auth"])
    def get(self, request, id):
        return ok({"user": s.UserOutput(request.user).data})
