from audit.models import AuditEvent
from registry.models import Enterprise, Membership


def enterprise_list(user):
    """The enterprises a user may see, ready for a list (one query per page)."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("region", "region__parent", "registry_entry")
        .order_by("name", "id")
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
