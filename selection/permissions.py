"""Named predicates for the selection (objects are already inside visible_to)."""

from registry.permissions import is_member


def can_manage_round(user, selection_round) -> bool:
    """Bureau staff whose jurisdiction holds the round's region, or an admin."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(selection_round.region))


def can_review_application(user, application) -> bool:
    return can_manage_round(user, application.round)


def can_apply(user, enterprise, selection_round) -> bool:
    """A member of an enterprise registered inside the round's jurisdiction."""
    return (
        user.is_authenticated
        and user.is_enterprise
        and is_member(user, enterprise)
        and selection_round.region.contains(enterprise.region)
    )


def can_edit_application(user, application) -> bool:
    return can_apply(user, application.enterprise, application.round)
