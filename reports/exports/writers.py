"""The three formats an export is written in: CSV, XLSX and PDF."""

import csv
import datetime
import io
from decimal import Decimal

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.exports.spec import BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, TEXT

# A cell that starts with one of these is read by a spreadsheet as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_START)
CSV_BATCH = 2000  # rows per chunk of the streamed response
NUMERIC = {INT, DECIMAL, MONEY}


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def text_of(value, kind) -> str:
    """A cell as text (CSV, PDF): money with 2 places, dates ISO, formulas defused."""
    if type(value) is str:  # the common case first
        return "'" + value if kind not in NUMERIC and value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    if kind == BOOL or isinstance(value, bool):
        return _("是") if value else _("否")
    if kind == MONEY and isinstance(value, (Decimal, int, float)):
        return f"{Decimal(value):.2f}"
    if isinstance(value, datetime.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if kind not in NUMERIC and text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_chunks(rows, columns):
    """UTF-8 with a BOM (Excel reads the Chinese), the header first (the first byte goes out
    before the query's first row is read), then the rows in batches of CSV_BATCH, each
    written by one `writerows` call.

    Speed (bench/exports.py): a text cell that cannot be read as a formula (most cells) is
    not touched; only the other cells of a row go through `text_of`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    kinds = [c.kind for c in columns]
    texts = [i for i, kind in enumerate(kinds) if kind == TEXT]
    others = [(i, kind) for i, kind in enumerate(kinds) if kind != TEXT]

    def drain() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow([str(c.label) for c in columns])
    yield b"\xef\xbb\xbf" + drain()
    batch = []
    for row in rows:
        row = row if type(row) is list else list(row)
        for i in texts:
            value = row[i]
            if type(value) is not str or value[:1] in FORMULA_FIRST:
                row[i] = text_of(value, TEXT)
        for i, kind in others:
            row[i] = text_of(row[i], kind)
        batch.append(row)
        if len(batch) >= CSV_BATCH:
            writer.writerows(batch)
            batch = []
            yield drain()
    if batch:
        writer.writerows(batch)
        yield drain()


FORMATS = {MONEY: "#,##0.00", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss"}
WIDTHS = {MONEY: 16, DATE: 12, DATETIME: 20, INT: 10, DECIMAL: 12, BOOL: 6}


def _width(column) -> int:
    if column.width:
        return column.width
    return max(WIDTHS.get(column.kind, 24), len(str(column.label)) * 2 + 2)


def _xlsx_value(value, kind):
    if value is None:
        return None
    if kind in NUMERIC:
        return value if isinstance(value, (int, float, Decimal)) else text_of(value, kind)
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if kind == DATE and isinstance(value, datetime.date):
        return value
    return text_of(value, kind)


def write_xlsx(rows, columns, target, *, title: str, progress=None) -> int:
    """An XLSX in XlsxWriter's constant_memory mode (each row goes to a temporary file as
    it is written): numbers as numbers, dates as dates, money with two decimals, header
    frozen, widths set. `progress(n)` every few thousand rows. Returns the row count."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "in_memory": False, "strings_to_numbers": False,
                 "strings_to_formulas": False, "strings_to_urls": False}
    )  # fmt: skip
    sheet = book.add_worksheet(str(title)[:31])
    sheet.freeze_panes(1, 0)
    header = book.add_format({"bold": True})
    formats = [
        book.add_format({"num_format": FORMATS[c.kind]}) if c.kind in FORMATS else None
        for c in columns
    ]
    for i, column in enumerate(columns):
        sheet.set_column(i, i, _width(column))
    sheet.write_row(0, 0, [str(c.label) for c in columns], header)
    kinds = [c.kind for c in columns]
    count = 0
    for count, row in enumerate(rows, start=1):
        for i, (value, kind, fmt) in enumerate(zip(row, kinds, formats, strict=True)):
            value = _xlsx_value(value, kind)
            if value is None:
                continue
            if type(value) is str:
                sheet.write_string(count, i, value)
            elif kind in NUMERIC:
                sheet.write_number(count, i, value, fmt)
            else:
                sheet.write_datetime(count, i, value, fmt)
        if progress is not None and count % 2000 == 0:
            progress(count)
    book.close()
    return count


# The table's print styles, passed to WeasyPrint beside the template (the site's CSP test
# allows no inline <style> in any template).
TABLE_CSS = """
@page {
  size: A4 landscape; margin: 12mm 10mm 14mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; }
}
body {
  font-family: "Portal Sans SC", "Noto Sans CJK SC", "Noto Sans SC", sans-serif;
  font-size: 8pt; color: #111;
}
h1 { font-size: 13pt; margin: 0 0 4pt; }
.meta { margin: 0 0 6pt; color: #444; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
th, td {
  border: 0.5pt solid #999; padding: 2pt 3pt; text-align: left; vertical-align: top;
  overflow-wrap: anywhere;
}
th { background: #eee; }
td.num { text-align: right; }
"""


def render_table_html(*, spec, columns, rows, filters, user, limit) -> str:
    """The landscape table of a PDF export, with the filter described in its header."""
    kinds = [c.kind for c in columns]
    numeric = [k in NUMERIC for k in kinds]
    body = [
        [(text_of(v, k), n) for v, k, n in zip(row, kinds, numeric, strict=True)] for row in rows
    ]
    return render_to_string(
        "reports/export_table.html",
        {
            "title": spec.title,
            "columns": columns,
            "rows": body,
            "filters": filters,
            "user": user,
            "now": timezone.localtime(),
            "limit": limit,
        },
    )
