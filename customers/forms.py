"""Address book form: shape only; country rules and defaults are in customers.services."""

from django import forms

from accounts.forms import PHONE_RE

from .geography import COUNTRIES, INDIA_STATES


class AddressForm(forms.Form):
    nickname = forms.CharField(max_length=50, required=False, help_text="For example Home or Office.")
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    phone = forms.RegexField(regex=PHONE_RE, label="Phone number", error_messages={"invalid": "Enter a 10 digit phone number."},
                             widget=forms.TextInput(attrs={"autocomplete": "tel-national", "inputmode": "numeric"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address_line1 = forms.CharField(label="Address line 1", max_length=255, widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    address_line2 = forms.CharField(label="Address line 2", max_length=255, required=False, widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    landmark = forms.CharField(max_length=255, required=False)
    city = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    state = forms.CharField(max_length=100, help_text="For India, a state or union territory.",
                            widget=forms.TextInput(attrs={"list": "states", "autocomplete": "address-level1"}))
    pincode = forms.CharField(label="PIN / postal code", max_length=12, widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    country = forms.CharField(max_length=100, initial="India", widget=forms.TextInput(attrs={"list": "countries", "autocomplete": "country-name"}))
    business_name = forms.CharField(max_length=200, required=False)
    tax_identification_number = forms.CharField(label="GSTIN / tax id", max_length=32, required=False)
    is_default_billing = forms.BooleanField(label="Use as my default billing address", required=False)
    is_default_shipping = forms.BooleanField(label="Use as my default shipping address", required=False)

    STATES = INDIA_STATES
    COUNTRIES = [c.name for c in COUNTRIES.values()]

    def service_data(self) -> dict:
        """What the service gets: unchecked default boxes mean 'no change', not 'unset'."""
        data = dict(self.cleaned_data)
        for kind in ("is_default_billing", "is_default_shipping"):
            if not data.get(kind):
                data.pop(kind, None)
        return data
