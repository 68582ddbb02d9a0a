"""Reads of policies and grants."""

from django.db.models import Count, Q
from django.utils import timezone

from policies.filters import PolicyFilter
from policies.models import PENDING_DELIVERY, GrantStatus, Policy, PolicyGrant


def policy_list(user):
    """Policies a user may see, with their grant counts (and those overdue), newest first."""
    overdue = Q(grants__status__in=PENDING_DELIVERY, grants__due_on__lt=timezone.localdate())
    return (
        Policy.objects.visible_to(user)
        .select_related("jurisdiction")
        .annotate(grant_count=Count("grants"), overdue_count=Count("grants", filter=overdue))
        .order_by("-created_at", "-id")
    )


def policy_filter(user, params):
    """The policy list page's filter over what `user` may see (page and export)."""
    return PolicyFilter(params, queryset=policy_list(user))


def grant_list(user):
    """Grants a user may see, ready for a list (one query per page)."""
    return (
        PolicyGrant.objects.visible_to(user)
        .select_related("policy", "enterprise", "enterprise__region")
        .order_by("due_on", "-matched_at", "-id")
    )


def grant_counts(policy) -> dict:
    """{status: count} for one policy's grants, every status present (one query)."""
    counts = dict.fromkeys(GrantStatus.values, 0)
    for status, n in policy.grants.values_list("status").annotate(n=Count("id")).order_by():
        counts[status] = n
    return counts
