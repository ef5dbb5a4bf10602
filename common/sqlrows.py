"""Reading rows of hand-written SQL through Django's own converters.

For the few per-request queries that are hot enough that compiling the ORM query costs more
than the database does: the SQL is built once from the models' columns, and each value goes
through the same converters the ORM would apply, so the results are what the ORM returns.
"""


def table(connection, model) -> str:
    """A model's quoted table name."""
    return connection.ops.quote_name(model._meta.db_table)


def column(connection, model, name: str, alias: str = "") -> str:
    """A model field's quoted column, qualified by the table alias when one is given."""
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


class Readers(list):
    """[(quoted column, col, converters)], plus the positions that have converters at all (on
    PostgreSQL most columns have none, and a row is read by visiting only those)."""

    def __init__(self, readers):
        super().__init__(readers)
        self.active = [(index, col, funcs) for index, (_, col, funcs) in enumerate(readers) if funcs]


def column_readers(connection, fields, alias: str) -> Readers:
    """The readers of `fields` of a table aliased `alias`."""
    quote = connection.ops.quote_name
    readers = []
    for field in fields:
        col = field.get_col(alias)
        readers.append((f"{alias}.{quote(field.column)}", col,
                        connection.ops.get_db_converters(col) + field.get_db_converters(connection)))
    return Readers(readers)


def convert(values, readers: Readers, connection) -> list:
    out = list(values)
    for index, col, funcs in readers.active:
        value = out[index]
        for func in funcs:
            value = func(value, col, connection)
        out[index] = value
    return out


class ModelColumns:
    """All of a model's columns under a table alias, read back into model instances.

    `sql` goes into a SELECT list; `instance()` takes this model's slice of a result row and
    returns what the ORM would have built (Model.from_db), or None for the empty side of an
    outer join.
    """

    def __init__(self, connection, model, alias: str):
        fields = model._meta.concrete_fields
        self.model = model
        self.alias = alias
        self.attnames = [field.attname for field in fields]
        self.readers = column_readers(connection, fields, alias)
        self.sql = ", ".join(column for column, _, _ in self.readers)
        self.width = len(fields)
        self.pk_index = self.attnames.index(model._meta.pk.attname)

    def column(self, connection, name: str) -> str:
        return column(connection, self.model, name, self.alias)

    def instance(self, values, connection):
        if values[self.pk_index] is None:
            return None
        return self.model.from_db(connection.alias, self.attnames, convert(values, self.readers, connection))


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
