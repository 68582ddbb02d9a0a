"""Rewriting a JSON column of a big table in a data migration: in chunks by primary key
(no open cursor while rows are written, which SQLite cannot isolate), one bulk_update per
chunk, and a line of figures in the migration's output."""

import sys

CHUNK = 2_000


def rewrite_rows(model, fields, convert, *, label, also_read=(), chunk=CHUNK, out=None) -> dict:
    """Call `convert(row)` on every row of `model` (a historical model); it changes `fields`
    in place and returns None when nothing was to change, else how many explanations it
    had to keep as legacy_text. Returns {"rows", "converted", "legacy"}."""
    out = out or sys.stdout
    figures = {"rows": 0, "converted": 0, "legacy": 0}
    last = None
    queryset = model.objects.only("pk", *fields, *also_read).order_by("pk")
    while True:
        rows = list((queryset if last is None else queryset.filter(pk__gt=last))[:chunk])
        if not rows:
            break
        last = rows[-1].pk
        changed = []
        for row in rows:
            legacy = convert(row)
            if legacy is not None:
                changed.append(row)
                figures["legacy"] += legacy
        model.objects.bulk_update(changed, fields)
        figures["rows"] += len(rows)
        figures["converted"] += len(changed)
    out.write(
        f"\n  {label}: {figures['converted']} of {figures['rows']} rows converted, "
        f"{figures['legacy']} sentences kept as legacy_text"
    )
    return figures
