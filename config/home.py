"""What needs this user's attention: the cards of the role-aware home page."""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEvent
from notifications.models import Notification
from registry import selectors
from registry.choices import MembershipStatus, Tier
from registry.models import Enterprise, RegistryEntry, ServiceRecord
from selection import selectors as selection_selectors
from selection.choices import AWAITING_REVIEW_STATES
from selection.models import AdjustmentProposal


def attention_for(user) -> dict:
    cards = {"notifications": Notification.objects.visible_to(user).unread()[:5]}
    if user.is_staff_reviewer:
        cards.update(_reviewer_cards(user))
    if user.is_admin:
        cards["users_by_role"] = _users_by_role()
        cards["recent_events"] = AuditEvent.objects.select_related("content_type")[:8]
    if user.is_enterprise:
        cards.update(_enterprise_cards(user))
    return cards


def _reviewer_cards(user):
    visible = Enterprise.objects.visible_to(user)
    week_ago = timezone.now() - timedelta(days=7)
    tiers = dict(
        RegistryEntry.objects.visible_to(user).active().values_list("tier").annotate(n=Count("id"))
    )
    return {
        "pending_memberships": selectors.pending_memberships(user)[:5],
        "pending_membership_count": selectors.pending_memberships(user).count(),
        "enterprise_count": visible.count(),
        "new_enterprises": visible.filter(created_at__gte=week_ago)
        .select_related("region")
        .order_by("-created_at")[:5],
        "tier_counts": [(label, tiers.get(value, 0)) for value, label in Tier.choices],
        "list_url": reverse("registry:enterprise-list"),
        "follow_ups": ServiceRecord.objects.visible_to(user)
        .filter(
            follow_up_on__lte=timezone.localdate() + timedelta(days=7),
            followed_up_at__isnull=True,
        )
        .select_related("enterprise")
        .order_by("follow_up_on")[:8],
        "awaiting_formal_review": selection_selectors.application_list(user)
        .filter(status__in=AWAITING_REVIEW_STATES)
        .count(),
        "pending_adjustments": AdjustmentProposal.objects.visible_to(user)
        .filter(status="pending")
        .count(),
        "pending_appeals": AdjustmentProposal.objects.visible_to(user)
        .filter(appeal__status="pending")
        .count(),
    }


def _enterprise_cards(user):
    memberships = list(selectors.memberships_of(user))
    active = next((m for m in memberships if m.status == MembershipStatus.ACTIVE), None)
    cards = {
        "membership": active,
        "waiting_membership": next(
            (m for m in memberships if m.status == MembershipStatus.PENDING), None
        ),
        "rejected_membership": next(
            (m for m in memberships if m.status == MembershipStatus.REJECTED), None
        ),
    }
    if active:
        cards["open_rounds"] = selection_selectors.open_rounds_for(user)
        cards["pending_memberships"] = selectors.pending_memberships(user)[:5]
        cards["pending_membership_count"] = selectors.pending_memberships(user).count()
    return cards


def _users_by_role():
    counts = dict(User.objects.values_list("role").annotate(n=Count("id")))
    return [(label, counts.get(value, 0)) for value, label in Role.choices]
