"""An enterprise's administrators manage its people; members leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from registry.models import Enterprise, Membership
from registry.services import members


def _back(enterprise):
    return redirect("registry:enterprise-detail", pk=enterprise.pk)


def _active_membership(request, pk):
    """An active membership of an enterprise the user acts for (404 for anyone else)."""
    return get_object_or_404(
        Membership.objects.active()
        .filter(
            enterprise__memberships__user=request.user, enterprise__memberships__status="active"
        )
        .select_related("enterprise", "user"),
        pk=pk,
    )


@login_required
@require_POST
def member_remove(request, pk):
    membership = _active_membership(request, pk)
    try:
        members.remove_member(membership, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("已移除 %(name)s。") % {"name": membership.user.full_name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(membership.enterprise)


@login_required
@require_POST
def member_make_admin(request, pk):
    membership = _active_membership(request, pk)
    try:
        members.hand_over_admin(membership, actor=request.user)
        messages.success(
            request, _("已将企业管理员移交给 %(name)s。") % {"name": membership.user.full_name}
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(membership.enterprise)


@login_required
@require_POST
def enterprise_leave(request, pk):
    enterprise = get_object_or_404(
        Enterprise.objects.filter(memberships__user=request.user, memberships__status="active"),
        pk=pk,
    )
    try:
        members.leave_enterprise(enterprise, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(enterprise)
    messages.success(request, _("您已退出 %(name)s。") % {"name": enterprise.name})
    return redirect("home")
