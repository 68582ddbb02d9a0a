"""Named predicates: who may do what to an enterprise (objects already visible)."""

from rest_framework.permissions import BasePermission

from registry.models import Membership


class StaffReviewerApi(BasePermission):
    """API views for bureau staff and admins only (their work queues): every other role,
    and an anonymous caller, is refused (403/401)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff_reviewer)


def is_member(user, enterprise) -> bool:
    return Membership.objects.active().filter(user=user, enterprise=enterprise).exists()


def can_edit_enterprise(user, enterprise) -> bool:
    return user.is_authenticated and (user.is_staff_reviewer or is_member(user, enterprise))


def is_enterprise_admin(user, enterprise) -> bool:
    return (
        Membership.objects.active().filter(user=user, enterprise=enterprise, is_admin=True).exists()
    )


def can_decide_membership(user, membership) -> bool:
    """An administrator of the enterprise, or bureau staff / admin who can see it."""
    if not user.is_authenticated or membership.user_id == user.pk:
        return False
    if user.is_admin:
        return True
    if user.is_bureau:
        return user.region.contains(membership.enterprise.region)
    return is_enterprise_admin(user, membership.enterprise)


def can_view_history(user) -> bool:
    return user.is_authenticated and user.is_staff_reviewer


def can_confirm_tier(user, enterprise) -> bool:
    """Bureau staff whose jurisdiction holds the enterprise (or an admin)."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(enterprise.region))


def can_verify_enterprise(user, enterprise) -> bool:
    """Staff of the jurisdiction that holds the enterprise decide its verification."""
    return can_confirm_tier(user, enterprise)


def can_withdraw_transfer(user, transfer, *, member: bool | None = None) -> bool:
    """Whoever asked, or a member of the enterprise, withdraws a pending request. `member`
    spares the membership query when the caller already knows it."""
    if not user.is_authenticated:
        return False
    if user.pk == transfer.requested_by_id:
        return True
    if member is None:
        member = is_member(user, transfer.enterprise)
    return user.is_enterprise and member


def can_decide_transfer(user, transfer) -> bool:
    """Staff of the receiving jurisdiction (or an admin) accept or reject a transfer."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(transfer.to_region))
