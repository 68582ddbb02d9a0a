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


def policy_list(user):
    """Policies a user may see, with their grant counts (and those overdue), newest first."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from registry.models import Policy
    from registry.models.policies import PENDING_DELIVERY

    overdue = Q(grants__status__in=PENDING_DELIVERY, grants__due_on__lt=timezone.localdate())
    return (
        Policy.objects.visible_to(user)
        .select_related("jurisdiction")
        .annotate(grant_count=Count("grants"), overdue_count=Count("grants", filter=overdue))
        .order_by("-created_at", "-id")
    )


def grant_list(user):
    """Grants a user may see, ready for a list (one query per page)."""
    from registry.models import PolicyGrant

    return (
        PolicyGrant.objects.visible_to(user)
        .select_related("policy", "enterprise", "enterprise__region")
        .order_by("due_on", "-matched_at", "-id")
    )


def grant_counts(policy) -> dict:
    """{status: count} for one policy's grants, every status present (one query)."""
    from django.db.models import Count

    from registry.models.policies import GrantStatus

    counts = dict.fromkeys(GrantStatus.values, 0)
    for status, n in policy.grants.values_list("status").annotate(n=Count("id")).order_by():
        counts[status] = n
    return counts
