"""Address book form: shape only; country rules and defaults are in customers.services.

Every error of a submit shows at once: the country rules (postal code format, India's states and
union territories, `geography.address_fields_check`) run in `clean` beside the format checks, not
only once those pass.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PhoneField
from common.forms import LongSelect
from common.phones import phone_example

from .geography import Country, address_fields_check, countries, country_lookup, default_country


class AddressForm(forms.Form):
    nickname = forms.CharField(
        label=_("Nickname"), max_length=50, required=False, help_text=_("For example Home or Office.")
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = PhoneField(label=_("Phone number"))
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address_line1 = forms.CharField(
        label=_("Address line 1"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "address-line1"})
    )
    address_line2 = forms.CharField(
        label=_("Address line 2"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    landmark = forms.CharField(label=_("Landmark"), max_length=255, required=False)
    city = forms.CharField(
        label=_("City"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    # A list of the country's states where Google's address data has one (address_form.html),
    # free text elsewhere, left out where the country's addresses name none; checked in `clean`.
    state = forms.CharField(max_length=100, required=False)
    pincode = forms.CharField(
        label="PIN code",
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    # Every country (their English names are what is stored); choosing one adapts the form.
    country = forms.ChoiceField(
        label=_("Country"),
        choices=(),
        widget=LongSelect(attrs={"autocomplete": "country-name", "data-country-input": ""}),
    )
    business_name = forms.CharField(label=_("Business name"), max_length=200, required=False)
    tax_identification_number = forms.CharField(label=_("GSTIN / tax id"), max_length=32, required=False)
    is_default_billing = forms.BooleanField(label=_("Use as my default billing address"), required=False)
    is_default_shipping = forms.BooleanField(label=_("Use as my default shipping address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.name, c.name) for c in countries()]
        known = country_lookup(self.initial.get("country") or "")
        self.initial["country"] = (known or default_country()).name  # "IN", "india": the list's name
        phone = self.initial.get("phone")
        if phone and self.initial.get("country_code"):
            self.initial["phone"] = f"{self.initial['country_code']} {phone}"
        self.address_country = self.chosen_country()
        # The fields, labels and what is required follow the country (Google's address data).
        pincode, state, city = self.fields["pincode"], self.fields["state"], self.fields["city"]
        pincode.label = self.address_country.postal_label
        pincode.required = "pincode" in self.address_country.required
        examples = self.address_country.postal_examples
        if examples and all(e.replace("-", "").replace(" ", "").isdigit() for e in examples):
            pincode.widget.attrs["inputmode"] = "numeric"
        phone = self.fields["phone"]
        if self.address_country.calling_code:
            phone.default_country_code = self.address_country.calling_code
            if self.address_country.iso != "IN":
                phone.help_text = phone_example(self.address_country.iso) or phone.help_text
        state.label = self.address_country.state_label
        state.required = "state" in self.address_country.required
        city.required = "city" in self.address_country.required

    def chosen_country(self) -> Country:
        """The country the form is for: the one posted, else the address's, else the shop's."""
        value = self.data.get("country") if self.is_bound else None
        return country_lookup(value or "") or country_lookup(self.initial.get("country") or "") or default_country()

    def has_state_list(self) -> bool:
        return bool(self.address_country.states)

    def clean(self):
        cleaned = super().clean()
        if {"country", "state", "pincode"} & set(self.errors):
            data = {f: self.data.get(f, "") for f in ("country", "state", "pincode")}
        else:
            data = {f: cleaned.get(f, "") for f in ("country", "state", "pincode")}
        data["city"] = cleaned.get("city", self.data.get("city", ""))
        _, errors = address_fields_check(**data)
        if "state" in errors and not (self.data.get("state") or "").strip():
            self.errors["state"] = self.error_class(errors["state"])  # "choose", not "required"
        for field, messages in errors.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def service_data(self) -> dict:
        """What the service gets: the phone as `phone` + `country_code`; unchecked default boxes
        mean 'no change', not 'unset'."""
        data = dict(self.cleaned_data)
        phone = data.pop("phone")
        data["phone"], data["country_code"] = phone.number, phone.country_code
        for kind in ("is_default_billing", "is_default_shipping"):
            if not data.get(kind):
                data.pop(kind, None)
        return data


class DocumentForm(forms.Form):
    """A business document (GSTIN, PAN): shape only; the number's rules are customers.documents'."""

    document_number = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"})
    )
    note = forms.CharField(max_length=500, required=False, help_text="For you and our staff, such as the firm's name.")
    file = forms.FileField(
        label="Photo or scan",
        required=False,
        help_text="JPEG, PNG or WebP, up to 5 MB.",
        # No "clear" box: removing the file is not offered, and a forged clear gave False.
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, kyc_document, **kwargs):
        super().__init__(*args, prefix=kyc_document.pk.lower(), **kwargs)
        self.kyc_document = kyc_document
        self.fields["document_number"].label = f"{kyc_document.title} number"
        if kyc_document.description:
            self.fields["document_number"].help_text = kyc_document.description
        if kyc_document.is_attachment_required:
            self.fields["file"].required_when = "required for a new document"
