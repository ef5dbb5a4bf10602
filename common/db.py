"""Which database a read goes to, and a lock on a name for the length of a transaction."""

from django.conf import settings
from django.db import connections, router


def list_db() -> str:
    """The list endpoints read from the replica when one is configured (DATABASE_REPLICA_URL)."""
    return "replica" if "replica" in settings.DATABASES else "default"


def lock_name(name: str, *, model) -> None:
    """Hold a lock on `name` until the current transaction ends, so that two transactions about
    the same thing (one address's codes) run one after the other even when there is no row to
    lock yet. PostgreSQL: a transaction-level advisory lock. SQLite takes the database's write
    lock when a transaction starts (`transaction_mode` IMMEDIATE), which already serialises."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
