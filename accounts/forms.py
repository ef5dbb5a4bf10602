"""Website forms of the account pages: shape checks only; the rules are in accounts.services."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from common.clientip import client_ip
from common.exceptions import Throttled, Unauthorized
from common.phones import INVALID_PHONE, PHONE_HELP, Phone, phone_parse

from . import selectors, services, signin
from .models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS


class PhoneField(forms.CharField):
    """A phone as people type it (country code, spaces, dashes), cleaned to a `Phone` by the one
    parser (`common.phones`); a number without a country code is taken as Indian."""

    max_typed_length = 32

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", PHONE_HELP)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "maxlength": self.max_typed_length}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            if len(value) > self.max_typed_length:
                raise ValueError(INVALID_PHONE)
            return phone_parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value):
        return str(value) if isinstance(value, Phone) else value


class PasswordSignInMixin:
    """An `AuthenticationForm` that signs in through `accounts.signin`, the rule the API and the
    admin follow too: a lock shows its own message, wrong credentials the form's one message."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                user = signin.sign_in(
                    password=password,
                    ip=client_ip(self.request) if self.request is not None else None,
                    **signin.credentials_from_username(username),
                )
            except Throttled as exc:
                raise forms.ValidationError(exc.message, code="throttled") from exc
            except Unauthorized:
                raise self.get_invalid_login_error() from None
            user.backend = "accounts.backends.EmailOrPhoneBackend"
            self.user_cache = user
            self.confirm_login_allowed(user)
        return self.cleaned_data


class SignInForm(PasswordSignInMixin, AuthenticationForm):
    username = forms.CharField(
        label="Email or phone number",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The email/phone or password is not correct.",
    }


class StaffSignInForm(PasswordSignInMixin, AdminAuthenticationForm):
    """The Django admin's sign-in (`admin.site.login_form`): staff are locked out like shoppers."""


class RegisterForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        required=False,
        help_text="We send a code here to confirm it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(required=False, label="Phone number", help_text=f"Used if you give no email. {PHONE_HELP}")
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    confirm_password = forms.CharField(
        label="Confirm password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error("email", "Give an email address or a phone number.")
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("confirm_password"):
            self.add_error("confirm_password", "The passwords do not match.")
        return cleaned


class CodeForm(forms.Form):
    otp = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="6-digit code",
        error_messages={"invalid": "Enter the 6 digits we sent you."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class NamesForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="New email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PhoneChangeForm(forms.Form):
    phone = PhoneField(label="New phone number")
    channel = forms.ChoiceField(
        label="Send the code by",
        choices=[("sms", "SMS"), ("whatsapp", "WhatsApp")],
        widget=forms.RadioSelect,
        initial="sms",
    )


class PictureForm(forms.Form):
    image = forms.FileField(
        label="New picture",
        help_text="JPEG, PNG or WebP, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class PreferencesForm(forms.Form):
    """A switch per kind of message and channel, named `<kind>__<channel>`."""

    def __init__(self, *args, preferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NOTIFICATION_KINDS:
            for channel in NOTIFICATION_CHANNELS:
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    required=False,
                    label=f"{kind.capitalize()} by {channel}",
                    initial=bool((preferences or {}).get(kind, {}).get(channel)),
                )

    def preferences(self) -> dict:
        return {
            kind: {channel: self.cleaned_data[f"{kind}__{channel}"] for channel in NOTIFICATION_CHANNELS}
            for kind in NOTIFICATION_KINDS
        }


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(
        label="Current password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    confirm_password = forms.CharField(
        label="Confirm new password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") and cleaned.get("new_password") != cleaned.get("confirm_password"):
            self.add_error("confirm_password", "The passwords do not match.")
        return cleaned


class ResetPasswordForm(SetPasswordForm):
    """Django's reset-link form, saving through the service so every session ends."""

    def save(self, commit=True):
        return services.password_set(user=self.user, new_password=self.cleaned_data["new_password1"])


class ResetPasswordRequestForm(PasswordResetForm):
    """Django's "email me a reset link" form; the link goes only to a verified address."""

    def get_users(self, email):
        user = selectors.user_find_for_sign_in(email=email)
        if user is not None and user.has_usable_password():
            yield user
