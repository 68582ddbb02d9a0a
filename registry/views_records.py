"""Enterprise records (注销吊销 / 严重违法违规 / 失信), entered by staff on the enterprise page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from registry.forms import EnterpriseRecordForm
from registry.models import Enterprise, EnterpriseRecord
from registry.permissions import can_confirm_tier
from registry.services import records as services


@login_required
@require_POST
def record_add(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    if not can_confirm_tier(request.user, enterprise):
        raise PermissionDenied
    form = EnterpriseRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写记录类型、发生日期和信息来源。"))
    else:
        try:
            services.add_record(enterprise, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("企业状态记录已登记，下次动态调整测算时生效。"))
    return redirect("registry:enterprise-detail", pk=pk)


@login_required
@require_POST
def record_revoke(request, pk):
    record = get_object_or_404(EnterpriseRecord.objects.visible_to(request.user), pk=pk)
    if not can_confirm_tier(request.user, record.enterprise):
        raise PermissionDenied
    try:
        services.revoke_record(record, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("记录已撤销。"))
    return redirect("registry:enterprise-detail", pk=record.enterprise_id)
