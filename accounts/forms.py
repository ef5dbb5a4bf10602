"""Website forms of the account pages: shape checks only; the rules are in accounts.services."""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.clientip import client_ip
from common.digits import DigitsRegexFormField
from common.exceptions import Throttled, Unauthorized
from common.phones import DEFAULT_COUNTRY_CODE, INVALID_PHONE, PHONE_HELP, Phone, phone_parse

from . import selectors, services, signin
from .errors import AccountDeactivated
from .models import NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, normalize_email

IDENTIFIER_LABEL = _("Mobile number or email")
IDENTIFIER_HELP = _("For example 98765 43210 or asha@example.com.")
INVALID_IDENTIFIER = _("Enter a mobile number such as 98765 43210, or an email address.")
DEACTIVATED_SIGN_IN = _(
    "This account is deactivated. To reactivate it, press “Send me a code” and enter the code "
    "we send to your mobile number or email."
)


class PhoneField(forms.CharField):
    """A phone as people type it (country code, spaces, dashes), cleaned to a `Phone` by the one
    parser (`common.phones`); a number without a country code is taken as Indian."""

    max_typed_length = 32
    # The country a number typed without its code is read in ("+91"); a form sets it from the
    # address's country (customers.forms.AddressForm).
    default_country_code = DEFAULT_COUNTRY_CODE

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
            return phone_parse(value, country_code=self.default_country_code)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value):
        return str(value) if isinstance(value, Phone) else value


@dataclass(frozen=True)
class Identifier:
    """What was typed in a "Mobile number or email" box: an email or a phone, never both."""

    email: str | None = None
    phone: Phone | None = None

    @property
    def channel(self) -> str:
        """Where a code to it goes: "email", or "sms" for a phone."""
        return "email" if self.email else "sms"

    def as_kwargs(self) -> dict:
        """As the services take it: `email`, or `phone` + `country_code`."""
        if self.email:
            return {"email": self.email}
        return {"phone": self.phone.number, "country_code": self.phone.country_code}

    def __str__(self) -> str:
        return self.email or str(self.phone)


class IdentifierField(forms.CharField):
    """One box for a mobile number or an email: with an "@" it is an email, else a phone read by
    the one parser (`common.phones`)."""

    max_typed_length = 254

    def __init__(self, **kwargs):
        kwargs.setdefault("label", IDENTIFIER_LABEL)
        kwargs.setdefault("help_text", IDENTIFIER_HELP)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "username",
                    "autocapitalize": "none",
                    "spellcheck": "false",
                    "maxlength": self.max_typed_length,
                }
            ),
        )
        super().__init__(**kwargs)
        # The cleaned value is an `Identifier`, not text: the length is checked as typed, below.
        self.validators = []

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > self.max_typed_length or "\x00" in value:
            raise forms.ValidationError(INVALID_IDENTIFIER, code="invalid")
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(_("Enter a valid email address."), code="invalid") from None
            return Identifier(email=normalize_email(value))
        try:
            return Identifier(phone=phone_parse(value))
        except ValueError:
            raise forms.ValidationError(INVALID_IDENTIFIER, code="invalid") from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, Identifier) else value


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
            except AccountDeactivated:
                # Said only now that the password is proven right; the page offers the code.
                raise forms.ValidationError(DEACTIVATED_SIGN_IN, code="account_deactivated") from None
            user.backend = "accounts.backends.EmailOrPhoneBackend"
            self.user_cache = user
            self.confirm_login_allowed(user)
        return self.cleaned_data


class SignInForm(PasswordSignInMixin, AuthenticationForm):
    username = forms.CharField(
        label=IDENTIFIER_LABEL,
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email/phone or password is not correct."),
    }


class StaffSignInForm(PasswordSignInMixin, AdminAuthenticationForm):
    """The Django admin's sign-in (`admin.site.login_form`): staff are locked out like shoppers."""


class SignInCodeForm(forms.Form):
    """ "Send me a code" on the sign-in page: only the identifier (the password box is ignored)."""

    username = IdentifierField(
        help_text="",
        error_messages={"required": "Enter your mobile number or email, and we send a code to it."},
    )


class RegisterForm(forms.Form):
    """Sign-up: one box for a mobile number or an email (the code goes there), and a password
    shown or hidden at will (static/js/account-forms.js) instead of typed twice."""

    first_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    identifier = IdentifierField(
        help_text="We send a code here to confirm it.",
        error_messages={"required": "Give a mobile number or an email address."},
    )
    password = forms.CharField(
        max_length=128,
        strip=False,
        help_text="At least 8 characters.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-reveal": ""}),
    )


class CodeForm(forms.Form):
    otp = DigitsRegexFormField(
        regex=r"^\s*[0-9]{6}\s*$",
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


# What the profile calls each kind of message and channel, in the shopper's language.
NOTIFICATION_KIND_LABELS = {
    "transactional": _("Transactional"),
    "promotional": _("Promotional"),
    "newsletter": _("Newsletter"),
}
NOTIFICATION_CHANNEL_LABELS = {"email": _("email"), "sms": "SMS", "whatsapp": "WhatsApp"}


class PreferencesForm(forms.Form):
    """A switch per kind of message and channel, named `<kind>__<channel>`."""

    def __init__(self, *args, preferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NOTIFICATION_KINDS:
            for channel in NOTIFICATION_CHANNELS:
                self.fields[f"{kind}__{channel}"] = forms.BooleanField(
                    required=False,
                    label=gettext("%(kind)s by %(channel)s")
                    % {"kind": NOTIFICATION_KIND_LABELS[kind], "channel": NOTIFICATION_CHANNEL_LABELS[channel]},
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


class ResetPasswordByCodeForm(forms.Form):
    """The code sent to a phone, and the new password."""

    otp = CodeForm.base_fields["otp"]
    new_password = forms.CharField(
        label="New password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-reveal": ""}),
    )


class ReauthForm(forms.Form):
    """Confirming a serious step (downloading or deleting one's data) with the password."""

    password = forms.CharField(
        label="Your password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResetPasswordForm(SetPasswordForm):
    """Django's reset-link form, saving through the service so every session ends."""

    def save(self, commit=True):
        return services.password_set(user=self.user, new_password=self.cleaned_data["new_password1"])


class ResetPasswordRequestForm(PasswordResetForm):
    """Django's "email me a reset link" form, taking a mobile number too (then a code goes to
    it: `accounts.services.password_reset_start`, as `POST /auth/forgot-password`). The link or
    code goes only to a verified address. The box keeps Django's name, `email`."""

    email = IdentifierField(help_text="")

    def clean_email(self):
        identifier = self.cleaned_data["email"]
        self.identifier = identifier
        return identifier.email or ""

    def get_users(self, email):
        # A deactivated account's owner may reset too (password_set reactivates it).
        user = selectors.user_find_for_sign_in(email=email, include_deactivated=True)
        if user is not None and user.has_usable_password():
            yield user
