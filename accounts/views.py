"""Website pages of the account: sign-in, registration, overview and profile.

Each view parses a form, calls the same service the API calls, and shows service errors on the
form; nothing here decides a business rule.
"""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST

from common.exceptions import DomainError, Throttled
from common.forms import add_domain_error
from common.throttling import rate_limited

from . import forms, services
from .models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, OtpAction

PENDING_REGISTRATION = "pending_registration"
PENDING_CONTACT = "pending_contact_change"


@method_decorator(rate_limited("auth"), name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "account/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


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
        try:
            issued = services.registration_start(
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"] or None,
                **_phone_kwargs(form.cleaned_data["phone"]),
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except DomainError as exc:
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
            messages.success(request, "Welcome! Your account is ready.")
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
        messages.error(request, f"{exc.message} You can ask again in {exc.retry_after} seconds.")
        return
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    request.session[session_key] = {**pending, "otp_token": issued.otp_token}
    messages.success(request, f"We sent a new code to {pending['target']}. The earlier one no longer works.")


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
        "names_form": forms.NamesForm(initial={"first_name": user.first_name, "last_name": user.last_name}),
        "email_form": forms.EmailChangeForm(),
        "phone_form": forms.PhoneChangeForm(),
        "picture_form": forms.PictureForm(),
        "prefs_form": forms.PreferencesForm(preferences=user.notification_preferences),
        "password_form": forms.ChangePasswordForm(),
    }
    defaults.update(forms_)
    defaults["kinds"] = NOTIFICATION_KINDS
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
        services.user_update(user=request.user, data=form.cleaned_data)
        messages.success(request, "Your name is saved.")
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
        issued = services.contact_code_send(user=request.user, **send)
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
            messages.success(request, f"{pending['target']} is now on your account and verified.")
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
    _resend(request, PENDING_CONTACT, lambda p: services.contact_code_send(user=request.user, **p["send"]))
    return redirect("portal:contact-verify")


@login_required
@require_POST
def profile_picture(request):
    if request.POST.get("remove"):
        services.profile_image_remove(user=request.user)
        messages.success(request, "Your picture is removed.")
        return redirect("portal:profile")
    form = forms.PictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_image_set(user=request.user, upload=form.cleaned_data["image"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your picture is saved.")
            return redirect("portal:profile")
    return _profile_error(request, picture_form=form)


@login_required
@require_POST
def profile_preferences(request):
    form = forms.PreferencesForm(request.POST)
    form.is_valid()  # booleans: always valid
    services.notification_preferences_update(user=request.user, changes=form.preferences())
    messages.success(request, "Your notification choices are saved.")
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
                session=None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay signed in here
            messages.success(request, "Your password is changed. You were signed out on your other devices.")
            return redirect("portal:profile")
    return _profile_error(request, password_form=form)
