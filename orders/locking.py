"""Knowing that an order's row lock is still held: what a write read under the lock (the order
and its relations, orders.services.base.order_lock_for_customer; what it can still return,
lifecycle.returnable_quantities) stays true until the lock goes, so it is read once."""

from django.db import router, transaction

from .models import Order


class _LockHeld:
    """Stands for an order's row lock among its transaction's on-commit callbacks (it does nothing
    when called). Django drops a callback when the transaction commits or rolls back, and when the
    savepoint it was added under rolls back (which, on PostgreSQL, gives up locks taken since):
    while it is still listed, the lock it stands for is held."""

    def __call__(self) -> None:
        pass


def lock_mark(order: Order) -> None:
    """Note that `order`'s row was just locked (SELECT ... FOR UPDATE) in the current transaction."""
    order._lock_held = _LockHeld()
    transaction.on_commit(order._lock_held, using=router.db_for_write(Order))


def lock_held(order: Order) -> bool:
    """`order` was locked (lock_mark) in the transaction still running, and the lock holds."""
    held = getattr(order, "_lock_held", None)
    if held is None:
        return False
    connection = transaction.get_connection(router.db_for_write(Order))
    return connection.in_atomic_block and any(callback is held for _, callback, _ in connection.run_on_commit)
