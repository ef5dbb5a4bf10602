"""The website's review forms: shape only; the rules (1 to 5 stars, words optional) are in
reviews.services."""

from django import forms

# In the order the stars are drawn, left to right: the arrow keys move along a radio group in
# document order, so the group must be in the visual order.
RATING_CHOICES = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]
CHOOSE_STARS = "Choose 1 to 5 stars."


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_STARS, "invalid_choice": CHOOSE_STARS},
    )
    review_text = forms.CharField(
        label="Your review", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class NewReviewForm(ReviewForm):
    order_number = forms.CharField(widget=forms.HiddenInput, required=False)
