"""URL helpers for the API: every route answers with and without a trailing slash."""

from django.urls import path


def api_path(route: str, view, name: str):
    """The SDK calls paths without a trailing slash; browsers and curl users often add one."""
    route = route.strip("/")
    return [path(route, view, name=name), path(f"{route}/", view)]
