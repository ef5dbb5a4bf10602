"""The website's review forms: shape only; the rules (1 to 5 stars, words optional) are in
reviews.services."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _stars(n: int) -> str:
    return ngettext("%(n)s star", "%(n)s stars", n) % {"n": n}


# In the order the stars are drawn, left to right: the arrow keys move along a radio group in
# document order, so the group must be in the visual order.
RATING_CHOICES = [(n, lazy(_stars, str)(n)) for n in range(1, 6)]
CHOOSE_STARS = _("Choose 1 to 5 stars.")


class ReviewForm(forms.Form):
    # {{ form }}: its errors, the stars and the words (Jinja2, common.forms.WidgetRenderer).
    template_name = "reviews/review_fields.html"

    rating = forms.TypedChoiceField(
        coerce=int,
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_STARS, "invalid_choice": CHOOSE_STARS},
    )
    review_text = forms.CharField(
        label=_("Your review"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class NewReviewForm(ReviewForm):
    order_number = forms.CharField(widget=forms.HiddenInput, required=False)
