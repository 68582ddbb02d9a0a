"""Who may register and review data resources (objects already visible)."""

from registry.permissions import can_confirm_tier, is_member


def can_review_resources(user, enterprise) -> bool:
    """Bureau staff whose jurisdiction holds the enterprise (or an admin) review, code,
    correct and cancel its data resources (数据资源登记)."""
    return can_confirm_tier(user, enterprise)


def can_register_resources(user, enterprise) -> bool:
    """An active member acting for the enterprise applies for, changes and cancels its
    data resources."""
    return user.is_authenticated and user.is_enterprise and is_member(user, enterprise)
