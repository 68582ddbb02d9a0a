"""Named predicates: who may do what to an enterprise (objects already visible)."""

from registry.models import Membership


def is_member(user, enterprise) -> bool:
    return Membership.objects.active().filter(user=user, enterprise=enterprise).exists()


def can_edit_enterprise(user, enterprise) -> bool:
    return user.is_authenticated and (user.is_staff_reviewer or is_member(user, enterprise))


def can_decide_membership(user, membership) -> bool:
    """An active member of the enterprise, or bureau staff / admin who can see it."""
    if not user.is_authenticated or membership.user_id == user.pk:
        return False
    if user.is_admin:
        return True
    if user.is_bureau:
        return user.region.contains(membership.enterprise.region)
    return is_member(user, membership.enterprise)


def can_view_history(user) -> bool:
    return user.is_authenticated and user.is_staff_reviewer


def can_confirm_tier(user, enterprise) -> bool:
    """Bureau staff whose jurisdiction holds the enterprise (or an admin)."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(enterprise.region))


def can_review_resources(user, enterprise) -> bool:
    """Bureau staff whose jurisdiction holds the enterprise (or an admin) review, code,
    correct and cancel its data resources (数据资源登记)."""
    return can_confirm_tier(user, enterprise)


def can_register_resources(user, enterprise) -> bool:
    """An active member acting for the enterprise applies for, changes and cancels its
    data resources."""
    return user.is_authenticated and user.is_enterprise and is_member(user, enterprise)


def can_manage_policy(user, jurisdiction) -> bool:
    """Create, edit, publish, withdraw and run matching: bureau staff whose jurisdiction
    contains the policy's (staff below it only read it), or an admin."""
    if not user or not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(jurisdiction))


def can_deliver_grant(user, grant) -> bool:
    """Record a delivery: staff whose jurisdiction holds the enterprise (or an admin)."""
    return can_confirm_tier(user, grant.enterprise)
