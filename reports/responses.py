"""The HTTP answers that carry a document, shared by the pages and the API."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse

from reports.permissions import can_download_annual_report, can_read_round_documents


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response


def annual_report_file(user, run) -> FileResponse:
    """The stored PDF of a run already inside visible_to: 403 to someone who sees it but
    may not download it, 404 while there is no file."""
    if not can_download_annual_report(user, run):
        raise PermissionDenied
    return _stored_pdf(run, f"annual-{run.jurisdiction.code}-{run.year}.pdf")


def _stored_pdf(run, filename: str) -> FileResponse:
    if not run.file:
        raise Http404
    return FileResponse(
        run.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


def round_document_file(user, run) -> FileResponse:
    """A round document's stored PDF: the requester and the round's staff (403 to anyone
    else who sees the run), 404 while there is no file."""
    if run.started_by_id != user.pk and not can_read_round_documents(user, run.round):
        raise PermissionDenied
    return _stored_pdf(run, f"round-{run.round_id}-{run.kind}.pdf")
