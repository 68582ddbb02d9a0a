"""Staff work queues across the enterprises of their jurisdiction (issue #14): annual
reports to review (accept, return, bulk accept of the clean ones) and service follow-ups
due (with edit and delete of a record)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.forms import add_domain_error
from config.pagination import DeferredJoinPaginator
from config.redirects import redirect_to_next
from registry import selectors
from registry.filters import region_choices_for
from registry.forms import ServiceRecordForm
from registry.models import AnnualReport, ServiceRecord
from registry.models.monitoring import REPORT_MONEY_FIELDS, ReportStatus
from registry.permissions import can_confirm_tier
from registry.services import reports as report_services
from registry.services.reports import SERVICE_FIELDS
from registry.views import _querystring_without

PER_PAGE = 20
BULK_LIMIT = 100  # one page of the API at most; the page itself shows 20


def require_staff(user):
    if not user.is_staff_reviewer:
        raise PermissionDenied


@login_required
def report_queue(request):
    """Staff: filed reports of their jurisdiction, waiting ones first by default."""
    require_staff(request.user)
    params = request.GET.copy()
    params.setdefault("status", ReportStatus.SUBMITTED)
    filterset = selectors.report_queue_filter(request.user, params)
    page = DeferredJoinPaginator(filterset.qs if filterset.is_valid() else
                                 filterset.queryset.none(), PER_PAGE).get_page(
        request.GET.get("page")
    )  # fmt: skip
    for report in page:
        report.yoy = _change(report.revenue, report.last_revenue)
        report.flagged = report_services.is_flagged(report)
    context = {
        "filter": filterset,
        "page": page,
        "regions": region_choices_for(request.user).select_related("parent"),
        "querystring": _querystring_without(request, "page"),
        "waiting": params.get("status") == ReportStatus.SUBMITTED,
    }
    return render(request, "registry/report_queue.html", context)


def _change(now, before) -> Decimal | None:
    """Percent change on last year (None without a positive figure to compare with)."""
    if now is None or not before:
        return None
    return ((Decimal(now) / Decimal(before) - 1) * 100).quantize(Decimal("0.1"))


@login_required
def report_review(request, pk):
    """Staff: one filed report in full, each figure beside last year's, with accept and
    return. Outside the jurisdiction (or a draft): 404."""
    if not request.user.is_staff_reviewer:
        get_object_or_404(AnnualReport.objects.visible_to(request.user), pk=pk)
        raise PermissionDenied
    report = get_object_or_404(selectors.report_queue(request.user), pk=pk)
    previous = selectors.previous_report(report)
    rows = []
    for name in report_services.REPORT_FIELDS:
        field = AnnualReport._meta.get_field(name)
        now, before = getattr(report, name), getattr(previous, name, None)
        rows.append({
            "name": name,
            "label": field.verbose_name,
            "money": name in REPORT_MONEY_FIELDS,
            "now": now,
            "before": before,
            "change": _change(now, before),
            "confirmation": report.confirmations.get(name, ""),
        })  # fmt: skip
    context = {
        "report": report,
        "previous": previous,
        "rows": rows,
        "returns": report.returns.select_related("returned_by"),
        "flagged": report_services.is_flagged(report),
        "decidable": report.status == ReportStatus.SUBMITTED,
        "returnable": report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
    }
    return render(request, "registry/report_review.html", context)


@login_required
@require_POST
def report_bulk_accept(request):
    """Staff accept the ticked reports that carry no flagged jump, each through the one
    accept service (one audit event per report); the flagged ones are left for review."""
    require_staff(request.user)
    ids = [int(i) for i in request.POST.getlist("report") if i.isdigit()][:BULK_LIMIT]
    if not ids:
        messages.error(request, _("请先勾选要确认的报告。"))
        return redirect(_back(request))
    chosen = selectors.report_queue(request.user).filter(pk__in=ids).order_by("id")
    accepted, skipped = report_services.accept_clean_reports(chosen, actor=request.user)
    if accepted:
        messages.success(
            request,
            ngettext("已确认 %(n)d 份报告。", "已确认 %(n)d 份报告。", len(accepted))
            % {"n": len(accepted)},
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d 份报告未确认（含异常增长说明，或已不在待审状态），请逐份审核。",
                "%(n)d 份报告未确认（含异常增长说明，或已不在待审状态），请逐份审核。",
                len(skipped),
            )
            % {"n": len(skipped)},
        )
    return redirect(_back(request))


def _back(request):
    """Back to the queue with the filters the reviewer was using (re-encoded: only a query
    string on this page, never another address)."""
    query = QueryDict(request.POST.get("querystring", "")).urlencode()
    url = reverse("registry:report-list")
    return f"{url}?{query}" if query else url


@login_required
def follow_up_list(request):
    """Staff: service follow-ups due across their jurisdiction's enterprises."""
    require_staff(request.user)
    filterset = selectors.follow_up_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page": Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
    }
    return render(request, "registry/follow_up_list.html", context)


def _record_for_staff(request, pk):
    """A service record the user sees (404 otherwise) and may change (403 otherwise)."""
    record = get_object_or_404(
        ServiceRecord.objects.visible_to(request.user).select_related("enterprise__region"),
        pk=pk,
    )
    if not can_confirm_tier(request.user, record.enterprise):
        raise PermissionDenied
    return record


def _after_record_change(request):
    return redirect_to_next(request, reverse("registry:follow-up-list"))


@login_required
def service_edit(request, pk):
    """Staff correct a service record of their jurisdiction (audited)."""
    record = _record_for_staff(request, pk)
    form = ServiceRecordForm(request.POST or None, instance=ServiceRecord.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            report_services.update_service_record(
                record, actor=request.user, **{f: form.cleaned_data[f] for f in SERVICE_FIELDS}
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("服务记录已修改。"))
            return _after_record_change(request)
    context = {"record": record, "form": form, "next": _safe_next(request)}
    return render(request, "registry/service_edit.html", context)


@login_required
def service_delete(request, pk):
    """Staff delete a service record: a page that says what goes, then the POST."""
    record = _record_for_staff(request, pk)
    if request.method == "POST":
        try:
            report_services.delete_service_record(record, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("服务记录已删除。"))
        return _after_record_change(request)
    return render(
        request, "registry/service_delete.html", {"record": record, "next": _safe_next(request)}
    )


def _safe_next(request):
    """The page to come back to, when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else ""
