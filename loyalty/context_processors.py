"""Template context for every page of the website."""

from django.conf import settings


def loyalty(request) -> dict:
    """`loyalty_enabled`: the navigation links the rewards page only while the program runs."""
    return {"loyalty_enabled": settings.LOYALTY_ENABLED}
