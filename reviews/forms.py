"""The website's review form: shape only; the rules are in reviews.services."""

from django import forms


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(coerce=int, choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
                                    widget=forms.RadioSelect, error_messages={"required": "Choose 1 to 5 stars."})
    review_text = forms.CharField(label="Your review", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    order_number = forms.CharField(widget=forms.HiddenInput, required=False)
