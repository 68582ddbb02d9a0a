from audit.models import AuditEvent
from registry.models import Enterprise, Membership


def enterprise_list(user):
    """The enterprises a user may see, ready for a list (one query per page)."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("region", "region__parent", "registry_entry")
        .order_by("name", "id")
    )


def _name_variants(name: str) -> set[str]:
    """A name as typed and with its brackets full- or half-width (（） and () read alike)."""
    name = " ".join((name or "").split())
    half = name.replace("（", "(").replace("）", ")")
    return {name, half, half.replace("(", "（").replace(")", "）")}


def same_name_count(name: str, *, exclude_pk=None) -> int:
    """How many other enterprises are registered under this name, anywhere (a warning on
    registration and edit: names are public, so the count says nothing private)."""
    return Enterprise.objects.filter(name__in=_name_variants(name)).exclude(pk=exclude_pk).count()


def same_name_enterprises(enterprise, user):
    """The other enterprises with this one's name that `user` may see (for staff)."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(name__in=_name_variants(enterprise.name))
        .exclude(pk=enterprise.pk)
        .select_related("region", "region__parent")
        .order_by("id")
    )


def enterprise_timeline(enterprise):
    """Everything that happened to an enterprise, newest first."""
    return AuditEvent.objects.filter(enterprise=enterprise).select_related("content_type")


def pending_memberships(user):
    """Join requests this user can decide: visible ones, not their own."""
    return (
        Membership.objects.visible_to(user)
        .pending()
        .exclude(user=user)
        .select_related("user", "enterprise", "enterprise__region")
    )


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("enterprise")
