"""Search indexes that only PostgreSQL has: trigram on the name, pattern ops for prefixes.

They live in a migration rather than in Meta.indexes because SQLite (the embedded mode)
cannot create them; on SQLite this migration does nothing.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customer_name_trgm ON customers_customer USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_number_prefix ON customers_customer (customer_number varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS identifier_value_prefix ON customers_identifier (kind, value varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS customer_name_trgm",
    "DROP INDEX IF EXISTS customer_number_prefix",
    "DROP INDEX IF EXISTS identifier_value_prefix",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
