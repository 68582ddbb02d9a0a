"""The export page of each list, the export job's page and the owner's download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from config.errors import DomainError
from config.forms import add_domain_error
from reports.exports import services
from reports.exports.forms import ExportForm
from reports.exports.spec import filter_params, spec_named
from reports.models import Export, ExportFormat

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}


def _list_url(spec, query) -> str:
    """The list page the export came from, with its filter."""
    if spec.page is None:
        return ""
    name, args = (spec.page, []) if isinstance(spec.page, str) else spec.page(query)
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    rest = query.copy()
    rest.pop("round", None)  # in the page's path
    return f"{url}?{rest.urlencode()}" if rest else url


def direct_response(export: Export):
    """A small export written in the request: CSV streamed, XLSX and PDF whole."""
    content = services.write_direct(export)
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    if export.format == ExportFormat.CSV:
        return StreamingHttpResponse(content, content_type=CONTENT_TYPES["csv"], headers=headers)
    return HttpResponse(content, content_type=CONTENT_TYPES[export.format], headers=headers)


@login_required
def export_start(request, list_name):
    """GET: the filter in words, the row count, columns and format. POST: the export,
    straight back when small, else a job whose page follows."""
    spec = spec_named(list_name)
    if not spec.permission(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ExportForm(request.POST, spec=spec)
        query = filter_params(request.POST.get("query", "")[:2000])
    else:
        query = filter_params(request.GET)
        form = ExportForm(spec=spec, initial={"query": query.urlencode()})
    # The list's own function: 404 for a round outside the user's view, 403 without rights.
    rows = services.export_queryset(spec, request.user, query.urlencode()).count()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = services.start_export(
                spec,
                actor=request.user,
                query=data["query"],
                columns=data["columns"],
                fmt=data["format"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not export.background:
                return direct_response(export)
            messages.success(request, _("导出任务已开始，完成后会通知您。"))
            return redirect("exports:detail", export.pk)
    context = {
        "spec": spec,
        "form": form,
        "rows": rows,
        "filters": spec.describe_filter(query),
        "list_url": _list_url(spec, query),
        "direct_max": services.direct_max_rows(),
        "pdf_max": services.pdf_max_rows(),
        "keep_days": services.keep_days(),
    }
    return render(request, "reports/exports/start.html", context)


def _own_export(request, pk) -> Export:
    return get_object_or_404(Export.objects.visible_to(request.user), pk=pk)


@login_required
def export_list(request):
    """我的导出: the user's own exports, newest first."""
    exports = Export.objects.visible_to(request.user)
    page = Paginator(exports, 20).get_page(request.GET.get("page"))
    return render(request, "reports/exports/list.html", {"page": page})


@login_required
def export_detail(request, pk):
    return render(request, "reports/exports/detail.html", {"export": _own_export(request, pk)})


@login_required
def export_progress(request, pk):
    """The progress bar, polled by htmx while the job runs."""
    return render(request, "reports/exports/_progress.html", {"export": _own_export(request, pk)})


@login_required
def export_download(request, pk):
    """The job's file, for the user who asked only (404 for anyone else, and once expired)."""
    return file_response(_own_export(request, pk))


def file_response(export: Export) -> FileResponse:
    """A job's file as a download (404 while it is not ready, and once it expired)."""
    if not export.downloadable:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES[export.format],
    )
