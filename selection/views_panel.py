"""Pages of the panel: staff manage members, conflicts and assignments; panelists score."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.forms import add_domain_error
from selection import blind, oversight, selectors
from selection.access import managed_round_or_404
from selection.choices import ApplicationStatus
from selection.forms_panel import (
    AddMemberForm,
    DecideConflictReportForm,
    DeclareConflictForm,
    DismissConflictForm,
    RemoveMemberForm,
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

PANEL_PAGE_SIZE = 50

SHORTFALL_MESSAGE = _lazy(
    "已分配；%(n)d 份申请可用专家不足（受利益冲突或任务上限限制），请增加专家后再分配。"
)


@login_required
def panel_manage(request, pk):
    """Members, conflicts and the review progress of a round. Every list is a page and
    every figure an aggregate query: the page costs the same at 100 or 20,000
    applications (selection.oversight)."""
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
    filters = oversight.ProgressFilters.from_query(request.GET, selection_round)
    summary = oversight.progress_summary(selection_round)
    context = {
        **_candidates(selection_round, request.GET.get("member_q", "")),
        "selected_user": form.data.get("user", ""),
        "round": selection_round,
        "form": form,
        "summary": summary,
        "experts": oversight.experts_page(selection_round, request.GET.get("experts_page")),
        "member_choices": oversight.member_choices(selection_round),
        "missing_pillars": panel_services.missing_pillars(selection_round),
        "conflicts": oversight.conflicts_page(selection_round, request.GET.get("conflicts_page")),
        "filters": filters,
        "filter_expert": oversight.member_of(selection_round, filters.expert),
        "review_states": [(s, ApplicationStatus(s).label) for s in oversight.REVIEW_STATES],
        "progress": oversight.progress_page(
            selection_round, filters, request.GET.get("page"), total=summary["total"]
        ),
        "dismiss_form": DismissConflictForm(),
        "reports": selectors.round_conflict_reports(selection_round)[:50],
        "report_form": DecideConflictReportForm(),
        "panel_open_states": panel_services.PANEL_OPEN_STATES,
    }
    return render(request, "selection/panel_manage.html", context)


def _candidates(selection_round, query) -> dict:
    candidates = oversight.panelist_candidates(selection_round, query)
    shown = list(candidates[: oversight.CANDIDATE_LIMIT])
    total = len(shown) if len(shown) < oversight.CANDIDATE_LIMIT else candidates.count()
    return {"candidates": shown, "candidate_total": total, "member_q": query}


@login_required
def panel_candidates(request, pk):
    """The "add member" control's list for a search (htmx swaps it in): the first
    panelists not yet on the panel who match, never all of them."""
    selection_round = managed_round_or_404(request, pk)
    context = {"round": selection_round, "selected_user": ""}
    context.update(_candidates(selection_round, request.GET.get("member_q", "")))
    return render(request, "selection/_panel_candidates.html", context)


@login_required
@require_POST
def assignment_replace(request, pk, application_pk):
    """Staff give an application that lacks experts (an upheld recusal, a removal) its
    replacements by auto_assign's rules."""
    selection_round = managed_round_or_404(request, pk)
    application = get_object_or_404(Application, pk=application_pk, round=selection_round)
    try:
        created = panel_services.assign_replacement(application, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("已补派 %(n)d 位专家。", "已补派 %(n)d 位专家。", len(created))
            % {"n": len(created)},
        )
    return redirect(reverse("selection:panel-manage", args=[pk]) + "#progress")


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
    """A panelist's work: their sheets by round (latest review deadline first), waiting
    ones first within a round; `?round=` narrows to one round."""
    if request.user.role != "panelist":
        raise PermissionDenied
    sheets = (
        ScoreSheet.objects.visible_to(request.user)
        .select_related("assignment__application__round", "assignment__application__enterprise")
        .order_by(
            "-assignment__application__round__review_closes_on",
            "assignment__application__round_id",
            F("submitted_at").asc(nulls_first=True),
            "id",
        )
    )
    round_id = request.GET.get("round", "")
    if round_id.isdigit():
        sheets = sheets.filter(assignment__application__round_id=int(round_id))
    page = Paginator(sheets, PANEL_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (sheet, selectors.applicant_label(sheet.assignment.application, request.user))
        for sheet in page
    ]
    return render(request, "selection/panel_home.html", {"rows": rows, "page": page})


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
    confirming = False
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if "confirm_submit" in request.POST:
            return _submit_confirmed(request, sheet)
        if form.is_valid():
            try:
                scoring.save_scores(sheet, actor=request.user, values=form.values())
            except scoring.ScoreProblems as exc:
                _show_problems(form, exc.by_criterion)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("评分已暂存。"))
                    return redirect("selection:sheet-detail", pk=pk)
                # Submitting: the server's checks come first; only a sheet that passes them
                # asks for the "cannot be changed" confirmation.
                missing, problems = scoring.submission_problems(sheet)
                if missing:
                    form.add_error(None, _("还有评审维度未评分：%(c)s") % {"c": "、".join(missing)})
                _show_problems(form, problems)
                if not missing and not problems:
                    return redirect(f"{request.path}?confirm=1#confirm-submit")
    elif is_owner and not sheet.is_submitted and request.GET.get("confirm"):
        confirming = scoring.submission_problems(sheet) == ([], {})
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
        "confirming": confirming,
        "preview_total": scoring.sheet_total(sheet) if confirming else None,
    }
    return render(request, "selection/sheet.html", context)


def _show_problems(form, by_criterion: dict[int, str]) -> None:
    for criterion_id, message in by_criterion.items():
        form.add_error(f"comment_{criterion_id}", message)


def _submit_confirmed(request, sheet):
    try:
        scoring.submit_sheet(sheet, actor=request.user)
    except DomainError as exc:  # changed since the check: back to the form with the reason
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评分已提交。"))
    return redirect("selection:sheet-detail", pk=sheet.pk)


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
    if sheet.assignment.panel_member.user_id != request.user.pk:  # only the expert declares
        raise PermissionDenied
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


@login_required
@require_POST
def panel_member_remove(request, pk, member_pk):
    """Take an expert off the panel; their unsubmitted sheets go to others automatically."""
    selection_round = managed_round_or_404(request, pk)
    member = get_object_or_404(PanelMember, pk=member_pk, round=selection_round)
    form = RemoveMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写移出理由。"))
        return redirect("selection:panel-manage", pk=pk)
    try:
        created = panel_services.remove_panel_member(
            member, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已移出专家，%(n)d 份未提交的评审任务已改派。") % {"n": len(created)},
        )
    return redirect("selection:panel-manage", pk=pk)
