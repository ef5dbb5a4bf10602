"""Reading rows of hand-written SQL through Django's own converters.

For the few per-request queries that are hot enough that compiling the ORM query costs more
than the database does: the SQL is built once from the models' columns, and each value goes
through the same converters the ORM would apply, so the results are what the ORM returns.
"""


def column_readers(connection, fields, alias: str):
    """[(quoted column, converters)] for `fields` of a table aliased `alias`."""
    quote = connection.ops.quote_name
    readers = []
    for field in fields:
        col = field.get_col(alias)
        readers.append((f"{alias}.{quote(field.column)}", col,
                        connection.ops.get_db_converters(col) + field.get_db_converters(connection)))
    return readers


def convert(values, readers, connection) -> list:
    out = list(values)
    for index, (_, col, funcs) in enumerate(readers):
        for func in funcs:
            out[index] = func(out[index], col, connection)
    return out
