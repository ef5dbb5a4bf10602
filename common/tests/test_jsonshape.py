"""common.jsonshape's Python writer (the SQL one is held to it on PostgreSQL, in
orders/tests/test_selectors.py, where there are tables to write from)."""

from datetime import UTC, datetime
from decimal import Decimal

from common.jsonshape import Field, Group, Kind, columns, to_python

SHAPE = (
    Field("value", "value"),
    Field("text", "text", Kind.OPTIONAL_TEXT),
    Group("money", (Field("amount", "amount", Kind.NUMBER),)),
    Field("at", "at", Kind.DATETIME),
)


def test_each_kind_is_written_as_the_api_writes_it():
    row = {"value": 3, "text": "", "amount": Decimal("1234.50"), "at": datetime(2026, 1, 2, 3, 4, 5, 120, tzinfo=UTC)}
    assert to_python(SHAPE, row) == {
        "value": 3,
        "text": None,
        "money": {"amount": 1234.5},
        "at": "2026-01-02T03:04:05.000120Z",
    }


def test_a_null_column_is_null_whatever_its_kind():
    """As in SQL, where json_build_object writes a NULL column as null for every kind."""
    assert to_python(SHAPE, dict.fromkeys(columns(SHAPE))) == {
        "value": None,
        "text": None,
        "money": {"amount": None},
        "at": None,
    }
