"""Who may do what with vouchers (named predicates; the objects are already visible)."""

from accounts.models import Role
from registry.permissions import is_member


def can_manage_program(user, jurisdiction) -> bool:
    """Run a programme (edit, publish, decide providers, applications and claims): the
    bureau staff of its own jurisdiction, or an admin. Staff above only see it.
    `jurisdiction` is the Region or its id."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    region_id = getattr(jurisdiction, "pk", jurisdiction)
    return user.is_admin or (user.is_bureau and user.region_id == region_id)


def acts_for_provider(user, provider) -> bool:
    """A user of the provider's organisation with the provider role."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role == Role.PROVIDER
        and user.organisation_id == provider.organisation_id
    )


def acts_for_enterprise(user, enterprise) -> bool:
    """An active member of the enterprise."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_enterprise
        and is_member(user, enterprise)
    )


def can_register_provider(user, organisation) -> bool:
    """A provider user registers its own organisation; an admin any provider organisation."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_admin or (user.role == Role.PROVIDER and user.organisation_id == organisation.pk)


def acts_for_claimant(user, claim_or_voucher, claimant_is_provider: bool) -> bool:
    if claimant_is_provider:
        return acts_for_provider(user, claim_or_voucher.provider)
    return acts_for_enterprise(user, claim_or_voucher.enterprise)
