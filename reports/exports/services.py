"""Exports: asking for one, writing it (in the request or in a job), and expiry.

Every export is an `Export` row and an audit event (who, which list, the filter, how many
rows, the format). Up to EXPORT_DIRECT_MAX_ROWS rows it is written in the request (CSV
streamed); beyond, the job `reports.run_export` writes a file only its owner can download,
kept EXPORT_KEEP_SECONDS and then deleted with its row by `reports.delete_expired_exports`.
"""

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event
from config.dispatch import send_on_commit
from config.errors import DomainError
from config.job_runs import failure_recorded
from config.jobs import RunStatus
from notifications.messages import Message
from notifications.services import notify
from reports.exports import writers
from reports.exports.copy import copy_chunks, copy_sql
from reports.exports.rows import iter_rows
from reports.exports.spec import ExportSpec, filter_params, spec_named
from reports.models import Export, ExportFormat

PROGRESS_EVERY = 2000


def direct_max_rows() -> int:
    return settings.EXPORT_DIRECT_MAX_ROWS


def pdf_max_rows() -> int:
    return settings.EXPORT_PDF_MAX_ROWS


def keep_days() -> int:
    return max(1, settings.EXPORT_KEEP_SECONDS // 86400)


def export_queryset(spec: ExportSpec, user, query: str):
    """The list page's own queryset for `user` and the filter in `query`."""
    if not spec.permission(user):
        raise PermissionDenied
    return spec.queryset(user, filter_params(query))


def start_export(
    spec: ExportSpec, *, actor, query: str, columns, fmt: str, background=None
) -> Export:
    """Ask for an export of `spec`'s list as `actor` sees it, filtered by `query`.

    Side effects: an Export row and an audit event `reports.export` (list, filter, rows,
    format, columns); when the rows exceed EXPORT_DIRECT_MAX_ROWS (or `background` is
    True) the job `reports.run_export` is sent after commit. Refuses a PDF over
    EXPORT_PDF_MAX_ROWS rows. PermissionDenied for a role without the list; Http404 from
    the list's own function for an object outside the actor's view.
    """
    if fmt not in ExportFormat.values:
        raise DomainError(_("导出格式只能是 CSV、XLSX 或 PDF。"), field="format")
    query = filter_params(query).urlencode()
    if len(query) > Export._meta.get_field("query").max_length:
        raise DomainError(_("筛选条件过长，无法导出。"))
    rows = export_queryset(spec, actor, query).count()
    if fmt == ExportFormat.PDF and rows > settings.EXPORT_PDF_MAX_ROWS:
        raise DomainError(
            _("PDF 最多导出 %(n)s 行（当前 %(rows)s 行），请缩小筛选范围或导出 XLSX。")
            % {"n": settings.EXPORT_PDF_MAX_ROWS, "rows": rows},
            field="format",
        )
    if background is None:
        background = rows > settings.EXPORT_DIRECT_MAX_ROWS
    chosen = [c.key for c in spec.chosen(columns)]
    with transaction.atomic():
        export = Export.objects.create(
            started_by=actor,
            list_name=spec.name,
            title=str(spec.title)[:100],
            query=query,
            columns=chosen,
            format=fmt,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            background=background,
            total=rows,
            status=RunStatus.QUEUED if background else RunStatus.RUNNING,
            expires_at=timezone.now() + timedelta(seconds=settings.EXPORT_KEEP_SECONDS),
        )
        record_event(
            actor=actor,
            action="reports.export",
            obj=export,
            after={
                "list": spec.name,
                "filter": query,
                "rows": rows,
                "format": fmt,
                "columns": chosen,
                "background": background,
            },
        )
        if background:
            send_on_commit("reports.run_export", export_id=export.pk)
    return export


def _rows(export: Export):
    spec = spec_named(export.list_name)
    columns = spec.chosen(export.columns)
    queryset = export_queryset(spec, export.started_by, export.query)
    return spec, columns, queryset


def _finish(export: Export, processed: int) -> None:
    Export.objects.filter(pk=export.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        processed=processed,
        total=max(processed, export.total),
    )


def csv_stream(export: Export, *, progress=None, done=None):
    """The CSV chunks of an export: constant memory, the first byte before the query's
    first row. `progress(n)` every few thousand rows, `done(n)` after the last."""
    spec, columns, queryset = _rows(export)
    count = 0
    select = copy_sql(queryset, columns)
    if select is not None:  # PostgreSQL formats the cells (reports/exports/copy.py)

        def step(n):
            nonlocal count
            count = n
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n)

        yield from copy_chunks(queryset, columns, select, counted=step)
        if done is not None:
            done(count)
        return

    def counted():
        nonlocal count
        for row in iter_rows(queryset, columns):
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            yield row

    yield from writers.csv_chunks(counted(), columns)
    if done is not None:
        done(count)


def pdf_bytes(export: Export) -> tuple[bytes, int]:
    from reports.pdf import render_pdf

    spec, columns, queryset = _rows(export)
    limit = settings.EXPORT_PDF_MAX_ROWS
    rows = list(iter_rows(queryset[:limit], columns))
    html = writers.render_table_html(
        spec=spec,
        columns=columns,
        rows=rows,
        filters=spec.describe_filter(filter_params(export.query)),
        user=export.started_by,
        limit=limit,
    )
    return render_pdf(html, stylesheets=[writers.TABLE_CSS]), len(rows)


def write_file(export: Export, handle, *, progress=None) -> int:
    """Write the export into the open binary file `handle`; return its row count."""
    if export.format == ExportFormat.CSV:
        counted = []
        for chunk in csv_stream(export, progress=progress, done=counted.append):
            handle.write(chunk)
        return counted[0]
    if export.format == ExportFormat.XLSX:
        spec, columns, queryset = _rows(export)
        return writers.write_xlsx(
            iter_rows(queryset, columns), columns, handle, title=spec.title, progress=progress
        )
    content, count = pdf_bytes(export)
    handle.write(content)
    return count


def write_direct(export: Export):
    """A small export's content for the response: a chunk iterator (CSV) or bytes."""
    if export.format == ExportFormat.CSV:
        return csv_stream(export, done=lambda count: _finish(export, count))
    with tempfile.TemporaryFile() as handle:
        count = write_file(export, handle)
        handle.seek(0)
        content = handle.read()
    _finish(export, count)
    return content


def run_export(export_id: int) -> None:
    """The job: write the export's file, then tell its owner where to download it.

    Idempotent: a finished export is left alone. The rows are read as the owner sees them
    now. Side effects: the file under EXPORTS_ROOT, progress on the row, a notification.
    """
    export = Export.objects.select_related("started_by").filter(pk=export_id).first()
    if export is None or export.status == RunStatus.DONE:
        return
    with (
        failure_recorded(Export, export_id),
        translation.override(export.language),
        tempfile.TemporaryFile() as handle,
    ):
        Export.objects.filter(pk=export_id).update(status=RunStatus.RUNNING, processed=0)

        def progress(n):
            Export.objects.filter(pk=export_id).update(processed=min(n, export.total))

        count = write_file(export, handle, progress=progress)
        handle.seek(0)
        with transaction.atomic():
            export.file.save(f"{export.pk}/{export.filename}", File(handle), save=False)
            Export.objects.filter(pk=export_id).update(
                file=export.file.name,
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                processed=count,
                total=count,
            )
            notify(
                [export.started_by],
                title=Message(N_("导出已完成：%(title)s"), title=export.title),
                body=Message(
                    N_("共 %(n)s 行，文件保留至 %(until)s。"),
                    n=count,
                    until=f"{timezone.localtime(export.expires_at):%Y-%m-%d %H:%M}",
                ),
                url=reverse("exports:detail", args=[export.pk]),
                email=False,
            )


def delete_expired_exports(now=None) -> int:
    """Delete the files and rows of expired exports (the audit events stay)."""
    deleted = 0
    for export in Export.objects.expired(now).only("pk", "file").iterator():
        if export.file:
            export.file.delete(save=False)
        deleted += Export.objects.filter(pk=export.pk).delete()[0]
    return deleted
