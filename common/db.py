"""Which database a read goes to."""

from django.conf import settings


def list_db() -> str:
    """The list endpoints read from the replica when one is configured (DATABASE_REPLICA_URL)."""
    return "replica" if "replica" in settings.DATABASES else "default"
