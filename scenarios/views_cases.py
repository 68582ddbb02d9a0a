"""Typical cases (典型案例): the public list and page (no login), and staff marking a
succeeded award as a case or taking one down with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.forms import attempt, run_service
from scenarios.forms import ReasonForm, TypicalCaseForm
from scenarios.models import Award, Response, TypicalCase
from scenarios.services.cases import can_mark_case, publish_case, unpublish_case
from scenarios.views import page_of

CASE_RELATED = (
    "enterprise__region",
    "award__response__scenario__scenario_list__publisher__organisation",
)


def case_list(request):
    """典型案例: the published cases, newest first, for everyone."""
    cases = (
        TypicalCase.objects.public().select_related(*CASE_RELATED).order_by("-published_at", "-id")
    )
    return render(request, "scenarios/case_list.html", {"page": page_of(request, cases)})


def case_detail(request, pk):
    """One case: public when published; staff of its jurisdiction also see a withdrawn one
    (and may take it down)."""
    case = get_object_or_404(
        TypicalCase.objects.visible_to(request.user).select_related(*CASE_RELATED), pk=pk
    )
    manage = request.user.is_authenticated and can_mark_case(request.user, case.award)
    return render(request, "scenarios/case_detail.html", {
        "case": case, "award": case.award, "scenario": case.award.response.scenario,
        "can_manage": manage, "reason_form": ReasonForm(),
    })  # fmt: skip


@login_required
def case_mark(request, pk):
    """Staff mark the award of response `pk` as a typical case (GET: the form)."""
    response = get_object_or_404(
        Response.objects.visible_to(request.user).select_related(
            "enterprise", "scenario__scenario_list"
        ),
        pk=pk,
    )
    award = get_object_or_404(Award, response=response)
    if not can_mark_case(request.user, award):
        raise PermissionDenied
    existing = TypicalCase.objects.filter(award=award).first()
    initial = {"title": existing.title, "summary": existing.summary} if existing else {
        "title": response.scenario.title, "summary": award.progress,
    }  # fmt: skip
    form = TypicalCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        case = attempt(form, lambda: publish_case(award, actor=request.user, **form.cleaned_data))
        if case is not None:
            messages.success(request, _("典型案例已发布。"))
            return redirect("scenarios:case-detail", case.pk)
    return render(request, "scenarios/case_form.html", {
        "form": form, "response": response, "award": award,
    })  # fmt: skip


@login_required
@require_POST
def case_unpublish(request, pk):
    case = get_object_or_404(
        TypicalCase.objects.visible_to(request.user).select_related(
            "award__response__scenario__scenario_list"
        ),
        pk=pk,
    )
    if not can_mark_case(request.user, case.award):
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    run_service(request, lambda: unpublish_case(case, actor=request.user, reason=reason),
                _("典型案例已撤下。"))  # fmt: skip
    return redirect("scenarios:case-detail", case.pk)
