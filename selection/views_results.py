"""Tiering, confirmation, the public notice and objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from registry.choices import Tier
from selection import selectors
from selection.access import managed_round_or_404
from selection.models import Application, Objection, TieringRun
from selection.permissions import can_manage_round
from selection.selectors import tier_distribution
from selection.services import notice as notice_services
from selection.services import tiering as tiering_services


@login_required
def results(request, pk):
    """Staff: run the tiering job, follow its progress, review and confirm."""
    selection_round = managed_round_or_404(request, pk)
    proposals = selectors.round_results(selection_round)
    context = {
        "round": selection_round,
        "run": TieringRun.objects.filter(round=selection_round).first(),
        "distribution": tier_distribution(selection_round),
        "page": Paginator(proposals, 50).get_page(request.GET.get("page")),
        "tiers": Tier.choices,
    }
    return render(request, "selection/results.html", context)


@login_required
def run_progress(request, pk):
    """The progress bar, polled by htmx while the job runs."""
    selection_round = managed_round_or_404(request, pk)
    run = TieringRun.objects.filter(round=selection_round).first()
    context = {
        "round": selection_round,
        "run": run,
        "distribution": tier_distribution(selection_round),
    }
    return render(request, "selection/_run_progress.html", context)


@login_required
@require_POST
def run_start(request, pk):
    selection_round = managed_round_or_404(request, pk)
    try:
        tiering_services.start_tiering(selection_round, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("分级任务已开始，进度显示在下方。"))
    return redirect("selection:results", pk=pk)


@login_required
@require_POST
def override(request, pk, application_pk):
    selection_round = managed_round_or_404(request, pk)
    application = get_object_or_404(Application, pk=application_pk, round=selection_round)
    try:
        tiering_services.override_result(
            application,
            actor=request.user,
            tier=request.POST.get("tier", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已调整 %(name)s 的拟定结果。") % {"name": application.enterprise.name}
        )
    return redirect("selection:results", pk=pk)


@login_required
@require_POST
def confirm(request, pk):
    selection_round = managed_round_or_404(request, pk)
    try:
        tiering_services.confirm_results(selection_round, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("结果已确认，公示已开始。"))
    return redirect("selection:results", pk=pk)


def public_notice(request):
    """公示: no login needed."""
    rounds = [(r, notice_services.public_results(r)) for r in notice_services.public_notices()]
    return render(request, "selection/public_notice.html", {"rounds": rounds})


@login_required
@require_POST
def objection_file(request, application_pk):
    # Only a result on public notice can be objected to; any other id, existing or not,
    # answers the same 404 so that outsiders cannot probe which applications exist.
    application = get_object_or_404(notice_services.results_on_notice(), pk=application_pk)
    try:
        notice_services.file_objection(
            application,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            evidence=request.FILES.get("evidence"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("异议已提交，处理结果将通知您。"))
    return redirect("selection:public-notice")


@login_required
def objection_list(request, pk):
    selection_round = managed_round_or_404(request, pk)
    objections = selectors.round_objections(request.user, selection_round)
    page = Paginator(objections, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "selection/objections.html",
        {"round": selection_round, "page": page, "tiers": Tier.choices},
    )


@login_required
def objection_evidence(request, pk):
    """The objection's PDF for the filer and the staff who decide it (404 for anyone else)."""
    from django.http import FileResponse, Http404

    objection = get_object_or_404(Objection.objects.visible_to(request.user), pk=pk)
    if not objection.evidence:
        raise Http404
    return FileResponse(
        objection.evidence.open("rb"),
        as_attachment=True,
        filename=f"objection-{objection.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def objection_resolve(request, pk):
    objection = get_object_or_404(
        Objection.objects.visible_to(request.user).select_related("application__round"), pk=pk
    )
    if not can_manage_round(request.user, objection.application.round):
        raise PermissionDenied
    decision = request.POST.get("decision")
    new_tier = request.POST.get("new_tier")
    try:
        notice_services.resolve_objection(
            objection,
            actor=request.user,
            upheld=decision in ("change", "withdraw"),
            reply=request.POST.get("reply", ""),
            new_tier=None if decision == "withdraw" else (new_tier or ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("异议已处理。"))
    return redirect("selection:objection-list", pk=objection.application.round_id)
