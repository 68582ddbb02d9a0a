"""Who hears about a voucher step: the programme's staff, the provider's users, the
enterprise's members."""

from accounts.models import Role, User


def program_staff(program):
    """Active bureau users of the programme's own jurisdiction (they run it)."""
    return User.objects.filter(role=Role.BUREAU, is_active=True, region_id=program.jurisdiction_id)


def provider_users(provider):
    return User.objects.filter(
        role=Role.PROVIDER, is_active=True, organisation_id=provider.organisation_id
    )


def enterprise_members(enterprise):
    return enterprise.active_members()


def parties(obj):
    """The enterprise's members and the provider's users of an application, voucher or
    claim."""
    return [*enterprise_members(obj.enterprise), *provider_users(obj.provider)]
