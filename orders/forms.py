"""Website forms of the order pages: shape only; the rules are in orders.services and orders.lifecycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .lifecycle import MAX_RETURN_COMMENT
from .models import RefundMode, Resolution


class CancelForm(forms.Form):
    cancellation_reason = forms.ChoiceField(
        label="Why are you cancelling?",
        choices=[
            ("", "Choose a reason"),
            ("Ordered by mistake", "Ordered by mistake"),
            ("Found a better price", "Found a better price"),
            ("Delivery is too slow", "Delivery is too slow"),
            ("Changed my mind", "Changed my mind"),
            ("Other", "Other"),
        ],
    )
    feedback = forms.CharField(
        label="Anything else?", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    refund_mode = forms.ChoiceField(
        label="Refund to",
        widget=forms.RadioSelect,
        initial=RefundMode.ORIGINAL_PAYMENT_MODE,
        choices=[
            (RefundMode.ORIGINAL_PAYMENT_MODE, "The original payment method"),
            (RefundMode.BANK_TRANSFER, "My bank account"),
        ],
    )
    # Needed only for a bank transfer: the page says so instead of "(optional)".
    bank_account_id = forms.ChoiceField(label="Bank account", required=False)
    bank_account_id.required_when = "needed to refund to your bank account"

    def __init__(self, *args, bank_accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account_id"].choices = [("", "Choose a verified account")] + [
            (a.id, f"{a.bank_name} · {a.masked_number}") for a in bank_accounts
        ]
        if not bank_accounts:
            self.fields["refund_mode"].choices = self.fields["refund_mode"].choices[:1]
            self.fields["bank_account_id"].help_text = "Add a bank account and have it verified to use this."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refund_mode") == RefundMode.BANK_TRANSFER and not cleaned.get("bank_account_id"):
            self.add_error("bank_account_id", "Choose the bank account for the refund.")
        return cleaned


class ReturnForm(forms.Form):
    """A quantity per returnable item (`qty_<item id>`), one reason and one resolution."""

    return_reason = forms.ChoiceField(
        label="Reason",
        choices=[
            ("", "Choose a reason"),
            ("Arrived damaged", "Arrived damaged"),
            ("Wrong item", "Wrong item"),
            ("Not as described", "Not as described"),
            ("No longer needed", "No longer needed"),
        ],
    )
    comment = forms.CharField(
        label="Tell us more",
        required=False,
        max_length=MAX_RETURN_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resolution = forms.ChoiceField(
        label="What would you like?", widget=forms.RadioSelect, choices=Resolution.choices, initial=Resolution.REFUND
    )
    pickup_address = forms.ChoiceField(label="Pick up from", widget=forms.RadioSelect, required=False)

    def __init__(self, *args, returnable=(), addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {address.pk: address for address in addresses}
        field = self.fields["pickup_address"]
        field.choices = [(address.pk, str(address)) for address in addresses]
        default = next((a.pk for a in addresses if a.is_default_shipping), next(iter(self.addresses), None))
        field.initial = default
        self.items = []
        for item, available in returnable:
            name = f"qty_{item.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=item.product_name,
                coerce=int,
                initial=0,
                required=False,
                empty_value=0,
                choices=[(n, str(n)) for n in range(available + 1)],
            )
            self.items.append((item, self[name]))

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"qty_{item.pk}") for item, _ in self.items):
            raise forms.ValidationError(_("Choose how many of an item to return."))
        return cleaned

    def chosen_address(self):
        """The address book entry chosen for the pickup; None (not sent): the order's shipping address."""
        return self.addresses.get(self.cleaned_data.get("pickup_address"))

    def quantities(self):
        return [
            (item, self.cleaned_data[f"qty_{item.pk}"])
            for item, _ in self.items
            if self.cleaned_data.get(f"qty_{item.pk}")
        ]
