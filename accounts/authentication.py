"""Bearer-token authentication for the API."""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from common.exceptions import Unauthorized

from .tokens import session_for_access_token


class Guest:
    """The principal of a guest (anonymous) token: reaches the auth endpoints only."""

    is_authenticated = False
    is_anonymous = True
    is_active = True

    def __init__(self, session):
        self.id = session.anonymous_id
        self.session = session

    def __str__(self) -> str:
        return f"guest {self.id}"


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <access JWT>`. `request.auth` is the token's live AuthSession."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("The Authorization header must be 'Bearer <token>'.")
        try:
            raw = parts[1].decode("ascii")
            _, session = session_for_access_token(raw)
        except UnicodeDecodeError:
            raise AuthenticationFailed("The access token is invalid or expired.") from None
        except Unauthorized as exc:
            raise AuthenticationFailed(exc.message) from exc
        return (session.user or Guest(session)), session

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class OptionalBearerTokenAuthentication(BearerTokenAuthentication):
    """For sign-in, refresh and guest-token endpoints: a stale or broken token is ignored.

    The SDK sends whatever token it holds (even an expired one) to these endpoints; refusing it
    would lock the client out of the very calls that get it a new one.
    """

    token_optional = True

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            return None
