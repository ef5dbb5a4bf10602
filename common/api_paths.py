"""API routes declared once and answered with and without a trailing slash (`api_path`)."""

from django.urls import path


def api_path(route: str, view, name: str):
    """The SDK calls paths without a trailing slash; browsers and curl users often add one."""
    route = route.strip("/")
    return [path(route, view, name=name), path(f"{route}/", view)]
