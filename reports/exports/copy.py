"""CSV by PostgreSQL's `COPY (SELECT …) TO STDOUT WITH CSV`: the server formats the cells.

For a list whose chosen columns are all plain fields of simple types (text, integers,
decimals, dates, times, booleans; choices shown by their labels), the cells are written
as SQL over the list's own queryset (its visible_to filter, its filter, its order), so
the file is byte for byte what the Python writer (writers.csv_chunks) writes: the BOM and
the header from that writer, then per row the same text, NULL and '' as an unquoted empty
cell, formulas defused with a leading ', money with two places, times in Asia/Shanghai,
rows ending in CRLF. Anything else (a computed column, another field type, SQLite, one
column, whose empty cell Python quotes) goes through the Python writer.

Why: formatting 1,000,000 cells in Python is most of the CSV's time; COPY does it in C
inside the server (bench/exports.py prints both).
"""

import csv
import io

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from reports.exports.rows import _field_for, _plain_readers
from reports.exports.spec import BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, TEXT
from reports.exports.writers import CSV_BATCH, FORMULA_START

TEXT_FIELDS = (models.CharField, models.TextField)


def _defused(expr: str, params: list) -> tuple[str, list]:
    """The cell with a leading ' when a spreadsheet would read it as a formula."""
    marks = ", ".join(["%s"] * len(FORMULA_START))
    sql = f"CASE WHEN left({expr}, 1) IN ({marks}) THEN '''' || {expr} ELSE {expr} END"
    return sql, [*params, *FORMULA_START, *params, *params]


def _cell(ref: str, field, kind: str, choices) -> tuple[str, list] | None:
    """(SQL, params) of one cell as the Python writer writes it, or None (not supported)."""
    if choices is not None:
        if kind != TEXT:
            return None
        whens, params = [], []
        for value, label in choices.items():
            whens.append("WHEN %s THEN %s")
            params.extend([str(value), label])
        return _defused(f"(CASE {ref}::text {' '.join(whens)} ELSE {ref}::text END)", params)
    if isinstance(field, models.BooleanField):
        if kind not in (BOOL, TEXT):
            return None
        return f"(CASE WHEN {ref} THEN %s WHEN NOT {ref} THEN %s END)", [_("是"), _("否")]
    if isinstance(field, models.DateTimeField):
        if kind not in (DATETIME, DATE, TEXT):
            return None
        return f"to_char({ref} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI:SS')", [settings.TIME_ZONE]
    if isinstance(field, models.DateField):
        return (f"to_char({ref}, 'YYYY-MM-DD')", []) if kind in (DATE, DATETIME, TEXT) else None
    if isinstance(field, models.DecimalField | models.IntegerField):  # Big, Small, Positive…
        if kind == MONEY:
            return f"round({ref}::numeric, 2)::text", []
        return (f"{ref}::text", []) if kind in (DECIMAL, INT) else None
    if isinstance(field, models.CharField | models.TextField) and kind == TEXT:
        return _defused(f"{ref}::text", [])
    return None


def copy_sql(queryset, columns):
    """(sql, params) of the COPY's SELECT, or None when a column is not plain SQL."""
    if connections[queryset.db].vendor != "postgresql" or len(columns) < 2:
        return None
    plain = _plain_readers(queryset.model, columns)
    if plain is None:
        return None
    paths, converters = plain
    cells, params = [], []
    for i, (column, choices) in enumerate(zip(columns, converters, strict=True)):
        field = _field_for(queryset.model, column.key)
        cell = _cell(f'q."c{i}"', field, column.kind, choices)
        if cell is None:
            return None
        cells.append(f"NULLIF({cell[0]}, '')")  # '' as NULL: an unquoted empty cell
        params.extend(cell[1])
    inner = queryset.values(**{f"c{i}": F(path) for i, path in enumerate(paths)})
    inner_sql, inner_params = inner.query.sql_with_params()
    return f"SELECT {', '.join(cells)} FROM ({inner_sql}) AS q", [*params, *inner_params]


def _header(columns) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([str(c.label) for c in columns])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def copy_chunks(queryset, columns, select, *, counted=None):
    """The CSV's chunks: the header, then batches of CSV_BATCH rows as COPY sends them
    (one row per message, its '\\n' made '\\r\\n' as Python's csv ends a row).
    `counted(n)` after each row."""
    sql, params = select
    yield _header(columns)
    connection = connections[queryset.db]
    batch, n = [], 0
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with (
        transaction.atomic(using=queryset.db),
        connection.cursor() as cursor,
        cursor.cursor.copy(statement, params) as copy,
    ):
        for data in copy:
            batch.append(bytes(data)[:-1] + b"\r\n")
            n += 1
            if counted is not None:
                counted(n)
            if len(batch) >= CSV_BATCH:
                yield b"".join(batch)
                batch = []
    if batch:
        yield b"".join(batch)
