"""Reads of policies and grants."""

from django.db.models import Case, Count, Q, When
from django.utils import timezone

from policies.filters import GrantFilter, PolicyFilter
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


def policy_grants_filter(user, policy, params):
    """The policy page's grant filter over the grants of `policy` that `user` may see;
    its `.qs` is what the page lists and the export writes."""
    return GrantFilter(params, queryset=grant_list(user).filter(policy=policy))


# The enterprise's own list: what waits for it first, then what waits for staff, the rest.
MINE_ORDER = [GrantStatus.NOTIFIED, GrantStatus.ACCEPTED, GrantStatus.DELIVERED,
              GrantStatus.DECLINED]  # fmt: skip


def my_grants(user, enterprise):
    """政策匹配: the grants of the user's enterprise (lapsed ones left out), in the order
    the enterprise acts on them (page and export)."""
    return (
        PolicyGrant.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .exclude(status=GrantStatus.LAPSED)
        .select_related("policy", "policy__jurisdiction")
        .order_by(
            Case(*[When(status=s, then=i) for i, s in enumerate(MINE_ORDER)]), "due_on", "-id"
        )
    )


def grant_counts(policy) -> dict:
    """{status: count} for one policy's grants, every status present (one query)."""
    counts = dict.fromkeys(GrantStatus.values, 0)
    for status, n in policy.grants.values_list("status").annotate(n=Count("id")).order_by():
        counts[status] = n
    return counts
