"""Who may do what in financing matchmaking (named predicates; objects already visible)."""

from accounts.models import Role
from registry.permissions import is_member


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def acts_for_institution(user, institution) -> bool:
    """A user of the institution's organisation with the institution role."""
    return (
        _active(user)
        and user.role == Role.INSTITUTION
        and user.organisation_id == institution.organisation_id
    )


def acts_for_enterprise(user, enterprise) -> bool:
    """An active member of the enterprise."""
    return _active(user) and user.is_enterprise and is_member(user, enterprise)


def can_register_institution(user, organisation) -> bool:
    """An institution user registers its own organisation; an admin any."""
    return _active(user) and (
        user.is_admin or (user.role == Role.INSTITUTION and user.organisation_id == organisation.pk)
    )


def can_decide_institution(user, institution) -> bool:
    """Staff whose jurisdiction holds the institution's region (national staff for one
    without a region), or an admin."""
    if not _active(user):
        return False
    if user.is_admin:
        return True
    if not user.is_bureau:
        return False
    region = institution.organisation.region
    return user.region.parent_id is None if region is None else user.region.contains(region)


def can_serve_enterprise(user, enterprise) -> bool:
    """Staff of the enterprise's jurisdiction (recommend its needs, keep its listing
    pipeline), or an admin."""
    if not _active(user):
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(enterprise.region))


def can_manage_scorecards(user) -> bool:
    """Scorecard versions are national: admins and national staff."""
    return _active(user) and (user.is_admin or (user.is_bureau and user.region.parent_id is None))


def takes_part_in_finance(user) -> bool:
    """Staff, enterprises and the users of an institution organisation."""
    return _active(user) and (
        user.is_admin
        or user.is_bureau
        or user.is_enterprise
        or (user.role == Role.INSTITUTION and bool(user.organisation_id))
    )
