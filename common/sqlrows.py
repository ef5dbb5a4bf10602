"""Reading rows of hand-written SQL through Django's own converters: the one way we do it.

For the few per-request queries hot enough that compiling the ORM query costs more than the
database does (the order history, an order's detail, the session lookup of every request): the
SQL is built once from the models' columns, and each value goes through the converters the ORM
would apply, so what comes back is what the ORM returns: plain rows (`Columns.row`) or model
instances (`Columns.instance`), with related objects filled in as prefetch_related would
(`attach`).

Django internals this leans on, because no public API does the same: `Field.get_col()`,
`Field.get_db_converters()` and `connection.ops.get_db_converters()` (how the ORM converts a
column), and in `attach` the attributes prefetch_related leaves behind (`QuerySet._result_cache`,
`QuerySet._prefetch_done`, `Model._prefetched_objects_cache`). `common/tests/test_sqlrows.py`
checks each of them against the ORM itself, so a Django upgrade that changes one fails there,
by name, instead of in a wrong answer.
"""

import hashlib
from contextlib import contextmanager


def table(connection, model) -> str:
    """A model's quoted table name."""
    return connection.ops.quote_name(model._meta.db_table)


def column(connection, model, name: str, alias: str = "") -> str:
    """A model field's quoted column, qualified by the table alias when one is given."""
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


class Columns:
    """Some of a model's fields (all its concrete ones by default) under a table alias.

    `sql` goes into a SELECT list; `width` is how many values of a result row are these
    columns, in this order. `row()` converts them into a dict by attribute name (`customer_id`
    for a foreign key), `instance()` into a model instance (Model.from_db), or None for the
    empty side of an outer join. Build one per connection alias and keep it: the work is done
    once, and reading a row then visits only the columns that have converters at all (on
    PostgreSQL, few do).
    """

    def __init__(self, connection, model, alias: str, names=None):
        fields = [model._meta.get_field(name) for name in names] if names else list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        self.model = model
        self.alias = alias
        self.attnames = [field.attname for field in fields]
        self.shape = [f"{model._meta.db_table}.{field.column}:{field.get_internal_type()}" for field in fields]
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in fields)
        self.width = len(fields)
        self.pk_index = self.attnames.index(model._meta.pk.attname) if model._meta.pk.attname in self.attnames else None
        self._converters = []
        for index, field in enumerate(fields):
            col = field.get_col(alias)
            funcs = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if funcs:
                self._converters.append((index, col, funcs))

    def column(self, connection, name: str) -> str:
        return column(connection, self.model, name, self.alias)

    def values(self, values, connection) -> list:
        """The row's values of these columns, converted as the ORM converts them."""
        out = list(values)
        for index, col, funcs in self._converters:
            value = out[index]
            for func in funcs:
                value = func(value, col, connection)
            out[index] = value
        return out

    def row(self, values, connection) -> dict:
        return dict(zip(self.attnames, self.values(values, connection), strict=True))

    def instance(self, values, connection):
        if self.pk_index is None:
            raise ValueError(f"{self.model.__name__} instances need the primary key among the columns.")
        if values[self.pk_index] is None:
            return None
        return self.model.from_db(connection.alias, self.attnames, self.values(values, connection))


def rows_version(*columns: Columns) -> str:
    """A short name for the shape of rows made of these columns, in this order: a key under
    which such rows are kept (a cache) changes with it, so a row of another shape (before a
    deploy added a column) is never read misaligned."""
    shape = "|".join(",".join(c.shape) for c in columns)
    return hashlib.sha256(shape.encode()).hexdigest()[:10]


def attach(instance, name: str, objects) -> list:
    """Make `instance.<name>.all()` answer `objects` without a query, as prefetch_related does.

    The cached queryset keeps the relation's filter, so `instance.<name>.filter(...)` still
    narrows to this instance's rows. The objects get their back reference to `instance` too.
    """
    manager = getattr(instance, name)
    objects = list(objects)
    remote = manager.field
    for obj in objects:
        remote.set_cached_value(obj, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[remote.remote_field.cache_name] = queryset
    return objects


def fetch_sets(connection, statements) -> list[list[tuple]]:
    """The rows of several SELECTs, `[(sql, params), ...]`, in that order.

    On PostgreSQL they go in one round trip, in psycopg's pipeline mode, each bound on the
    server so that psycopg prepares it once the connection has run it a few times (see
    `prepared_cursor`): under load, PostgreSQL planning the order detail's four statements on
    every request cost more than running them (measured: 504 -> 863 requests a second). Other
    databases run them one after another.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
            return results
    cursors = []
    with _server_bound(connection) as make:
        with connection.wrap_database_errors, connection.connection.pipeline():
            for sql, params in statements:
                cursor = make()
                cursor.execute(sql, params)
                cursors.append(cursor)
        with connection.wrap_database_errors:
            return [cursor.fetchall() for cursor in cursors]


@contextmanager
def _server_bound(connection):
    """Makes Django-wrapped cursors that bind on the server (query log, execute wrappers and
    Django's error classes as for any cursor); closes them after."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    made = []

    def make():
        with connection.wrap_database_errors:
            made.append(wrap(ServerBindingCursor(connection.connection)))
        return made[-1]

    try:
        yield make
    finally:
        for cursor in made:
            cursor.close()


@contextmanager
def prepared_cursor(connection):
    """A cursor whose statements PostgreSQL plans once per connection, for the hottest reads.

    Django's psycopg cursors bind parameters on the client (so PostgreSQL plans every statement
    every time); this one binds them on the server, and psycopg prepares a statement once the
    connection has run it `prepare_threshold` times (5; DB_PREPARE_THRESHOLD, 0 behind a pooler
    that cannot keep prepared statements). It goes through Django's cursor wrapper, so query
    logging, execute wrappers and database error classes stay as they are. Elsewhere it is a
    plain cursor.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with _server_bound(connection) as make:
        yield make()
