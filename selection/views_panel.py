"""Pages of the panel: staff manage members, conflicts and assignments; panelists score."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.forms import add_domain_error
from selection import blind, selectors
from selection.access import managed_round_or_404
from selection.forms_panel import (
    AddMemberForm,
    DecideConflictReportForm,
    DeclareConflictForm,
    DismissConflictForm,
    ScoreSheetForm,
)
from selection.models import (
    Application,
    Assignment,
    ConflictOfInterest,
    ConflictReport,
    PanelMember,
    ScoreSheet,
)
from selection.services import panel as panel_services
from selection.services import scoring

SHORTFALL_MESSAGE = _lazy(
    "已分配；%(n)d 份申请可用专家不足（受利益冲突或任务上限限制），请增加专家后再分配。"
)


@login_required
def panel_manage(request, pk):
    selection_round = managed_round_or_404(request, pk)
    form = AddMemberForm(request.POST or None, selection_round=selection_round)
    if request.method == "POST" and form.is_valid():
        try:
            panel_services.add_panel_member(
                selection_round, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已添加专家。"))
            return redirect("selection:panel-manage", pk=pk)
    outlier_apps, outlier_members = selectors.outliers(selection_round)
    members = list(selectors.panel_overview(selection_round))
    context = {
        "round": selection_round,
        "form": form,
        "members": members,
        "missing_pillars": panel_services.missing_pillars(selection_round),
        "conflicts": ConflictOfInterest.objects.filter(
            panel_member__round=selection_round
        ).select_related("panel_member__user", "enterprise", "dismissed_by"),
        "progress": selectors.application_progress(selection_round).prefetch_related(
            "assignments__panel_member__user", "assignments__sheet"
        ),
        "outlier_apps": {o["application_id"]: o["spread"] for o in outlier_apps},
        "outlier_members": {o["panel_member_id"]: o["deviation"] for o in outlier_members},
        "dismiss_form": DismissConflictForm(),
        "reports": selectors.round_conflict_reports(selection_round)[:50],
        "report_form": DecideConflictReportForm(),
    }
    return render(request, "selection/panel_manage.html", context)


@login_required
@require_POST
def panel_auto_assign(request, pk):
    selection_round = managed_round_or_404(request, pk)
    try:
        result = panel_services.auto_assign(selection_round, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.shortfalls:
            messages.warning(
                request,
                SHORTFALL_MESSAGE % {"n": len(result.shortfalls)},
            )
        else:
            messages.success(request, _("评审任务已分配。"))
    return redirect("selection:panel-manage", pk=pk)


@login_required
@require_POST
def conflict_dismiss(request, pk):
    conflict = get_object_or_404(
        ConflictOfInterest.objects.select_related("panel_member__round"), pk=pk
    )
    selection_round = managed_round_or_404(request, conflict.panel_member.round_id)
    form = DismissConflictForm(request.POST)
    try:
        panel_services.dismiss_conflict(
            conflict, actor=request.user, reason=form.data.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已排除该利益冲突。"))
    return redirect("selection:panel-manage", pk=selection_round.pk)


@login_required
def panel_home(request):
    """A panelist's work: their sheets, newest round first."""
    if request.user.role != "panelist":
        raise PermissionDenied
    sheets = (
        ScoreSheet.objects.visible_to(request.user)
        .select_related("assignment__application__round", "assignment__application__enterprise")
        .order_by("-assignment__application__round__year", "submitted_at", "id")
    )
    rows = [
        (sheet, selectors.applicant_label(sheet.assignment.application, request.user))
        for sheet in sheets
    ]
    return render(request, "selection/panel_home.html", {"rows": rows})


@login_required
def sheet_detail(request, pk):
    sheet = get_object_or_404(
        ScoreSheet.objects.visible_to(request.user).select_related(
            "assignment__application__round",
            "assignment__application__enterprise",
            "assignment__panel_member",
        ),
        pk=pk,
    )
    application = sheet.assignment.application
    is_owner = sheet.assignment.panel_member.user_id == request.user.pk
    scores = {s.criterion_id: s for s in sheet.scores.all()}
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and is_owner else None,
        criteria=application.round.criteria.all(),
        scores=scores,
    )
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                scoring.save_scores(sheet, actor=request.user, values=form.values())
                if "submit" in request.POST:
                    scoring.submit_sheet(sheet, actor=request.user)
            except scoring.ScoreProblems as exc:
                for criterion_id, message in exc.by_criterion.items():
                    form.add_error(f"comment_{criterion_id}", message)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("评分已提交。") if "submit" in request.POST else _("评分已暂存。")
                )
                return redirect("selection:sheet-detail", pk=pk)
    terms = selectors.reader_terms(application, request.user)
    context = {
        "sheet": sheet,
        "application": application,
        "form": form,
        "is_owner": is_owner,
        "figures": application.figures.order_by("year"),
        "essays": selectors.essays_for(application, request.user, terms=terms),
        "trace": blind.redact_data(application.indicator_trace, terms),
        "attachments": [
            (attachment, selectors.attachment_name(attachment, request.user))
            for attachment in selectors.attachments_for(application, request.user)
        ],
        "conflict_form": DeclareConflictForm(),
        "display_name": selectors.applicant_label(application, request.user),
        "revisions": sheet.revisions.select_related("criterion") if is_owner else [],
    }
    return render(request, "selection/sheet.html", context)


@login_required
@require_POST
def conflict_declare(request, pk):
    """Before submitting, the panelist steps aside at once; after, the conflict is a
    report that staff decide (the submitted sheet stays until they do)."""
    sheet = get_object_or_404(
        ScoreSheet.objects.visible_to(request.user).select_related(
            "assignment__panel_member__round", "assignment__application__enterprise"
        ),
        pk=pk,
    )
    form = DeclareConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择冲突类型并说明具体情况。"))
        return redirect("selection:sheet-detail", pk=pk)
    declare = (
        panel_services.report_conflict if sheet.is_submitted else panel_services.declare_conflict
    )
    try:
        declare(
            sheet.assignment.panel_member,
            actor=request.user,
            application=sheet.assignment.application,
            **form.cleaned_data,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("selection:sheet-detail", pk=pk)
    if sheet.is_submitted:
        messages.success(request, _("已向工作人员报告利益冲突。处理前您的评分表保持已提交状态。"))
        return redirect("selection:sheet-detail", pk=pk)
    messages.success(request, _("已申报利益冲突，该申请已从您的评审任务中移除。"))
    return redirect("selection:panel-home")


@login_required
@require_POST
def conflict_report_decide(request, pk):
    report = get_object_or_404(
        ConflictReport.objects.select_related("application__round", "panel_member__user"), pk=pk
    )
    selection_round = managed_round_or_404(request, report.application.round_id)
    form = DecideConflictReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结论并填写理由。"))
        return redirect("selection:panel-manage", pk=selection_round.pk)
    try:
        panel_services.decide_conflict_report(
            report,
            actor=request.user,
            upheld=form.cleaned_data["decision"] == "uphold",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("回避成立，该专家的评分已撤回，请为该申请补充专家。")
            if form.cleaned_data["decision"] == "uphold"
            else _("已决定不予回避，该评分表保留。"),
        )
    return redirect("selection:panel-manage", pk=selection_round.pk)


@login_required
@require_POST
def assignment_add(request, pk, application_pk):
    selection_round = managed_round_or_404(request, pk)
    application = get_object_or_404(Application, pk=application_pk, round=selection_round)
    member = get_object_or_404(
        PanelMember, pk=request.POST.get("member") or 0, round=selection_round
    )
    try:
        panel_services.assign_manually(application, actor=request.user, member=member)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已分配。"))
    return redirect("selection:panel-manage", pk=pk)


@login_required
@require_POST
def assignment_remove(request, pk, assignment_pk):
    selection_round = managed_round_or_404(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("sheet", "application", "panel_member__user"),
        pk=assignment_pk,
        application__round=selection_round,
    )
    try:
        panel_services.unassign(assignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消分配。"))
    return redirect("selection:panel-manage", pk=pk)
