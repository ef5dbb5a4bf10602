"""The columns every table of ours starts with, written once."""

from django.db import models

from .ids import new_ulid


class BaseModel(models.Model):
    """A ULID primary key (sortable by creation time, safe to show in URLs) and the row's timestamps.

    The few tables that never had a timestamp drop it (`modified_at = None`, which Django
    supports for fields of an abstract base) rather than gaining a column; the ones whose
    creation time is set by the code (back-dated ledger entries, codes) override `created_at`.
    """

    id = models.CharField(primary_key=True, max_length=26, default=new_ulid, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
