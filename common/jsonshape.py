"""One description of a JSON answer's shape, written out two ways from the same rows.

`to_python(shape, row)` builds the answer from a row dict (any database), and
`to_sql(shape, connection, alias)` is the SQL expression with which PostgreSQL writes the same
answer as JSON (`json_build_object`), so a hot read can hand the database's text straight to the
renderer (common.renderers.RawJSON) instead of converting every number and date to Python only
to write it out again. Both follow the one description, and tests compare the two (parsed) on
every row they can make: numbers are equal as JSON numbers (PostgreSQL keeps a decimal's scale,
`1234.50`, where Python writes `1234.5`), and a NULL column is null in both, whatever its kind.

A shape is a tuple of:
- `Field(name, column, kind)`: a column of the row, written as its kind says;
- `Constant(name, value, schema)`: the same value on every row (a field the SDK requires that
  this service has nothing to put in but a truthful null or zero), described by `schema`, a
  function giving its DRF field;
- `Group(name, shape)`: an object made of more columns of the same row;
- `Children(name, model, foreign_key, shape, order_by, key)`: the list of the rows of another
  model pointing at this one (in Python the row carries them, already fetched, under `key`, and
  a model instance has them as its relation of that name).

`schema_fields` describes the same shape for OpenAPI, and `columns` is what a row must carry.
"""

import enum
import operator
from dataclasses import dataclass
from datetime import UTC

from .api import absolute_url, site_origin
from .sqlrows import column, table


class Kind(enum.Enum):
    VALUE = "value"  # text, integer or boolean: as stored
    OPTIONAL_TEXT = "optional_text"  # "" (stored for "not given") is written as null
    NUMBER = "number"  # a decimal, written as a JSON number
    DATETIME = "datetime"  # an aware datetime in UTC, as DRF writes it: "2026-11-30T02:10:00.123456Z"
    URL = "url"  # a media URL, written absolute (common.api.absolute_url); "" is null


@dataclass(frozen=True)
class Field:
    name: str
    column: str
    kind: Kind = Kind.VALUE


@dataclass(frozen=True)
class Constant:
    name: str
    value: None | int | float
    schema: object


@dataclass(frozen=True)
class Group:
    name: str
    shape: tuple


@dataclass(frozen=True)
class Children:
    name: str
    model: type
    foreign_key: str
    shape: tuple
    order_by: str = "id"
    key: str = ""

    @property
    def row_key(self) -> str:
        return self.key or self.name


def columns(shape) -> list[str]:
    """The row's columns a shape reads (children's are their own)."""
    out = []
    for part in shape:
        if isinstance(part, Field):
            out.append(part.column)
        elif isinstance(part, Group):
            out.extend(columns(part.shape))
    return out


def datetime_text(value) -> str | None:
    """An aware datetime as DRF's DateTimeField writes it in UTC ("...Z"), or None."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# How Python writes a value of each kind that is not None. A None is null whatever the kind, as
# in SQL, where each of _sql_value's expressions is NULL for a NULL column.
_TO_PYTHON = {
    Kind.VALUE: lambda value: value,
    Kind.OPTIONAL_TEXT: lambda value: value or None,
    Kind.NUMBER: float,
    Kind.DATETIME: datetime_text,
    Kind.URL: absolute_url,
}


def _write(shape, row, value_of, children_of) -> dict:
    out = {}
    for part in shape:
        if isinstance(part, Field):
            value = value_of(row, part.column)
            out[part.name] = None if value is None else _TO_PYTHON[part.kind](value)
        elif isinstance(part, Constant):
            out[part.name] = part.value
        elif isinstance(part, Group):
            out[part.name] = _write(part.shape, row, value_of, children_of)
        else:
            out[part.name] = [_write(part.shape, child, value_of, children_of) for child in children_of(row, part)]
    return out


def _row_children(row: dict, part: Children):
    return row[part.row_key]


def _instance_children(instance, part: Children):
    return getattr(instance, part.row_key).all()


def to_python(shape, row: dict) -> dict:
    """The answer from a row dict (columns by attribute name; each Children's rows under its key)."""
    return _write(shape, row, operator.getitem, _row_children)


def instance_to_python(shape, instance) -> dict:
    """The answer from a model instance, each Children's rows being its relation of that key
    (`instance.<key>.all()`, prefetched or attached by common.sqlrows.attach, or it queries)."""
    return _write(shape, instance, getattr, _instance_children)


def schema_fields(shape, model, nested: dict, *, every: bool = False) -> dict:
    """DRF serializer fields that describe the shape for OpenAPI (drf-spectacular), by name, in
    its order: a number as a decimal of its column's digits written as a JSON number, an optional
    text as a nullable string, a Children or a Group as the serializer `nested` gives for its
    name. A ModelSerializer of `model` describes the other fields from the model by itself, so
    they are left to it unless they take another name than their column's, or `every` is asked
    (for a plain Serializer)."""
    from rest_framework import serializers

    out = {}
    for part in shape:
        if isinstance(part, Children):
            out[part.name] = nested[part.name](source=part.row_key, many=True)
            continue
        if isinstance(part, Group):
            out[part.name] = nested[part.name]()
            continue
        if isinstance(part, Constant):
            out[part.name] = part.schema()
            continue
        field = model._meta.get_field(part.column)
        options = {"source": part.column} if part.column != part.name else {}
        if field.null:
            options["allow_null"] = True
        if part.kind is Kind.NUMBER:
            out[part.name] = serializers.DecimalField(
                max_digits=field.max_digits, decimal_places=field.decimal_places, coerce_to_string=False, **options
            )
        elif part.kind is Kind.OPTIONAL_TEXT:
            out[part.name] = serializers.CharField(**{**options, "allow_null": True})
        elif part.kind is Kind.URL:
            out[part.name] = serializers.URLField(**{**options, "allow_null": True})
        elif every or "source" in options:
            out[part.name] = serializers.ModelSerializer.serializer_field_mapping[type(field)](**options)
    return out


def names(shape) -> list[str]:
    """The names of the shape's members, in its order."""
    return [part.name for part in shape]


def _sql_literal(text: str) -> str:
    """A trusted setting as an SQL string literal (in a statement run with %s parameters)."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _sql_value(kind: Kind, col: str) -> str:
    if kind is Kind.OPTIONAL_TEXT:
        return f"NULLIF({col}, '')"
    if kind is Kind.URL:
        # absolute_url's rule: an absolute URL as it is, a path on SITE_URL's origin.
        return (
            f"CASE WHEN {col} = '' THEN NULL "
            f"WHEN left({col}, 7) = 'http://' OR left({col}, 8) = 'https://' THEN {col} "
            f"ELSE {_sql_literal(site_origin())} || CASE WHEN left({col}, 1) = '/' THEN '' ELSE '/' END || {col} END"
        )
    if kind is Kind.DATETIME:
        # isoformat() leaves out a zero fraction of a second; so does this.
        utc = f"({col} AT TIME ZONE 'UTC')"
        return (
            f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN date_trunc('second', {col}) = {col} THEN '' ELSE to_char({utc}, '.US') END || 'Z'"
        )
    return col


def to_sql(shape, connection, model, alias: str) -> str:
    """PostgreSQL's `json_build_object(...)` of the shape over `model`'s row aliased `alias`."""
    args = []
    for part in shape:
        args.append(f"'{part.name}'")
        if isinstance(part, Field):
            args.append(_sql_value(part.kind, column(connection, model, part.column, alias)))
        elif isinstance(part, Constant):
            args.append("NULL" if part.value is None else repr(part.value))
        elif isinstance(part, Group):
            args.append(to_sql(part.shape, connection, model, alias))
        else:
            child = f"{alias}_{part.name}"[:60]
            args.append(
                f"COALESCE((SELECT json_agg({to_sql(part.shape, connection, part.model, child)} "
                f"ORDER BY {column(connection, part.model, part.order_by, child)}) "
                f"FROM {table(connection, part.model)} {child} "
                f"WHERE {column(connection, part.model, part.foreign_key, child)} = "
                f"{column(connection, model, model._meta.pk.name, alias)}), '[]'::json)"
            )
    return f"json_build_object({', '.join(args)})"
