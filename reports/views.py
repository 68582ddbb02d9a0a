"""The 报表 area: the documents a user may produce, the PDFs themselves, the annual
report's job pages and the public certificate verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from registry.models import Enterprise, RegistryEntry
from reports import selectors
from reports.models import AnnualReportRun, Certificate, RoundDocumentRun
from reports.responses import annual_report_file, pdf_response, round_document_file
from reports.services import annual, certificates, documents, round_documents, statements
from selection.access import managed_round_or_404
from selection.models import SelectionRound
from vouchers.models import VoucherProgram


def _staff(user):
    if not user.is_staff_reviewer:
        raise PermissionDenied


@login_required
def index(request):
    """What the user may produce: rounds, the annual report of its jurisdiction, its runs."""
    _staff(request.user)
    context = {
        "rounds": selectors.documented_rounds(request.user)[:50],
        "runs": AnnualReportRun.objects.visible_to(request.user).select_related(
            "jurisdiction", "started_by"
        )[:20],
        "jurisdictions": selectors.report_jurisdictions(request.user),
        "years": list(range(timezone.localdate().year, annual.FIRST_YEAR - 1, -1)),
    }
    return render(request, "reports/index.html", context)


@login_required
def round_results_pdf(request, pk):
    selection_round = managed_round_or_404(request, pk)
    content = documents.round_results_pdf(selection_round, public=False)
    return pdf_response(content, f"round-{pk}-results.pdf")


def round_results_public_pdf(request, pk):
    """公示名单, no login: only for a round on notice or closed."""
    selection_round = get_object_or_404(
        SelectionRound.objects.filter(status__in=documents.PUBLIC_ROUND_STATES), pk=pk
    )
    content = documents.round_results_pdf(selection_round, public=True)
    return pdf_response(content, f"round-{pk}-notice.pdf")


@login_required
def round_minutes_pdf(request, pk):
    selection_round = managed_round_or_404(request, pk)
    return pdf_response(documents.minutes_pdf(selection_round), f"round-{pk}-minutes.pdf")


@login_required
def enterprise_profile_pdf(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    return pdf_response(
        documents.enterprise_profile_pdf(enterprise), f"enterprise-{pk}-profile.pdf"
    )


@login_required
def program_statement_pdf(request, pk):
    """券种计划结算报告: staff who see the programme (its jurisdiction and above), as its
    dashboard; anyone else 403, a programme outside the staff's view 404."""
    _staff(request.user)
    program = get_object_or_404(
        VoucherProgram.objects.visible_to(request.user).select_related("jurisdiction"), pk=pk
    )
    return pdf_response(
        statements.program_statement_pdf(program), f"voucher-program-{pk}-statement.pdf"
    )


def _entry_or_404(request, pk) -> RegistryEntry:
    return get_object_or_404(
        RegistryEntry.objects.visible_to(request.user).select_related("enterprise", "jurisdiction"),
        enterprise_id=pk,
    )


@login_required
@require_POST
def certificate_issue(request, pk):
    """Issue the certificate if the entry has none current (or its tier changed since),
    then download it."""
    entry = _entry_or_404(request, pk)
    try:
        certificates.issue_certificate(entry, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:enterprise-detail", pk=pk)
    return redirect("reports:certificate-pdf", pk=pk)


@login_required
def certificate_pdf(request, pk):
    entry = _entry_or_404(request, pk)
    certificate = (
        Certificate.objects.filter(entry=entry)
        .current()
        .select_related("entry__enterprise", "jurisdiction")
        .first()
    )
    if certificate is None or not entry.is_active:
        # None issued yet, or the enterprise left the registry: its certificate no longer
        # certifies anything (the verification page says so).
        raise Http404(_("尚未生成入库证书。"))
    return pdf_response(certificates.certificate_pdf(certificate), f"{certificate.code}.pdf")


def certificate_verify(request, code):
    """Public (no login): is this certificate valid now? No sensitive field is shown."""
    result = certificates.verify(code)
    status = 404 if result.status == certificates.UNKNOWN else 200
    return render(
        request, "reports/verify.html", {"result": result, "fields": result.public_fields()},
        status=status,
    )  # fmt: skip


def certificate_lookup(request):
    """The form a person types a code into (public)."""
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("reports:certificate-verify", code=code[:40])
    return render(request, "reports/verify.html", {"result": None})


@login_required
@require_POST
def annual_start(request):
    _staff(request.user)
    jurisdiction = (
        selectors.report_jurisdictions(request.user)
        .filter(code=request.POST.get("jurisdiction", "")[:6])
        .first()
    )
    year = request.POST.get("year", "")
    try:
        if jurisdiction is None:
            raise DomainError(_("请选择您辖区内的地区。"))
        if not year.isdigit():
            raise DomainError(_("请选择年度。"))
        run = annual.start_annual_report(jurisdiction, int(year), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:index")
    messages.success(request, _("年度培育报告已开始生成，完成后会通知您。"))
    return redirect("reports:annual-detail", pk=run.pk)


def _run_or_404(request, pk) -> AnnualReportRun:
    return get_object_or_404(
        AnnualReportRun.objects.visible_to(request.user).select_related("jurisdiction"), pk=pk
    )


@login_required
def annual_detail(request, pk):
    return render(request, "reports/annual_detail.html", {"run": _run_or_404(request, pk)})


@login_required
def annual_progress(request, pk):
    return render(request, "reports/_annual_progress.html", {"run": _run_or_404(request, pk)})


@login_required
def annual_download(request, pk):
    return annual_report_file(request.user, _run_or_404(request, pk))


@login_required
@require_POST
def round_document_start(request, pk, kind):
    """Render the round's result list or panel minutes as a job; its page follows."""
    selection_round = managed_round_or_404(request, pk)
    try:
        run = round_documents.start_round_document(selection_round, kind, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("selection:results", pk=pk)
    messages.success(request, _("文书已开始生成，完成后会通知您。"))
    return redirect("reports:round-document-detail", pk=run.pk)


def _round_run_or_404(request, pk) -> RoundDocumentRun:
    return get_object_or_404(
        RoundDocumentRun.objects.visible_to(request.user).select_related("round__region"), pk=pk
    )


@login_required
def round_document_detail(request, pk):
    run = _round_run_or_404(request, pk)
    return render(request, "reports/round_document_detail.html", {"run": run})


@login_required
def round_document_progress(request, pk):
    run = _round_run_or_404(request, pk)
    return render(request, "reports/_round_document_progress.html", {"run": run})


@login_required
def round_document_download(request, pk):
    return round_document_file(request.user, _round_run_or_404(request, pk))
