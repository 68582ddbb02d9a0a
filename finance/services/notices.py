"""Who hears about a financing step: the enterprise's members, an institution's users, the
staff of the enterprise's jurisdiction."""

from accounts.models import Role, User


def institution_users(institution):
    return User.objects.filter(
        role=Role.INSTITUTION, is_active=True, organisation_id=institution.organisation_id
    )


def enterprise_members(enterprise):
    return enterprise.active_members()


def jurisdiction_staff(region):
    """Active bureau users of the region itself (its own staff)."""
    return User.objects.filter(role=Role.BUREAU, is_active=True, region_id=region.pk)
