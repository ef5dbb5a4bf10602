"""Who may call what: signed-in shoppers only, and only on their own account."""

from rest_framework.permissions import BasePermission

from common.exceptions import InvalidInput

BODY_METHODS = ("POST", "PUT", "PATCH")


class IsCustomer(BasePermission):
    """A signed-in, active shopper. No token is 401; a guest (anonymous) token is 403."""

    message = "Sign in to use this endpoint."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user is not None and user.is_authenticated and user.is_active)


class IsOwner(IsCustomer):
    """The shopper a request names must be the token's user, wherever the request names them.

    The view says where, so the check is written once for every form the contract uses:
    `owner_kwarg`, a path keyword (default `user_id`; `id` under /auth/user/{id});
    `owner_query_param`, the query string (`GET /orders?user_id=`: required there, a 400 when
    missing); `owner_body_field`, the body (review submit's `user_id`: the SDK sends it, other
    clients may leave it out). Another shopper's id is a 403. Objects under that shopper are
    then fetched through selectors scoped to the user, so another shopper's object is a 404.
    """

    message = "You can only access your own account."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = IsCustomer.message
            return False
        named = _owners_named(request, view)
        if not named and not getattr(view, "owner_body_field", None):
            return False  # a view that names its shopper nowhere is refused, not opened
        return all(str(owner).upper() == request.user.id for owner in named)


def _owners_named(request, view) -> list:
    """The ids the request gives for the shopper it acts for, from the places the view declares."""
    named = []
    kwarg = getattr(view, "owner_kwarg", "user_id")
    if kwarg in view.kwargs:
        named.append(view.kwargs[kwarg])
    query_param = getattr(view, "owner_query_param", None)
    if query_param:
        value = request.query_params.get(query_param)
        if not value:
            raise InvalidInput.for_field(query_param, f"{query_param} is required.")
        named.append(value)
    body_field = getattr(view, "owner_body_field", None)
    if body_field and request.method in BODY_METHODS:
        if not request.content_type.startswith("multipart/"):
            # Read the raw body before DRF parses it, so it stays readable afterwards: the
            # Idempotency-Key fingerprint hashes it.
            request.body  # noqa: B018
        value = request.data.get(body_field) if hasattr(request.data, "get") else None
        if value not in (None, ""):
            named.append(value)
    return named
