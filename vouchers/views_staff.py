"""What the bureau staff do: programmes (create, edit a draft, publish, new version,
close, withdraw), provider memberships, application decisions, voucher cancellation, the
programme dashboard (budget burn-down, totals by provider and hub node) and the
reconciliation page. Staff of regions above see everything read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conditions.builder import field_options
from config.errors import DomainError
from config.forms import add_domain_error, run_service
from config.pagination import DeferredJoinPaginator
from vouchers.forms import ProgramForm
from vouchers.models import (
    EnterpriseYearCap,
    HubNode,
    MembershipStatus,
    ProgramProvider,
    ProgramStatus,
    Voucher,
    VoucherProgram,
)
from vouchers.page_selectors import burn_down
from vouchers.permissions import can_manage_program
from vouchers.selectors import (
    cap_reconciliation,
    reconciliation,
    totals_by_hub_node,
    totals_by_provider,
    voucher_reconciliation,
)
from vouchers.services import applications as app_services
from vouchers.services import claims as claim_services
from vouchers.services import programs as program_services
from vouchers.services import providers as provider_services
from vouchers.views import visible_application, visible_program, visible_voucher


def _staff(request):
    if not request.user.is_staff_reviewer:
        raise PermissionDenied


def _manager(request, program):
    if not can_manage_program(request.user, program.jurisdiction):
        raise PermissionDenied


@login_required
def program_create(request):
    _staff(request)
    user = request.user
    form = ProgramForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.setdefault("jurisdiction", user.region)
        try:
            program = program_services.create_program(actor=user, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("草稿已保存。发布前仍可修改。"))
            return redirect("vouchers:program-detail", pk=program.pk)
    return render(request, "vouchers/program_form.html", _form_context(form, None))


@login_required
def program_edit(request, pk):
    """A draft is edited in place; a published or closed programme gets a new version (a
    draft copy, the old one kept)."""
    _staff(request)
    program = visible_program(request, pk)
    _manager(request, program)
    if program.status not in (ProgramStatus.DRAFT, ProgramStatus.PUBLISHED, ProgramStatus.CLOSED):
        raise PermissionDenied
    versioning = program.status != ProgramStatus.DRAFT
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            if versioning:
                changed = {
                    k: v for k, v in values.items() if v != program_services.snapshot_values(
                        VoucherProgram.objects.get(pk=program.pk))[k]
                }  # fmt: skip
                result = program_services.new_program_version(
                    VoucherProgram.objects.get(pk=program.pk), actor=request.user, **changed
                )
            else:
                result = program_services.update_program(
                    VoucherProgram.objects.get(pk=program.pk), actor=request.user, **values
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("已创建新版本草稿，发布后取代原版本。") if versioning else _("草稿已保存。"),
            )
            return redirect("vouchers:program-detail", pk=result.pk)
    context = _form_context(form, program, versioning=versioning)
    return render(request, "vouchers/program_form.html", context)


def _form_context(form, program, **extra):
    return {"form": form, "program": program, "fields": field_options(), **extra}


PROGRAM_ACTIONS = {
    "publish": (program_services.publish_program, False),
    "close": (program_services.close_program, False),
    "withdraw": (program_services.withdraw_program, True),
}


@login_required
@require_POST
def program_act(request, pk, action):
    _staff(request)
    program = visible_program(request, pk)
    if action not in PROGRAM_ACTIONS:
        raise Http404
    _manager(request, program)
    call, needs_reason = PROGRAM_ACTIONS[action]
    kwargs = {"reason": request.POST.get("reason", "")} if needs_reason else {}
    run_service(request, lambda: call(program, actor=request.user, **kwargs), _("操作成功。"))
    return redirect("vouchers:program-detail", pk=pk)


MEMBERSHIP_ACTIONS = {
    "approve": MembershipStatus.APPROVED,
    "suspend": MembershipStatus.SUSPENDED,
    "remove": MembershipStatus.REMOVED,
}


@login_required
@require_POST
def membership_act(request, pk, action):
    _staff(request)
    membership = get_object_or_404(
        ProgramProvider.objects.visible_to(request.user).select_related("program__jurisdiction"),
        pk=pk,
    )
    if action not in MEMBERSHIP_ACTIONS:
        raise Http404
    _manager(request, membership.program)
    run_service(
        request,
        lambda: provider_services.set_membership_status(
            membership,
            MEMBERSHIP_ACTIONS[action],
            actor=request.user,
            reason=request.POST.get("reason", ""),
        ),  # fmt: skip
        _("操作成功。"),
    )
    return redirect("vouchers:program-detail", pk=membership.program_id)


@login_required
@require_POST
def application_act(request, pk, action):
    """approve (issue the voucher), return for changes, reject — the programme's staff."""
    _staff(request)
    application = visible_application(request, pk)
    calls = {
        "approve": lambda: app_services.approve_application(application, actor=request.user),
        "return": lambda: app_services.return_application(
            application, actor=request.user, reason=request.POST.get("reason", "")
        ),
        "reject": lambda: app_services.reject_application(
            application, actor=request.user, reason=request.POST.get("reason", "")
        ),
    }
    if action not in calls:
        raise Http404
    _manager(request, application.program)
    result = run_service(request, calls[action], _("操作成功。"))
    if action == "approve" and result is not None:
        return redirect("vouchers:voucher-detail", pk=result.pk)
    return redirect("vouchers:application-detail", pk=pk)


@login_required
@require_POST
def voucher_cancel(request, pk):
    _staff(request)
    voucher = visible_voucher(request, pk)
    _manager(request, voucher.program)
    run_service(
        request,
        lambda: claim_services.cancel_voucher(
            voucher, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("券已作废，未使用的金额已释放回预算。"),
    )
    return redirect("vouchers:voucher-detail", pk=pk)


@login_required
def program_dashboard(request, pk):
    """Budget, reserved and spent over time (an SVG drawn here), totals by provider and by
    compute hub node."""
    _staff(request)
    program = visible_program(request, pk)
    hubs = dict(HubNode.choices)
    by_hub = [
        {**row, "label": hubs.get(row["provider__hub_node"], "—")}
        for row in totals_by_hub_node(program)
    ]
    context = {
        "program": program,
        "chart": burn_down(program),
        "by_provider": totals_by_provider(program),
        "by_hub": by_hub,
    }
    return render(request, "vouchers/program_dashboard.html", context)


@login_required
def reconciliation_page(request):
    """Balances beside the sums of their ledger rows: per programme, per enterprise-year
    cap, per voucher (paginated); a mismatch in red."""
    _staff(request)
    user = request.user
    programs = VoucherProgram.objects.visible_to(user).select_related("jurisdiction")
    caps = DeferredJoinPaginator(
        EnterpriseYearCap.objects.visible_to(user)
        .select_related("enterprise", "program")
        .order_by("-year", "enterprise__name", "id"),
        20,
    ).get_page(request.GET.get("caps"))
    vouchers = DeferredJoinPaginator(
        Voucher.objects.visible_to(user).select_related("program", "enterprise"), 20
    ).get_page(request.GET.get("page"))
    context = {
        "programs": reconciliation(programs.order_by("-year", "-id")),
        "caps": caps,
        "cap_rows": cap_reconciliation(caps.object_list),
        "page": vouchers,
        "voucher_rows": voucher_reconciliation(vouchers.object_list),
    }
    return render(request, "vouchers/reconciliation.html", context)
