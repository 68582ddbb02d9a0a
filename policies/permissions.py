"""Who may manage policies and deliver grants."""

from registry.permissions import can_confirm_tier


def can_manage_policy(user, jurisdiction) -> bool:
    """Create, edit, publish, withdraw and run matching: bureau staff whose jurisdiction
    contains the policy's (staff below it only read it), or an admin."""
    if not user or not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(jurisdiction))


def can_deliver_grant(user, grant) -> bool:
    """Record a delivery: staff whose jurisdiction holds the enterprise (or an admin)."""
    return can_confirm_tier(user, grant.enterprise)
