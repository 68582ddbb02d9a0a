"""Inserting the thousands of rows a job writes per chunk.

On PostgreSQL: COPY, with each value adapted by psycopg from what the model field would
save (JSON, Decimal, datetimes included) — several times faster than Django's bulk insert,
which sends one array per column that psycopg must escape element by element. Elsewhere:
`bulk_create`. When either meets a unique constraint (e.g. two runs writing the same
row), the rows go through `bulk_create(ignore_conflicts=True)` instead.
"""

from django.db import IntegrityError, connection, transaction


def insert_rows(model, objects, fields=None) -> None:
    """Insert `objects` (unsaved instances of `model`): every concrete field but the primary
    key, or the given field names. The objects get no primary keys back."""
    if not objects:
        return
    fields = fields or [f.name for f in model._meta.concrete_fields if not f.primary_key]
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _copy(model, objects, fields)
            else:
                model.objects.bulk_create(objects)
    except IntegrityError as exc:
        if "unique" not in str(exc).lower():
            raise  # a CHECK or NOT NULL violation is a bug to see, never to skip
        # Someone wrote some of these rows meanwhile: keep theirs, add the rest.
        model.objects.bulk_create(objects, ignore_conflicts=True)


def _copy(model, objects, fields):
    columns = [model._meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    sql = f"COPY {table} ({names}) FROM STDIN"
    # COPY runs on psycopg's own cursor: its errors are turned into Django's here.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(sql) as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in columns])
