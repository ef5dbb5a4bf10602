"""Website pages of the account: sign-in, registration, overview and profile.

Each view parses a form, calls the same service the API calls, and shows service errors on the
form; nothing here decides a business rule.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.clientip import client_ip
from common.exceptions import DomainError, NotFound, Throttled
from common.forms import add_domain_error
from common.throttling import rate_limited

from . import erasure, forms, language, selectors, services, signin, websessions
from .devices import device_of
from .models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, OtpAction
from .services import passkeys, reauth, sessions

PENDING_REGISTRATION = "pending_registration"
PENDING_CONTACT = "pending_contact_change"
PENDING_SIGN_IN = "pending_sign_in_code"
PENDING_RESET = "pending_password_reset_code"
PENDING_REAUTH = "pending_reauth_code"
SESSION_BACKEND = "accounts.backends.EmailOrPhoneBackend"
REACTIVATED_MESSAGE = "Welcome back: your account is active again."


def _throttled_text(exc: Throttled) -> str:
    return f"{exc.message} You can ask again in {exc.retry_after} seconds." if exc.retry_after else exc.message


@method_decorator(rate_limited("auth"), name="dispatch")
class SignInView(auth_views.LoginView):
    """Sign in with the password, or ("Send me a code", beside the password) with a code sent to
    the mobile number or email typed: the same services as the API's login endpoints."""

    template_name = "account/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if "send_code" in request.POST:
            return self.send_code(request)
        return super().post(request, *args, **kwargs)

    def send_code(self, request):
        code_form = forms.SignInCodeForm(request.POST)
        if code_form.is_valid():
            identifier = code_form.cleaned_data["username"]
            try:
                issued = signin.sign_in_code_send(channel=identifier.channel, **identifier.as_kwargs())
            except Throttled as exc:
                code_form.add_error("username", _throttled_text(exc))
            except DomainError as exc:
                add_domain_error(code_form, exc)
            else:
                request.session[PENDING_SIGN_IN] = {
                    "otp_token": issued.otp_token,
                    "target": str(identifier),
                    "send": {"channel": identifier.channel, **identifier.as_kwargs()},
                    "next": self.get_redirect_url(),
                }
                return redirect("portal:sign-in-code")
        # Shown on the sign-in form as it was, the error beside the identifier box. The form is
        # bound without the password, so showing it never counts as a sign-in attempt.
        data = request.POST.copy()
        data["password"] = ""
        form = self.get_form_class()(request, data=data)
        form.errors.clear()
        for error in code_form.errors.get("username", []):
            form.add_error("username", error)
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_http_methods(["GET", "POST"])
@rate_limited("auth")
def sign_in_code(request):
    """The code sent by "Send me a code": right, and the shopper is signed in."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not pending:
        return redirect("portal:sign-in")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signin.sign_in_with_code(
                otp_token=pending["otp_token"], otp=form.cleaned_data["otp"], ip=client_ip(request)
            )
        except Throttled as exc:
            form.add_error("otp", exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            del request.session[PENDING_SIGN_IN]
            login(request, user, backend=SESSION_BACKEND)
            if not user.passkeys.exists():
                request.session[OFFER_PASSKEY] = True  # "Sign in faster next time" (base.html)
            if user.reactivated:
                messages.success(request, REACTIVATED_MESSAGE)
            next_url = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = reverse("portal:dashboard")
            return redirect(next_url)
    return render(
        request,
        "account/verify_code.html",
        {
            "form": form,
            "target": pending["target"],
            "title": "Enter your sign-in code",
            "if_known": True,  # the page never tells whether the address has an account
            "submit": "Sign in",
            "other_channel": {"sms": ("whatsapp", "WhatsApp"), "whatsapp": ("sms", "SMS")}.get(
                pending["send"]["channel"]
            ),
            "resend_url": reverse("portal:sign-in-code-resend"),
            "change_url": reverse("portal:sign-in"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@rate_limited("auth")
def sign_in_code_resend(request):
    if not request.session.get(PENDING_SIGN_IN):
        return redirect("portal:sign-in")
    pending = request.session[PENDING_SIGN_IN]
    channel = request.POST.get("channel")
    if pending["send"]["channel"] != "email" and channel in ("sms", "whatsapp"):
        # A phone's code by WhatsApp instead of SMS, or back.
        request.session[PENDING_SIGN_IN] = {**pending, "send": {**pending["send"], "channel": channel}}
    _resend(request, PENDING_SIGN_IN, lambda p: signin.sign_in_code_send(**p["send"]))
    return redirect("portal:sign-in-code")


class SignOutView(auth_views.LogoutView):
    pass


def _phone_kwargs(phone) -> dict:
    """A form's `Phone` as the services take it (`phone` + `country_code`)."""
    return {"phone": phone.number, "country_code": phone.country_code} if phone else {"phone": None}


@require_http_methods(["GET", "POST"])
@rate_limited("auth")
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        try:
            issued = services.registration_start(
                password=form.cleaned_data["password"],
                **identifier.as_kwargs(),
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except Throttled as exc:
            form.add_error("identifier", _throttled_text(exc))
        except DomainError as exc:
            if set(exc.errors or {}) & {"email", "phone"}:
                # The service names the address it refused; the page has one box for it.
                form.add_error("identifier", exc.message)
            else:
                add_domain_error(form, exc)
        else:
            request.session[PENDING_REGISTRATION] = {
                "otp_token": issued.otp_token,
                "target": issued.record.target,
            }
            return redirect("portal:register-verify")
    return render(request, "account/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_verify(request):
    pending = request.session.get(PENDING_REGISTRATION)
    if not pending:
        return redirect("portal:register")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.registration_complete(otp_token=pending["otp_token"], otp=form.cleaned_data["otp"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            del request.session[PENDING_REGISTRATION]
            login(request, user, backend="accounts.backends.EmailOrPhoneBackend")
            messages.success(request, gettext("Welcome! Your account is ready."))
            return redirect("portal:dashboard")
    return render(
        request,
        "account/verify_code.html",
        {
            "form": form,
            "target": pending["target"],
            "title": "Confirm your account",
            "resend_url": reverse("portal:register-resend"),
            "change_url": reverse("portal:register"),
        },
    )


def _resend(request, session_key: str, send) -> None:
    """Send a new code for the sign-up or change waiting in the session (`send(pending)` calls the
    same service the API calls, so its resend wait applies) and say what happened."""
    pending = request.session[session_key]
    try:
        issued = send(pending)
    except Throttled as exc:
        messages.error(request, _throttled_text(exc))
        return
    except reauth.ReauthenticationRequired:
        raise  # the caller sends the shopper to "Confirm it's you"
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    request.session[session_key] = {**pending, "otp_token": issued.otp_token}
    messages.success(
        request,
        gettext("We sent a new code to %(target)s. The earlier one no longer works.") % {"target": pending["target"]},
    )


@require_POST
@rate_limited("auth")
def register_resend(request):
    if not request.session.get(PENDING_REGISTRATION):
        return redirect("portal:register")
    _resend(request, PENDING_REGISTRATION, lambda p: services.registration_code_resend(otp_token=p["otp_token"]))
    return redirect("portal:register-verify")


@method_decorator(rate_limited("auth"), name="dispatch")
class ResetPasswordRequestView(auth_views.PasswordResetView):
    template_name = "account/password_reset_form.html"
    form_class = forms.ResetPasswordRequestForm
    email_template_name = "account/password_reset_email.txt"
    subject_template_name = "account/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")

    def form_valid(self, form):
        identifier = form.identifier
        if identifier.email:
            return super().form_valid(form)  # a link by email, as before
        # A mobile number: a code to it, then a new password (as POST /auth/forgot-password).
        try:
            issued = services.password_reset_start(**identifier.as_kwargs())
        except Throttled as exc:
            form.add_error("email", _throttled_text(exc))
            return self.form_invalid(form)
        self.request.session[PENDING_RESET] = {
            "otp_token": issued.otp_token,
            "target": str(identifier),
            "send": identifier.as_kwargs(),
        }
        return redirect("portal:password-reset-code")


@require_http_methods(["GET", "POST"])
@rate_limited("auth")
def password_reset_code(request):
    """The code sent to a phone and a new password (as POST /auth/reset-password)."""
    pending = request.session.get(PENDING_RESET)
    if not pending:
        return redirect("portal:password-reset")
    form = forms.ResetPasswordByCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_complete(
                otp_token=pending["otp_token"],
                otp=form.cleaned_data["otp"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            del request.session[PENDING_RESET]
            return redirect("portal:password-reset-complete")
    return render(
        request,
        "account/password_reset_code.html",
        {
            "form": form,
            "target": pending["target"],
            "resend_url": reverse("portal:password-reset-code-resend"),
            "change_url": reverse("portal:password-reset"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@rate_limited("auth")
def password_reset_code_resend(request):
    if not request.session.get(PENDING_RESET):
        return redirect("portal:password-reset")
    _resend(request, PENDING_RESET, lambda p: services.password_reset_start(**p["send"]))
    return redirect("portal:password-reset-code")


class ResetPasswordDoneView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_done.html"


class ResetPasswordConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "account/password_reset_confirm.html"
    form_class = forms.ResetPasswordForm
    success_url = reverse_lazy("portal:password-reset-complete")


class ResetPasswordCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"


def _profile_context(request, **forms_):
    user = request.user
    defaults = {
        "data_download_form": forms.ReauthForm(prefix="download"),
        "data_delete_form": forms.ReauthForm(prefix="delete"),
        "data_deactivate_form": forms.ReauthForm(prefix="deactivate"),
        "data_code_form": forms.CodeForm(),
        "reauth_by_code": not user.has_usable_password(),
        "reauth_pending": request.session.get(PENDING_REAUTH),
        "names_form": forms.NamesForm(initial={"first_name": user.first_name, "last_name": user.last_name}),
        "email_form": forms.EmailChangeForm(),
        "phone_form": forms.PhoneChangeForm(),
        "picture_form": forms.PictureForm(),
        "prefs_form": forms.PreferencesForm(preferences=user.notification_preferences),
        "password_form": forms.ChangePasswordForm(),
        "passkeys": selectors.passkeys_of(user),
    }
    defaults.update(forms_)
    defaults["kinds"] = [(kind, forms.NOTIFICATION_KIND_LABELS[kind]) for kind in NOTIFICATION_KINDS]
    defaults["channels"] = NOTIFICATION_CHANNELS
    return defaults


@login_required
def profile(request):
    return render(request, "account/profile.html", _profile_context(request))


def _profile_error(request, status=400, **form):
    return render(request, "account/profile.html", _profile_context(request, **form), status=status)


@login_required
@require_POST
def profile_names(request):
    form = forms.NamesForm(request.POST)
    if form.is_valid():
        try:
            services.user_update(user=request.user, data=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Your name is saved."))
            return redirect("portal:profile")
    return _profile_error(request, names_form=form)


@login_required
@require_POST
@rate_limited("auth")
def profile_contact(request, kind):
    """Start an email or phone change: a code goes to the new address."""
    form = forms.EmailChangeForm(request.POST) if kind == "email" else forms.PhoneChangeForm(request.POST)
    form_name = f"{kind}_form"
    if not form.is_valid():
        return _profile_error(request, **{form_name: form})
    if kind == "email":
        send = {"action": OtpAction.UPDATE_EMAIL, "channel": "email", "email": form.cleaned_data["email"]}
    else:
        send = {
            "action": OtpAction.UPDATE_PHONE,
            "channel": form.cleaned_data["channel"],
            **_phone_kwargs(form.cleaned_data["phone"]),
        }
    try:
        issued = services.contact_code_send(user=request.user, session=websessions.web_session_current(request), **send)
    except reauth.ReauthenticationRequired:
        return reauth_redirect(request, reverse("portal:profile") + "#contact-h")
    except DomainError as exc:
        add_domain_error(form, exc)
        return _profile_error(request, status=409 if exc.status_code == 409 else 400, **{form_name: form})
    # What was asked is kept so that "Resend code" asks the same again.
    request.session[PENDING_CONTACT] = {
        "otp_token": issued.otp_token,
        "action": issued.otp_action,
        "target": issued.record.target,
        "send": send,
    }
    return redirect("portal:contact-verify")


@login_required
@require_http_methods(["GET", "POST"])
def contact_verify(request):
    pending = request.session.get(PENDING_CONTACT)
    if not pending:
        return redirect("portal:profile")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_code_confirm(
                user=request.user,
                action=pending["action"],
                otp_token=pending["otp_token"],
                otp=form.cleaned_data["otp"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            del request.session[PENDING_CONTACT]
            messages.success(
                request, gettext("%(target)s is now on your account and verified.") % {"target": pending["target"]}
            )
            return redirect("portal:profile")
    return render(
        request,
        "account/verify_code.html",
        {
            "form": form,
            "target": pending["target"],
            "title": "Enter your code",
            "resend_url": reverse("portal:contact-resend"),
            "change_url": reverse("portal:profile") + "#contact-h",
        },
    )


@login_required
@require_POST
@rate_limited("auth")
def contact_resend(request):
    pending = request.session.get(PENDING_CONTACT)
    if not pending or "send" not in pending:
        return redirect("portal:profile")
    session = websessions.web_session_current(request)
    try:
        _resend(
            request,
            PENDING_CONTACT,
            lambda p: services.contact_code_send(user=request.user, session=session, **p["send"]),
        )
    except reauth.ReauthenticationRequired:
        return reauth_redirect(request, reverse("portal:contact-verify"))
    return redirect("portal:contact-verify")


@login_required
@require_POST
def profile_picture(request):
    if request.POST.get("remove"):
        services.profile_image_remove(user=request.user)
        messages.success(request, gettext("Your picture is removed."))
        return redirect("portal:profile")
    form = forms.PictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_image_set(user=request.user, upload=form.cleaned_data["image"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Your picture is saved."))
            return redirect("portal:profile")
    return _profile_error(request, picture_form=form)


@login_required
@require_POST
def profile_preferences(request):
    form = forms.PreferencesForm(request.POST)
    form.is_valid()  # booleans: always valid
    services.notification_preferences_update(user=request.user, changes=form.preferences())
    messages.success(request, gettext("Your notification choices are saved."))
    return redirect("portal:profile")


@login_required
@require_POST
def profile_password(request):
    form = forms.ChangePasswordForm(request.POST)
    if form.is_valid():
        try:
            user = services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                session=websessions.web_session_current(request),  # this browser stays signed in
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay signed in here
            messages.success(request, gettext("Your password is changed. You were signed out on your other devices."))
            return redirect("portal:profile")
    return _profile_error(request, password_form=form)


# --- "Download my data", "Deactivate my account" and "Delete my account" ------------------


def _reauth_form(request, prefix: str):
    """The password, or for an account without one the code sent to it (`profile_data_code`)."""
    if request.user.has_usable_password():
        return forms.ReauthForm(request.POST, prefix=prefix), "password"
    return forms.CodeForm(request.POST), "code"


def _confirmed(request, form, kind: str, step) -> bool:
    """Run `step(**credentials)` (a service that confirms it is the shopper first), its errors
    shown on `form`. A used code is gone, so the next step asks for a new one; a mistyped code
    stays, and counts towards its five tries."""
    if not form.is_valid():
        return False
    if kind == "password":
        credentials = {"password": form.cleaned_data["password"]}
    else:
        pending = request.session.get(PENDING_REAUTH)
        if pending is None:
            form.add_error(None, "Ask for a code first: press \u201cSend me a code\u201d.")
            return False
        credentials = {"otp_token": pending["otp_token"], "otp": form.cleaned_data["otp"]}
    try:
        step(user=request.user, ip=client_ip(request), **credentials)
    except DomainError as exc:
        add_domain_error(form, exc)
        if kind == "code" and exc.code != "invalid_otp":
            request.session.pop(PENDING_REAUTH, None)  # expired or dead: ask for a new one
        return False
    request.session.pop(PENDING_REAUTH, None)
    return True


def _send_reauth_code(request) -> None:
    """Send a code that confirms it is the shopper to their verified address, keep its token in the
    session for `_confirmed`, and say where it went (or why it did not go)."""
    try:
        issued = services.reauth_code_send(user=request.user)
    except Throttled as exc:
        messages.error(request, _throttled_text(exc))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session[PENDING_REAUTH] = {"otp_token": issued.otp_token, "target": issued.record.target}
        messages.success(
            request,
            gettext("We sent a 6-digit code to %(target)s. It is valid for 10 minutes.")
            % {"target": issued.record.target},
        )


@login_required
@require_POST
@rate_limited("auth")
def profile_data_code(request):
    """For an account without a password: a code to confirm a download or a deletion."""
    _send_reauth_code(request)
    return redirect(reverse("portal:profile") + "#data-h")


@login_required
@require_POST
@rate_limited("auth")
def profile_data_download(request):
    """Everything this service holds about the shopper, the API's export, saved as a file."""
    form, kind = _reauth_form(request, "download")
    if not _confirmed(request, form, kind, services.reauth_confirm):
        return _profile_error(request, **{"data_code_form" if kind == "code" else "data_download_form": form})
    export = erasure.account_export(user=request.user, request=request)
    response = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="my-account-data-{timezone.now():%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@rate_limited("auth")
def profile_delete(request):
    """Close the account and erase the shopper's personal data (as DELETE /auth/user/{id}),
    then sign out and say what happened."""
    form, kind = _reauth_form(request, "delete")
    if not _confirmed(request, form, kind, erasure.account_erase):
        return _profile_error(request, **{"data_code_form" if kind == "code" else "data_delete_form": form})
    logout(request)
    request.session["account_deleted"] = True
    return redirect("portal:account-deleted")


def _deactivate(*, user, **credentials) -> None:
    # Confirmed like a deletion (the password, or a code for an account without one); the API's
    # deactivate takes no body (the SDK's types), its token being the proof there.
    services.reauth_confirm(user=user, **credentials)
    services.account_deactivate(user=user)


@login_required
@require_POST
@rate_limited("auth")
def profile_deactivate(request):
    """Deactivate the account (as PUT /auth/user/{id}/deactivate), then sign out and say how to
    come back."""
    form, kind = _reauth_form(request, "deactivate")
    if not _confirmed(request, form, kind, _deactivate):
        return _profile_error(request, **{"data_code_form" if kind == "code" else "data_deactivate_form": form})
    logout(request)
    request.session["account_deactivated"] = True
    return redirect("portal:account-deactivated")


def account_deactivated(request):
    """Where a deactivated account lands, signed out: what is kept, and how to come back."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    if not request.session.get("account_deactivated"):
        return redirect("portal:sign-in")
    return render(request, "account/account_deactivated.html")


def account_deleted(request):
    """Where a deleted account lands, signed out: what was erased and what the shop keeps."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    if not request.session.get("account_deleted"):
        return redirect("portal:sign-in")
    return render(request, "account/account_deleted.html")


# --- passkeys ------------------------------------------------------------------------------
# The browser's half of a ceremony is static/js/passkeys.js: it asks one of the `*_options`
# views below for the options, lets the device answer, and posts the answer back as JSON. Those
# JSON doors answer `{"message", "code"}` with the error's status when a service refuses.

OFFER_PASSKEY = "offer_passkey"  # set by a code sign-in of an account without a passkey


def _json_refused(exc: DomainError) -> JsonResponse:
    response = JsonResponse({"message": exc.message, "code": str(exc.code)}, status=exc.status_code)
    if isinstance(exc, Throttled):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _options_answer(options: dict, key: str) -> JsonResponse:
    return JsonResponse({"options": options, "challenge_key": key})


@login_required
@require_POST
def passkey_add_options(request):
    try:
        options, key = passkeys.passkey_register_options(
            user=request.user, rp=passkeys.relying_party_for_request(request)
        )
    except DomainError as exc:
        return _json_refused(exc)
    return _options_answer(options, key)


@login_required
@require_POST
def passkey_add(request):
    body = _json_body(request)
    try:
        passkey = passkeys.passkey_register(
            user=request.user,
            challenge_key=body.get("challenge_key"),
            credential=body.get("credential"),
            rp=passkeys.relying_party_for_request(request),
            name=body.get("name") or "",
        )
    except DomainError as exc:
        return _json_refused(exc)
    request.session.pop(OFFER_PASSKEY, None)
    messages.success(
        request, gettext("Passkey “%(name)s” added: use it to sign in next time.") % {"name": passkey.name}
    )
    return JsonResponse({"redirect": reverse("portal:profile") + "#passkeys-h"}, status=201)


@require_POST
@rate_limited("auth")
def sign_in_passkey_options(request):
    options, key = passkeys.passkey_assertion_options(rp=passkeys.relying_party_for_request(request))
    return _options_answer(options, key)


@require_POST
@rate_limited("auth")
def sign_in_passkey(request):
    """A passkey's answer to the sign-in page's challenge: right, and the shopper is signed in
    as by a password (Django's session, `login()`)."""
    body = _json_body(request)
    try:
        user = signin.sign_in_with_passkey(
            credential=body.get("credential"),
            challenge_key=body.get("challenge_key"),
            rp=passkeys.relying_party_for_request(request),
            ip=client_ip(request),
        )
    except DomainError as exc:
        return _json_refused(exc)
    login(request, user, backend=SESSION_BACKEND)
    next_url = body.get("next") if isinstance(body.get("next"), str) else ""
    if not next_url or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("portal:dashboard")
    return JsonResponse({"redirect": next_url})


@login_required
@require_POST
def passkey_rename(request, passkey_id):
    try:
        passkey = passkeys.passkey_rename(user=request.user, passkey_id=passkey_id, name=request.POST.get("name", ""))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, " ".join(sum((exc.errors or {}).values(), [])) or exc.message)
    else:
        messages.success(request, gettext("Passkey renamed “%(name)s”.") % {"name": passkey.name})
    return redirect(reverse("portal:profile") + "#passkeys-h")


@login_required
@require_POST
def passkey_remove(request, passkey_id):
    try:
        passkeys.passkey_remove(
            user=request.user, passkey_id=passkey_id, session=websessions.web_session_current(request)
        )
    except NotFound:
        raise Http404 from None
    except reauth.ReauthenticationRequired:
        return reauth_redirect(request, reverse("portal:profile") + "#passkeys-h")
    messages.success(request, gettext("Passkey removed: it signs in no more."))
    return redirect(reverse("portal:profile") + "#passkeys-h")


@login_required
@require_POST
def passkey_offer_dismiss(request):
    request.session.pop(OFFER_PASSKEY, None)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("portal:dashboard")
    return redirect(next_url)


# --- Confirm it's you (re-authentication) and the shopper's sessions ------------------------


def _next_or(request, fallback: str) -> str:
    """A `next` of this site (the form's or the query's), else `fallback`."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def reauth_redirect(request, next_url: str):
    """To "Confirm it's you", then back to `next_url`: a serious step refused for an old
    sign-in (`ReauthenticationRequired`) sends the shopper here."""
    messages.info(request, gettext("For your security, confirm it's you first. Then try again."))
    return redirect(f"{reverse('portal:profile-confirm')}?{urlencode({'next': next_url})}")


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("auth")
def profile_confirm(request):
    """Prove it is still the shopper (the password, a code sent to their verified address, or a
    passkey): serious steps then pass for REAUTH_MAX_AGE_SECONDS (`services.reauth`)."""
    next_url = _next_or(request, reverse("portal:profile"))
    form, kind = _reauth_form(request, "confirm") if request.method == "POST" else (None, None)
    if request.method == "POST" and "send_code" in request.POST:
        _send_reauth_code(request)
        return redirect(f"{reverse('portal:profile-confirm')}?{urlencode({'next': next_url})}")
    if request.method == "POST":
        if "otp" in request.POST:
            form, kind = forms.CodeForm(request.POST), "code"

        def step(*, user, ip, **credentials):
            reauth.reauthenticate(session=websessions.web_session_current(request), ip=ip, **credentials)
            request.session.cycle_key()  # a new session id after an authentication (ASVS 5.0 7.2.4)

        if _confirmed(request, form, kind, step):
            messages.success(request, gettext("Thank you: that's you."))
            return redirect(next_url)
    has_password = request.user.has_usable_password()
    context = {
        "password_form": form if kind == "password" else forms.ReauthForm(prefix="confirm"),
        "code_form": form if kind == "code" else forms.CodeForm(),
        "has_password": has_password,
        "pending_code": request.session.get(PENDING_REAUTH),
        "has_passkeys": request.user.passkeys.exists(),
        "next": next_url,
        "section": "profile-confirm",
    }
    return render(request, "account/confirm.html", context, status=400 if form is not None else 200)


@login_required
@require_POST
@rate_limited("auth")
def profile_confirm_passkey_options(request):
    try:
        options, key = passkeys.passkey_assertion_options(
            rp=passkeys.relying_party_for_request(request), user=request.user
        )
    except DomainError as exc:
        return _json_refused(exc)
    return _options_answer(options, key)


@login_required
@require_POST
@rate_limited("auth")
def profile_confirm_passkey(request):
    body = _json_body(request)
    try:
        reauth.reauthenticate(
            session=websessions.web_session_current(request),
            credential=body.get("credential"),
            challenge_key=body.get("challenge_key"),
            rp=passkeys.relying_party_for_request(request),
            ip=client_ip(request),
        )
    except DomainError as exc:
        return _json_refused(exc)
    request.session.cycle_key()
    messages.success(request, gettext("Thank you: that's you."))
    return JsonResponse({"redirect": _next_or_value(request, body.get("next"))})


def _next_or_value(request, next_url) -> str:
    if isinstance(next_url, str) and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return reverse("portal:profile")


@login_required
@require_GET
def profile_sessions(request):
    """Where the shopper is signed in: this browser, their other browsers and their apps."""
    rows = sessions.sessions_active(user=request.user, current=websessions.web_session_current(request))
    return render(request, "account/sessions.html", {"sessions": rows, "section": "profile-sessions"})


@login_required
@require_POST
@rate_limited("auth")
def profile_session_end(request, session_id):
    back = reverse("portal:profile-sessions")
    try:
        ended = sessions.session_end_own(
            user=request.user, session_id=session_id, current=websessions.web_session_current(request)
        )
    except NotFound:
        raise Http404 from None
    except reauth.ReauthenticationRequired:
        return reauth_redirect(request, back)
    if ended.pk == getattr(websessions.web_session_current(request), "pk", None):
        logout(request)
        return redirect("portal:sign-in")
    messages.success(request, gettext("Signed out of %(device)s.") % {"device": device_of(ended.user_agent).label})
    return redirect(back)


@login_required
@require_POST
@rate_limited("auth")
def profile_sessions_end_others(request):
    back = reverse("portal:profile-sessions")
    try:
        count = sessions.sessions_end_others(user=request.user, current=websessions.web_session_current(request))
    except reauth.ReauthenticationRequired:
        return reauth_redirect(request, back)
    messages.success(
        request, gettext("Every other session is signed out.") if count else gettext("You were signed in nowhere else.")
    )
    return redirect(back)


@require_http_methods(["GET", "POST"])
@rate_limited("auth")
def not_me(request, token):
    """The link in a new-sign-in notice: "It wasn't me". Confirming signs out every session of
    the account (this browser's too) and sends a password reset code, then asks for it."""
    if request.method == "GET":
        return render(request, "account/not_me.html", {"token": token})
    try:
        done = sessions.not_me(token=token)
    except NotFound:
        return render(request, "account/not_me.html", {"token": token, "invalid": True}, status=404)
    except Throttled as exc:
        messages.error(request, _throttled_text(exc))
        return redirect("portal:password-reset")
    if request.user.is_authenticated:
        logout(request)
    request.session[PENDING_RESET] = {
        "otp_token": done.reset.otp_token,
        "target": done.reset.record.target,
        "send": done.reset_kwargs,
    }
    messages.success(
        request, gettext("You are signed out everywhere. Choose a new password with the code we sent you.")
    )
    return redirect("portal:password-reset-code")


@require_POST
def language_switch(request):
    """The language switch on every page: saved on the account when signed in (it follows the
    shopper to other devices and to their messages), in the language cookie before."""
    code = language.supported(request.POST.get("language"))
    next_url = _next_or(request, reverse("portal:dashboard"))
    if code is None:
        return redirect(next_url)
    if request.user.is_authenticated:
        language.language_save(user=request.user, language=code)
    translation.activate(code)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
