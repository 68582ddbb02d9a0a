"""Enterprise verification (members upload and submit, staff decide) and jurisdiction
transfers (staff of the receiving jurisdiction accept or reject)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from registry import selectors
from registry.choices import AWAITING_VERIFICATION, DOCUMENTS_EDITABLE, DocumentKind
from registry.forms import DocumentUploadForm, TransferDecisionForm, VerificationDecisionForm
from registry.models import EnterpriseDocument
from registry.permissions import (
    can_decide_transfer,
    can_verify_enterprise,
    can_withdraw_transfer,
    is_member,
)
from registry.services import transfers, verification


def _require_staff(user):
    if not (user.is_bureau or user.is_admin):
        raise PermissionDenied


def _enterprise_or_404(request, pk):
    return get_object_or_404(selectors.enterprise_list(request.user), pk=pk)


@login_required
def verification_queue(request):
    """Staff: enterprises of their jurisdiction waiting for a verification decision."""
    _require_staff(request.user)
    page = Paginator(selectors.verification_queue(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "registry/verification_queue.html", {"page": page})


@login_required
def verification_page(request, pk):
    """The enterprise's verification: status, documents, submit (members); the USCC check
    and the decision (staff of its jurisdiction). 404 for anyone who cannot see it."""
    enterprise = _enterprise_or_404(request, pk)
    member = is_member(request.user, enterprise)
    can_decide = can_verify_enterprise(request.user, enterprise)
    status = enterprise.verification_status
    context = {
        "enterprise": enterprise,
        "documents": selectors.documents_of(enterprise, request.user).select_related("uploaded_by"),
        "missing": [DocumentKind(k).label for k in verification.missing_documents(enterprise)],
        "can_upload": member and status in DOCUMENTS_EDITABLE,
        "upload_form": DocumentUploadForm(),
        "can_decide": can_decide and status in AWAITING_VERIFICATION,
        "decision_form": VerificationDecisionForm(),
    }
    if request.user.is_staff_reviewer:
        context["region_check"] = selectors.uscc_region_check(enterprise)
    return render(request, "registry/verification.html", context)


@login_required
@require_POST
def verification_upload(request, pk):
    enterprise = _enterprise_or_404(request, pk)
    if not is_member(request.user, enterprise):
        raise PermissionDenied
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择材料类型并选择一个 PDF 文件。"))
        return redirect("registry:verification", pk=pk)
    try:
        verification.upload_document(
            enterprise,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("材料已上传。"))
    return redirect("registry:verification", pk=pk)


@login_required
@require_POST
def verification_submit(request, pk):
    enterprise = _enterprise_or_404(request, pk)
    if not is_member(request.user, enterprise):
        raise PermissionDenied
    try:
        verification.submit_verification(enterprise, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已提交认证，所在辖区数据管理部门审核后您将收到通知。"))
    return redirect("registry:verification", pk=pk)


@login_required
@require_POST
def verification_decide(request, pk):
    enterprise = _enterprise_or_404(request, pk)
    if not can_verify_enterprise(request.user, enterprise):
        raise PermissionDenied
    form = VerificationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或退回。"))
        return redirect("registry:verification", pk=pk)
    try:
        if form.cleaned_data["decision"] == "approve":
            verification.approve_verification(enterprise, actor=request.user)
            messages.success(request, _("%(name)s 已通过认证。") % {"name": enterprise.name})
        else:
            verification.return_verification(
                enterprise, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已退回，企业将收到退回理由。"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry:verification", pk=pk)
    return redirect("registry:verification-queue")


@login_required
def document_download(request, pk):
    """A verification document, for the enterprise's members and the staff of its
    jurisdiction only (404 for anyone else)."""
    document = get_object_or_404(
        EnterpriseDocument.objects.visible_to(request.user).select_related("enterprise"), pk=pk
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.enterprise.uscc}.pdf",
        content_type="application/pdf",
    )


@login_required
def transfer_list(request):
    """Staff: transfer requests into their jurisdiction (to decide) and out of it."""
    _require_staff(request.user)
    incoming, _outgoing = selectors.transfers_by_direction(request.user)
    direction = selectors.transfer_direction(request.GET)
    shown = selectors.transfer_list(request.user, request.GET)
    context = {
        "direction": direction,
        "page": Paginator(shown, 20).get_page(request.GET.get("page")),
        "pending_in": incoming.filter(status="pending").count(),
        "form": TransferDecisionForm(),
    }
    return render(request, "registry/transfer_list.html", context)


@login_required
@require_POST
def transfer_withdraw(request, pk):
    """Whoever asked, or a member of the enterprise, withdraws a pending request."""
    transfer = get_object_or_404(selectors.transfers_for(request.user), pk=pk)
    if not can_withdraw_transfer(request.user, transfer):
        raise PermissionDenied
    try:
        transfers.withdraw_transfer(transfer, actor=request.user)
        messages.success(request, _("迁移申请已撤回。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(
        reverse("registry:enterprise-detail", args=[transfer.enterprise_id]) + "#transfers"
    )


@login_required
@require_POST
def transfer_decide(request, pk):
    transfer = get_object_or_404(selectors.transfers_for(request.user), pk=pk)
    if not can_decide_transfer(request.user, transfer):
        raise PermissionDenied
    form = TransferDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择接收或拒绝。"))
        return redirect("registry:transfer-list")
    try:
        if form.cleaned_data["decision"] == "accept":
            transfers.accept_transfer(transfer, actor=request.user)
            messages.success(
                request, _("已接收 %(name)s 迁入。") % {"name": transfer.enterprise.name}
            )
        else:
            transfers.reject_transfer(
                transfer, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已拒绝该迁移申请。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("registry:transfer-list")
