"""Who hears about a scenario's steps."""

from accounts.models import Role, User
from registry.choices import MembershipStatus


def publisher_users(publisher):
    return User.objects.filter(
        organisation_id=publisher.organisation_id, role=Role.PUBLISHER, is_active=True
    )


def jurisdiction_staff(jurisdiction_id):
    return User.objects.filter(role=Role.BUREAU, region_id=jurisdiction_id, is_active=True)


def enterprise_users(enterprise_ids):
    return User.objects.filter(
        memberships__enterprise_id__in=list(enterprise_ids),
        memberships__status=MembershipStatus.ACTIVE,
        is_active=True,
    ).distinct()
