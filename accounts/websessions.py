"""Website sign-ins as sessions the shopper can see and end, like their apps' (`AuthSession`,
kind "web").

Django's `login()` keeps the user in the website's session; the `user_logged_in` signal opens an
`AuthSession` beside it and keeps its id in that session. On every page `WebSessionMiddleware`
looks the session up the way the API looks up a token's (`accounts.tokens`: the shared cache,
an ended marker winning over any row), so a website session ended from another device, by a
password change or by staff is signed out on its next page, on every server. Signing out ends it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .devices import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    browser_cookie_value,
    browser_id,
    client_of,
    new_browser_id,
)
from .models import AuthSession, SessionKind
from .signin_notices import new_device_notice
from .tokens import session_end, session_live, session_new, session_seen

AUTH_SESSION_KEY = "_auth_session_id"
SEEN_KEY = "_auth_session_seen"


def web_session_open(request, user) -> AuthSession:
    """An `AuthSession` for a website sign-in of `user`, its id kept in the request's session."""
    browser = browser_id(request)
    if browser is None:
        browser = request.new_browser_id = new_browser_id()  # the middleware sets its cookie
    session = session_new(
        user=user,
        client=client_of(request, browser=browser),
        kind=SessionKind.WEB,
        lifetime=timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )
    session.save()
    new_device_notice(session=session)
    session_live(session.pk)  # its row reaches the shared cache now, not on the first page
    request.session[AUTH_SESSION_KEY] = session.pk
    request.session[SEEN_KEY] = int(session.last_seen_at.timestamp())
    request.auth_session = session
    return session


@receiver(user_logged_in, dispatch_uid="accounts.websessions.opened")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        web_session_open(request, user)


@receiver(user_logged_out, dispatch_uid="accounts.websessions.closed")
def _signed_out(sender, request, user, **kwargs):
    session_id = request.session.get(AUTH_SESSION_KEY) if request is not None and hasattr(request, "session") else None
    if session_id:
        session = AuthSession(pk=session_id)
        session_end(session=session, reason="logout")


def web_session_current(request) -> AuthSession | None:
    """The live `AuthSession` of the request's website sign-in (set by the middleware)."""
    return getattr(request, "auth_session", None)


def _session_user(store, session: AuthSession):
    """The signed-in user as Django's `get_user()` would find them, without reading their row
    again: the live session's lookup (usually from the shared cache) brought it, with the user's
    session auth hash. The same three checks: the backend the session names is still configured,
    the session's hash is the user's (a changed password signs the browser out), and the backend
    still lets them in. None when any fails, and Django's own `get_user()` answers (and signs out)
    as it always did."""
    expected = getattr(session, "user_session_hash", None)
    backend_path = store.get(BACKEND_SESSION_KEY)
    if not expected or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    if not constant_time_compare(store.get(HASH_SESSION_KEY) or "", expected):
        return None
    backend = load_backend(backend_path)
    can_authenticate = getattr(backend, "user_can_authenticate", None)
    if can_authenticate is not None and not can_authenticate(session.user):
        return None
    return session.user


def _returning(user):
    async def auser():
        return user

    return auser


class WebSessionMiddleware:
    """After Django's AuthenticationMiddleware: a signed-in website session whose `AuthSession`
    has ended (or belongs to someone else) is signed out before the view runs; a live one is
    `request.auth_session`, its "last seen" moved at most every `SESSION_SEEN_EVERY_SECONDS`,
    and its user, which came with it, is `request.user` (no second read of the user's row).

    Only requests with a session cookie are looked at: the API's bearer requests carry none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.auth_session = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            self._check(request)
        response = self.get_response(request)
        browser = getattr(request, "new_browser_id", None)
        if browser:
            response.set_cookie(
                DEVICE_COOKIE,
                browser_cookie_value(browser),
                max_age=DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _check(self, request):
        store = request.session
        user_id = store.get(SESSION_KEY)
        if user_id is None:
            return
        session_id = store.get(AUTH_SESSION_KEY)
        if session_id is None:
            # Signed in before sessions were kept (or by a path that did not say): from now on.
            if store.get(BACKEND_SESSION_KEY) and store.get(HASH_SESSION_KEY) and request.user.is_authenticated:
                web_session_open(request, request.user)
            return
        session = session_live(session_id)
        if session is None or session.user is None or str(session.user.pk) != str(user_id):
            logout(request)  # the signal's end of an ended session changes nothing
            return
        now = int(timezone.now().timestamp())
        if now - int(store.get(SEEN_KEY) or now) > settings.SESSION_IDLE_DAYS * 24 * 3600:
            session_end(session=session, reason="idle")  # unused too long (ASVS 5.0 7.3.1)
            logout(request)
            return
        request.auth_session = session
        user = _session_user(store, session)
        if user is not None:
            request.user = user
            request.auser = _returning(user)
        if now - int(store.get(SEEN_KEY) or 0) >= settings.SESSION_SEEN_EVERY_SECONDS:
            session_seen(session=session, client=client_of(request))
            store[SEEN_KEY] = now
