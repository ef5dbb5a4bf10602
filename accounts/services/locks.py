"""Holding a shopper's row while one of their things is written."""

from ..models import User


def customer_lock(customer: User) -> None:
    """Hold the shopper's row until the transaction ends, so two writes of one shopper's things
    at once (a size cap, one document per kind, the one default address) wait for each other
    instead of both passing a check and both writing. Call it inside the write's transaction."""
    User.objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).get()
