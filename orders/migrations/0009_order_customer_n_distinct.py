"""The planner's estimate of one customer's orders, pinned (PostgreSQL only).

GET /orders runs as a prepared statement, so PostgreSQL soon plans it once for any customer (a
generic plan) with rows = orders / distinct customers. At 1M orders that was 64 rows, and at
that size every index that starts with customer_id costs the same one page, so the history's
COUNT(*) was read from orders_customer_total_idx: 76 pages for the 5,000-order shopper where the
single-column customer_id index (deduplicated: equal keys stored once) needs 7; 0.7-0.95 ms
instead of 0.44 ms (EXPLAIN ANALYZE BUFFERS, bench/RESULTS.md). At 10k the rounding fell the
other way, which is why only the big database was slower.

n_distinct = -0.005 says "one customer per 200 orders", whatever the table's size, so a generic
plan expects 200 rows for a customer: the composite indexes cost 3-4 pages then and the
single-column one 1, and the count takes it. A shop's real spread is skewed (most customers have
a few orders, a few have thousands); only this estimate changes, not the data.
"""

from django.db import migrations

FORWARD = "ALTER TABLE orders_order ALTER COLUMN customer_id SET (n_distinct = -0.005)"
BACKWARD = "ALTER TABLE orders_order ALTER COLUMN customer_id RESET (n_distinct)"


def _run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.execute("ANALYZE orders_order")  # the override counts from the next ANALYZE

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0008_return_comment"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
