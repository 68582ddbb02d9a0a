from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.forms import add_domain_error
from config.pagination import DeferredJoinPaginator
from selection import selectors
from selection.access import managed_round_or_404
from selection.choices import ROUND_TRANSITIONS, RoundStatus
from selection.forms import (
    ApplicationForm,
    AttachmentForm,
    ChecklistFormSet,
    CriterionFormSet,
    FiguresForm,
    ReviewForm,
    RoundForm,
    RubricForm,
    SubmitForm,
    TierRuleFormSet,
    WithdrawForm,
)
from selection.models import ApplicationAttachment, SelectionRound
from selection.permissions import (
    can_apply,
    can_edit_application,
    can_manage_round,
    can_review_application,
)
from selection.services import applications as app_services
from selection.services import rounds as round_services
from selection.services.review import review_application


@login_required
def index(request):
    """Staff: the rounds of their jurisdiction. Enterprises: rounds open to them and
    their applications."""
    user = request.user
    if user.is_staff_reviewer:
        page = Paginator(selectors.round_list(user), 20).get_page(request.GET.get("page"))
        return render(request, "selection/round_list.html", {"page": page})
    if user.is_enterprise:
        context = {
            "open_rounds": selectors.open_rounds_for(user),
            "applications": selectors.application_list(user),
            "enterprise": selectors.enterprise_of(user),
        }
        return render(request, "selection/my_applications.html", context)
    raise PermissionDenied


@login_required
def round_create(request):
    if not request.user.is_bureau:
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = round_services.create_round(
                actor=request.user, region=request.user.region, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("遴选轮次已创建，已按默认规则生成指标、评审维度和分级规则。")
            )
            return redirect("selection:round-detail", pk=created.pk)
    return render(request, "selection/round_form.html", {"form": form})


@login_required
def round_edit(request, pk):
    selection_round = managed_round_or_404(request, pk)
    form = RoundForm(request.POST or None, instance=SelectionRound.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            round_services.update_round(selection_round, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("selection:round-detail", pk=pk)
    return render(request, "selection/round_form.html", {"form": form, "round": selection_round})


@login_required
def round_detail(request, pk):
    selection_round = get_object_or_404(
        SelectionRound.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    if not request.user.is_staff_reviewer:
        raise PermissionDenied
    applications = selectors.round_applications(request.user, selection_round, request.GET)
    manageable = can_manage_round(request.user, selection_round)
    next_statuses = (
        [RoundStatus(s) for s in ROUND_TRANSITIONS[RoundStatus(selection_round.status)]]
        if manageable
        else []
    )
    context = {
        "round": selection_round,
        "can_manage": manageable,
        "next_statuses": next_statuses,
        # What still stands in the way of each next step, before anyone clicks.
        "blockers": [
            (status, problems)
            for status in next_statuses
            if (problems := round_services.transition_problems(selection_round, status))
        ],
        "status_counts": selectors.status_counts(selection_round),
        "page": DeferredJoinPaginator(applications, 50).get_page(request.GET.get("page")),
        "groups": selection_round.groups.prefetch_related("indicators"),
    }
    return render(request, "selection/round_detail.html", context)


@login_required
@require_POST
def round_transition(request, pk):
    selection_round = get_object_or_404(SelectionRound.objects.visible_to(request.user), pk=pk)
    if not can_manage_round(request.user, selection_round):
        raise PermissionDenied
    try:
        round_services.set_round_status(
            selection_round, request.POST.get("status", ""), actor=request.user
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("无效的状态。")))
    else:
        messages.success(request, _("轮次状态已更新。"))
    return redirect("selection:round-detail", pk=pk)


@login_required
@require_POST
def application_start(request, pk):
    selection_round = get_object_or_404(SelectionRound.objects.visible_to(request.user), pk=pk)
    enterprise = selectors.enterprise_of(request.user)
    if enterprise is None or not can_apply(request.user, enterprise, selection_round):
        raise PermissionDenied
    try:
        application = app_services.start_application(
            actor=request.user, enterprise=enterprise, selection_round=selection_round
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("selection:index")
    return redirect("selection:application-edit", pk=application.pk)


def _application_or_404(request, pk):
    return get_object_or_404(selectors.application_list(request.user), pk=pk)


def _editable_application(request, pk):
    """The application, for a member of its enterprise (403 for anyone else who sees it)."""
    application = _application_or_404(request, pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied
    return application


@login_required
def application_detail(request, pk):
    application = _application_or_404(request, pk)
    if request.user.role == "panelist":  # panelists read applications on their score sheet
        sheet = application.assignments.get(panel_member__user=request.user).sheet
        return redirect("selection:sheet-detail", pk=sheet.pk)
    review_form = None
    if can_review_application(request.user, application) and app_services.awaiting_review(
        application
    ):
        review_form = ReviewForm(checklist=application.round.checklist.all())
    context = {
        "application": application,
        "show_result": selectors.result_visible(application, request.user),
        "figures": application.figures.order_by("year"),
        "attachments": application.attachments.all(),
        "reviews": application.formal_reviews.select_related("reviewer").prefetch_related(
            "items__checklist_item"
        ),
        "review_form": review_form,
        "report_mismatches": selectors.figures_against_reports(application)
        if request.user.is_staff_reviewer
        else [],
        "can_edit": can_edit_application(request.user, application)
        and application.status in ("draft", "returned"),
        "withdraw_form": WithdrawForm()
        if can_edit_application(request.user, application)
        else None,
    }
    return render(request, "selection/application_detail.html", context)


def _figure_years(application):
    last = application.round.year - 1
    return [last - 2, last - 1, last]


@login_required
def application_edit(request, pk):
    application = _editable_application(request, pk)
    if application.status not in ("draft", "returned"):
        messages.info(request, _("申请已提交，不能修改。"))
        return redirect("selection:application-detail", pk=pk)
    existing = {f.year: f for f in application.figures.all()}
    data = request.POST if request.method == "POST" and "save" in request.POST else None
    form = ApplicationForm(data, instance=application)
    year_forms = [
        FiguresForm(data, instance=existing.get(year), prefix=f"y{year}", year=year)
        for year in _figure_years(application)
    ]
    if data is not None and form.is_valid() and all(f.is_valid() for f in year_forms):
        try:
            app_services.save_application(
                application,
                actor=request.user,
                figures={f.year: f.cleaned_data for f in year_forms},
                **form.cleaned_data,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存草稿。"))
            return redirect("selection:application-edit", pk=pk)
    context = {
        "application": application,
        "form": form,
        "year_forms": year_forms,
        "attachment_form": AttachmentForm(),
        "attachments": application.attachments.all(),
        "submit_form": SubmitForm(),
        "last_return": application.formal_reviews.filter(outcome="returned")
        .prefetch_related("items__checklist_item")
        .first(),
    }
    return render(request, "selection/application_form.html", context)


@login_required
@require_POST
def attachment_add(request, pk):
    application = _editable_application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择材料类型和要上传的文件。"))
    else:
        try:
            app_services.add_attachment(
                application,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("selection:application-edit", pk=pk)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    application = _editable_application(request, pk)
    attachment = get_object_or_404(ApplicationAttachment, pk=attachment_pk, application=application)
    try:
        app_services.remove_attachment(attachment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("selection:application-edit", pk=pk)


@login_required
@require_POST
def application_submit(request, pk):
    application = _editable_application(request, pk)
    form = SubmitForm(request.POST)
    try:
        app_services.submit_application(
            application, actor=request.user, declaration=form.is_valid()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("selection:application-edit", pk=pk)
    messages.success(request, _("申请已提交，请等待形式审查。"))
    return redirect("selection:application-detail", pk=pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _editable_application(request, pk)
    form = WithdrawForm(request.POST)
    try:
        app_services.withdraw_application(
            application, actor=request.user, reason=form.data.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("selection:application-detail", pk=pk)


@login_required
@require_POST
def application_review(request, pk):
    application = _application_or_404(request, pk)
    if not can_review_application(request.user, application):
        raise PermissionDenied
    form = ReviewForm(request.POST, checklist=application.round.checklist.all())
    if form.is_valid():
        try:
            review_application(
                application,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                items=form.items(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("形式审查结论已保存，企业将收到通知。"))
            return redirect("selection:application-detail", pk=pk)
    context = {
        "application": application,
        "figures": application.figures.order_by("year"),
        "attachments": application.attachments.all(),
        "reviews": application.formal_reviews.all(),
        "review_form": form,
        "report_mismatches": selectors.figures_against_reports(application),
    }
    return render(request, "selection/application_detail.html", context, status=400)


@login_required
def attachment_download(request, pk, attachment_pk):
    """The file for those who may see the application; a panelist never gets an
    identity document (404) and, in a blind round, gets a neutral file name."""
    from django.http import FileResponse

    application = _application_or_404(request, pk)
    attachment = get_object_or_404(
        selectors.attachments_for(application, request.user), pk=attachment_pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=selectors.attachment_name(attachment, request.user),
        content_type="application/pdf",
    )


@login_required
def round_rubric(request, pk):
    """Staff edit a draft round's indicator rubric: pass mark, group minimums, bands."""
    selection_round = managed_round_or_404(request, pk)
    form = RubricForm(request.POST or None, selection_round=selection_round)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.update_rubric(
                selection_round,
                actor=request.user,
                pass_mark=form.cleaned_data["pass_mark"],
                minimums=form.minimums,
                bands=form.bands,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("指标评分规则已保存。"))
            return redirect("selection:round-detail", pk=pk)
    context = {"round": selection_round, "form": form,
               "editable": selection_round.status == RoundStatus.DRAFT}  # fmt: skip
    return render(request, "selection/round_rubric.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


def _filled(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@login_required
def round_rules(request, pk):
    """Staff edit a draft round's panel criteria and tier rules."""
    selection_round = managed_round_or_404(request, pk)
    criteria_initial = list(
        selection_round.criteria.values("name", "guidance", "weight", "max_score")
    )
    rules_initial = list(
        selection_round.tier_rules.values(
            "tier", "category", "min_final_score", "min_revenue", "min_age_years",
            "max_age_years", "quota",
        )
    )  # fmt: skip
    checklist_initial = list(selection_round.checklist.order_by("order").values("text"))
    data = request.POST if request.method == "POST" else None
    criteria = CriterionFormSet(data, initial=criteria_initial, prefix="criteria")
    rules = TierRuleFormSet(data, initial=rules_initial, prefix="rules")
    checklist = ChecklistFormSet(data, initial=checklist_initial, prefix="checklist")
    error = None
    if data is not None and criteria.is_valid() and rules.is_valid() and checklist.is_valid():
        try:
            with transaction.atomic():
                round_services.replace_criteria(
                    selection_round, actor=request.user, rows=_filled(criteria)
                )
                round_services.replace_tier_rules(
                    selection_round, actor=request.user, rows=_filled(rules)
                )
                round_services.replace_checklist(
                    selection_round,
                    actor=request.user,
                    items=[row["text"] for row in _filled(checklist)],
                )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("评审维度、分级规则和形式审查要点已保存。"))
            return redirect("selection:round-detail", pk=pk)
    context = {"round": selection_round, "criteria": criteria, "rules": rules,
               "checklist": checklist, "error": error}  # fmt: skip
    return render(request, "selection/round_rules.html", context, status=400 if error else 200)
