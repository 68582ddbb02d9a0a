"""Reading an export's rows in constant memory.

Columns that are plain field paths are read with `values_list` (no model instances: the
benchmark's 100,000 rows are tuples), choices turned into their labels from the field's
own choices; a spec with a computed column reads model instances instead. Either way the
queryset is the list page's own, iterated in chunks (a server-side cursor on PostgreSQL).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

CHUNK_SIZE = 2000


def _field_for(model, key: str):
    """The concrete field at the end of a dotted path, or None (computed, a relation, or a
    property)."""
    field = None
    for name in key.split("."):
        if model is None:
            return None
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    if field is None or field.is_relation or not field.concrete:
        return None
    return field


def _plain_readers(model, columns):
    """(values_list paths, per-column converters) when every column is a plain field."""
    paths, converters = [], []
    for column in columns:
        field = None if column.value is not None else _field_for(model, column.key)
        if field is None:
            return None
        paths.append(column.key.replace(".", "__"))
        # Labels read once, in the language active now (not once per row: lazy strings
        # translate on every str()).
        choices = {k: str(v) for k, v in field.flatchoices} if field.choices else None
        converters.append(choices)
    return paths, converters


def iter_rows(queryset, columns, *, chunk_size=CHUNK_SIZE):
    """Each row of `queryset` as a list of typed Python values, one per column.

    Read inside a transaction: outside one, Django declares PostgreSQL's server-side
    cursor WITH HOLD, which makes the server materialise the whole result before the
    first row (about twice the time of the rows themselves, bench/exports.py)."""
    with transaction.atomic(using=queryset.db):
        yield from _rows(queryset, columns, chunk_size=chunk_size)


def _rows(queryset, columns, *, chunk_size):
    plain = _plain_readers(queryset.model, columns)
    if plain is None:
        for obj in queryset.iterator(chunk_size=chunk_size):
            yield [column.get(obj) for column in columns]
        return
    paths, converters = plain
    if not any(converters):
        for values in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
            yield list(values)
        return
    for values in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
        yield [
            value if choices is None or value is None else choices.get(value, value)
            for value, choices in zip(values, converters, strict=True)
        ]
