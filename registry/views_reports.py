"""Annual reports (enterprises fill, staff accept or return) and service records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.forms import add_domain_error
from config.redirects import redirect_to_next
from registry import selectors, views_queues
from registry.forms import ReportForm, ServiceRecordForm
from registry.models import AnnualReport, Enterprise, ServiceRecord
from registry.permissions import can_confirm_tier
from registry.selectors import scenario_awards_received, vouchers_received
from registry.services import reports as report_services


def _own_enterprise(user):
    enterprise = Enterprise.objects.visible_to(user).first()
    if enterprise is None or not user.is_enterprise:
        raise PermissionDenied
    return enterprise


@login_required
def report_list(request):
    """An enterprise's own reports; for staff, the queue of their jurisdiction's reports."""
    if request.user.is_staff_reviewer:
        return views_queues.report_queue(request)
    enterprise = _own_enterprise(request.user)
    reports = {r.year: r for r in selectors.own_reports(request.user)}
    rows = [
        (r, report_services.growth(reports, year))
        for year, r in sorted(reports.items(), reverse=True)
    ]
    due_year = timezone.localdate().year - 1
    context = {"enterprise": enterprise, "rows": rows, "due_year": due_year,
               "due_missing": due_year not in reports}  # fmt: skip
    return render(request, "registry/report_list.html", context)


@login_required
def report_edit(request, year):
    enterprise = _own_enterprise(request.user)
    report = AnnualReport.objects.filter(enterprise=enterprise, year=year).first()
    # A new report starts from the number of data resources registered (coded) so far.
    initial = (
        {}
        if report
        else {"data_resources_registered": enterprise.data_resources.registered().count()}
    )
    form = ReportForm(request.POST or None, instance=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = report_services.save_report(
                enterprise,
                actor=request.user,
                year=year,
                values=form.values(),
                confirmations=form.confirmations(),
            )
            if "submit" in request.POST:
                report_services.submit_report(saved, actor=request.user)
        except report_services.ReportProblems as exc:
            for field, message in exc.by_field.items():
                form.add_error(field, message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("报告已报送。") if "submit" in request.POST else _("已保存草稿。")
            )
            return redirect("registry:report-list")
    context = {"form": form, "year": year, "report": report,
               "vouchers_received": vouchers_received(enterprise, year=year),
               "awards_received": scenario_awards_received(enterprise, year=year)}  # fmt: skip
    return render(request, "registry/report_form.html", context)


def _staff_report(request, pk):
    report = get_object_or_404(
        AnnualReport.objects.visible_to(request.user).select_related("enterprise__region"), pk=pk
    )
    if not request.user.is_staff_reviewer:
        raise PermissionDenied
    return report


@login_required
@require_POST
def report_accept(request, pk):
    report = _staff_report(request, pk)
    try:
        report_services.accept_report(report, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("报告已确认。"))
    return _after_decision(request, report)


@login_required
@require_POST
def report_return(request, pk):
    report = _staff_report(request, pk)
    try:
        report_services.return_report(
            report, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("报告已退回，企业将收到通知。"))
    return _after_decision(request, report)


def _after_decision(request, report):
    """Back where the decision was taken (the queue or the review page passes `next`),
    else to the enterprise."""
    return redirect_to_next(
        request, reverse("registry:enterprise-detail", args=[report.enterprise_id])
    )


@login_required
@require_POST
def service_add(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    if not can_confirm_tier(request.user, enterprise):
        raise PermissionDenied
    form = ServiceRecordForm(request.POST)
    if not form.is_valid():
        # Say what is wrong (e.g. "跟进日期不能早于服务日期。"), not a generic "fill it in".
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    else:
        try:
            report_services.log_service(enterprise, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("服务记录已登记。"))
    return redirect("registry:enterprise-detail", pk=pk)


@login_required
@require_POST
def service_followed_up(request, pk):
    record = get_object_or_404(ServiceRecord.objects.visible_to(request.user), pk=pk)
    if not can_confirm_tier(request.user, record.enterprise):
        raise PermissionDenied
    try:
        report_services.mark_followed_up(record, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect_to_next(request, "home")


@login_required
def monitoring_dashboard(request):
    """Staff: their jurisdiction's registry at a glance, with charts."""
    if not request.user.is_staff_reviewer:
        raise PermissionDenied
    from registry.dashboard import dashboard

    return render(request, "registry/dashboard.html", {"d": dashboard(request.user)})
