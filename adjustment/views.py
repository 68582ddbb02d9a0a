"""Dynamic adjustment pages: staff run the job and decide; enterprises follow and appeal."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from adjustment.forms import (
    AmendForm,
    AppealDecisionForm,
    ReasonForm,
    RulesForm,
    StartRunForm,
)
from adjustment.models import AdjustmentProposal, AdjustmentRun
from adjustment.rules import validate_rules
from adjustment.selectors import proposal_list
from adjustment.services import decisions
from adjustment.services import job as services
from conditions import engine as policy_conditions
from conditions.builder import builder_state, field_options, parse_builder, posted_state
from config.errors import DomainError
from config.pagination import DeferredJoinPaginator
from registry.choices import ListingStatus, RecordKind, Tier
from registry.models import Enterprise, RegistryEntry

PAGE_SIZE = 50


def _staff(request):
    if not request.user.is_staff_reviewer:
        raise PermissionDenied


@login_required
def adjustment_home(request):
    """Staff: the job (start, progress) and the proposals of their jurisdiction."""
    _staff(request)
    form, proposals = proposal_list(request.user, request.GET)
    visible = AdjustmentProposal.objects.visible_to(request.user)
    latest = services.latest_due_year(timezone.localdate())
    context = {
        "filter_form": form,
        "page": DeferredJoinPaginator(proposals, PAGE_SIZE).get_page(request.GET.get("page")),
        "run": AdjustmentRun.objects.visible_to(request.user).select_related("region").first(),
        "start_form": StartRunForm(latest=latest),
        "scope": services.scope_of(request.user),
        "pending_appeals": visible.filter(appeal__status="pending").count(),
    }
    return render(request, "adjustment/home.html", context)


@login_required
def adjustment_progress(request):
    _staff(request)
    run = AdjustmentRun.objects.visible_to(request.user).select_related("region").first()
    return render(request, "adjustment/_progress.html", {"run": run})


@login_required
@require_POST
def adjustment_start(request):
    _staff(request)
    latest = services.latest_due_year(timezone.localdate())
    form = StartRunForm(request.POST, latest=latest)
    if not form.is_valid():
        messages.error(request, _("请选择报告年度。"))
        return redirect("adjustment:adjustment")
    try:
        services.start_adjustment(
            actor=request.user,
            region=services.scope_of(request.user),
            year=form.cleaned_data["year"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("动态调整测算已开始，进度显示在下方。"))
    return redirect("adjustment:adjustment")


@login_required
@require_POST
def proposal_bulk_confirm(request):
    _staff(request)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    chosen = (
        AdjustmentProposal.objects.visible_to(request.user)
        .filter(pk__in=ids, status="pending")
        .select_related("entry__enterprise")
    )
    if not ids:
        messages.error(request, _("请先勾选要确认的调整建议。"))
    else:
        done, problems = decisions.bulk_confirm(chosen, actor=request.user)
        confirmed = ngettext("已确认 %(n)s 项调整建议。", "已确认 %(n)s 项调整建议。", done)
        messages.success(request, confirmed % {"n": done})
        for problem in problems[:10]:
            messages.error(request, problem)
    return redirect(request.POST.get("next") or "adjustment:adjustment")


@login_required
def proposal_detail(request, pk):
    proposal = get_object_or_404(
        AdjustmentProposal.objects.visible_to(request.user).select_related(
            "entry__enterprise__region", "decided_by", "run"
        ),
        pk=pk,
    )
    staff = request.user.is_staff_reviewer
    appeal = getattr(proposal, "appeal", None)
    figures = proposal.figures or {}
    names = sorted({name for year in figures.values() for name in year})
    context = {
        "proposal": proposal,
        "appeal": appeal,
        "staff": staff,
        "figure_years": sorted(figures),
        "figure_rows": [
            (
                policy_conditions.FIELDS[n].label if n in policy_conditions.FIELDS else n,
                [figures[y].get(n) for y in sorted(figures)],
            )
            for n in names
        ],  # fmt: skip
        "reason_form": ReasonForm(),
        "amend_form": AmendForm(initial={"kind": proposal.kind, "tier": proposal.to_tier}),
        "appeal_form": ReasonForm() if decisions.can_appeal(request.user, proposal) else None,
        "appeal_deadline": decisions.appeal_deadline(proposal),
        "appeal_decision_form": AppealDecisionForm() if staff and appeal else None,
    }
    return render(request, "adjustment/proposal.html", context)


@login_required
@require_POST
def proposal_decide(request, pk):
    _staff(request)
    proposal = get_object_or_404(AdjustmentProposal.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            decisions.confirm_proposal(proposal, actor=request.user)
        elif action == "reject":
            decisions.reject_proposal(
                proposal, actor=request.user, reason=request.POST.get("reason", "")
            )
        elif action == "amend":
            form = AmendForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请选择调整类型并填写理由。"))
            data = form.cleaned_data
            decisions.amend_proposal(proposal, actor=request.user, kind=data["kind"],
                                     tier=data["tier"], reason=data["reason"])  # fmt: skip
        else:
            raise DomainError(_("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已处理该调整建议。"))
    return redirect("adjustment:proposal-detail", pk=pk)


@login_required
@require_POST
def appeal_file(request, pk):
    proposal = get_object_or_404(AdjustmentProposal.objects.visible_to(request.user), pk=pk)
    if not request.user.is_enterprise:
        raise PermissionDenied
    try:
        decisions.file_appeal(proposal, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申诉已提交，数据管理部门处理后会通知您。"))
    return redirect("adjustment:proposal-detail", pk=pk)


@login_required
@require_POST
def appeal_decide(request, pk):
    _staff(request)
    proposal = get_object_or_404(AdjustmentProposal.objects.visible_to(request.user), pk=pk)
    appeal = getattr(proposal, "appeal", None)
    form = AppealDecisionForm(request.POST)
    if appeal is None:
        raise PermissionDenied
    try:
        if not form.is_valid():
            raise DomainError(_("请选择结论并填写处理意见。"))
        decisions.decide_appeal(appeal, actor=request.user, uphold=form.cleaned_data["uphold"],
                                reply=form.cleaned_data["reply"])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申诉已处理。"))
    return redirect("adjustment:proposal-detail", pk=pk)


@login_required
def adjustment_rules(request):
    """Staff: the rules in force for their jurisdiction; its own staff may change them,
    each tier's condition in the condition builder (as policies are written)."""
    _staff(request)
    scope = services.scope_of(request.user)
    source, rules = services.rules_for(scope.path, services.rule_sets())
    names = ("downgrade_after_years", "exit_after_missing_years", "graduate_listing",
             "exit_records")  # fmt: skip
    form = RulesForm(request.POST or None, initial={name: rules[name] for name in names})
    problems = []
    if request.method == "POST":
        tiers = {}
        for tier in Tier:
            spec, found = parse_builder(request.POST, prefix=f"{tier.value}-")
            tiers[tier.value] = spec
            problems += [f"{tier.label}：{p}" for p in found]
        if form.is_valid() and (not problems or form.cleaned_data["rules_json"] is not None):
            new_rules = form.rules(tiers)
            problems = validate_rules(new_rules)
            if not problems:
                try:
                    services.save_rules(scope, actor=request.user, rules=new_rules)
                except DomainError as exc:
                    problems = [exc.message]
                else:
                    messages.success(request, _("本辖区的动态调整规则已保存，下次测算起生效。"))
                    return redirect("adjustment:adjustment-rules")
        builders = [(t.label, posted_state(request.POST, prefix=f"{t.value}-")) for t in Tier]
    else:
        builders = [
            (t.label, builder_state(rules["tiers"][t.value], prefix=f"{t.value}-")) for t in Tier
        ]
        if any(state is None for _label, state in builders):  # deeper than the page shows
            form.initial["rules_json"] = json.dumps(rules, ensure_ascii=False, indent=2)
            builders = [(t.label, builder_state(None, prefix=f"{t.value}-")) for t in Tier]
    context = {
        "form": form,
        "scope": scope,
        "inherited": source != scope.path,
        "tiers": [
            (Tier(t).label, policy_conditions.describe(spec)) for t, spec in rules["tiers"].items()
        ],  # fmt: skip
        "rules": rules,
        "graduate_listing": [ListingStatus(v).label for v in rules["graduate_listing"]],
        "exit_records": [RecordKind(v).label for v in rules["exit_records"]],
        "builders": builders,
        "fields": field_options(),
        "problems": problems,
    }
    return render(request, "adjustment/rules.html", context)


@login_required
def my_adjustments(request):
    """Enterprise: the adjustments that took effect, its exit request, its appeals."""
    enterprise = Enterprise.objects.visible_to(request.user).first()
    if enterprise is None or not request.user.is_enterprise:
        raise PermissionDenied
    entry = RegistryEntry.objects.filter(enterprise=enterprise).first()
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.request_exit(
                enterprise, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("退出申请已提交，等待数据管理部门确认。"))
            return redirect("adjustment:my-adjustments")
    proposals = (
        AdjustmentProposal.objects.visible_to(request.user)
        .select_related("appeal")
        .order_by("-created_at")
    )
    context = {"enterprise": enterprise, "entry": entry, "proposals": proposals, "form": form,
               "changes": entry.changes.all() if entry else []}  # fmt: skip
    return render(request, "adjustment/mine.html", context)
