"""Who may call what: signed-in shoppers only, and only on their own account."""

from rest_framework.permissions import BasePermission


class IsCustomer(BasePermission):
    """A signed-in, active shopper. No token is 401; a guest (anonymous) token is 403."""

    message = "Sign in to use this endpoint."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user is not None and user.is_authenticated and user.is_active)


class IsPathUser(IsCustomer):
    """The user (or customer: the same id) named in the path must be the token's user.

    The view names the path keyword with `owner_kwarg` (default `user_id`). Objects under that
    path are then fetched through selectors scoped to the user, so another shopper's object is
    a 404, never a 403.
    """

    message = "You can only access your own account."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = IsCustomer.message
            return False
        owner_kwarg = getattr(view, "owner_kwarg", "user_id")
        return view.kwargs.get(owner_kwarg) == request.user.id
