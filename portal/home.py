"""What needs this user's attention: the cards of the role-aware home page."""

from datetime import timedelta

from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from adjustment.models import AdjustmentProposal
from audit.models import AuditEvent
from finance.home import home_figures
from finance.permissions import takes_part_in_finance
from notifications.models import Notification
from policies.models import PolicyGrant
from portal.dashboards import dashboard_for
from registry import selectors
from registry.choices import MembershipStatus, Tier
from registry.models import Enterprise, RegistryEntry, ServiceRecord
from registry.models.monitoring import ReportStatus
from scenarios.selectors import home_figures as scenario_figures
from selection import selectors as selection_selectors
from selection.review_queue import review_queue
from vouchers.models.programs import is_provider_user
from vouchers.page_selectors import own_provider, provider_totals, staff_figures

# What the roles whose own pages arrive with later issues will find on their home page.
ROLE_WORK = {
    Role.PANELIST: _(
        "遴选轮次开始评审后，分配给您的申请将列在这里。您只会看到分配给您、且与您无利益冲突的申请。"
    ),
    Role.INSTITUTION: _("数据管理部门向您推荐或企业向您共享的融资需求将列在这里。"),
    Role.PROVIDER: _("企业向您出示的数据券、算法券、算力券及您的兑付申请将列在这里。"),
    Role.PUBLISHER: _("您发布的应用场景清单、机会清单及企业的响应将列在这里。"),
}


def attention_for(user) -> dict:
    cards = {"notifications": Notification.objects.visible_to(user).unread()[:5]}
    if user.role == Role.PANELIST:
        cards["panel_rounds"] = selection_selectors.panelist_workload(user)
    if not user.is_admin and user.role in ROLE_WORK and not cards.get("panel_rounds"):
        cards["role_work"] = ROLE_WORK[user.role]
    if user.is_staff_reviewer:
        cards.update(_reviewer_cards(user))
    if user.is_admin:
        cards["users_by_role"] = _users_by_role()
        cards["recent_events"] = AuditEvent.objects.select_related("content_type")[:8]
    if user.is_enterprise:
        cards.update(_enterprise_cards(user))
    cards["dashboard"] = dashboard_for(user)
    if takes_part_in_finance(user):
        cards["finance"] = home_figures(user)
        if user.role == Role.INSTITUTION:
            cards.pop("role_work", None)
    cards["scenarios"] = scenario_figures(user)
    if user.role == Role.PUBLISHER:
        cards.pop("role_work", None)
    if is_provider_user(user):
        cards.pop("role_work", None)
        provider = own_provider(user)
        cards["voucher_provider"] = provider
        if provider is not None:
            cards.update(provider_totals(provider))
    return cards


WAITING_REPORTS = QueryDict(f"status={ReportStatus.SUBMITTED}")


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
        # The same applications as the formal-review queue the card links to.
        "awaiting_formal_review": review_queue(user).count(),
        # The same reports as the report queue the card links to (status=submitted).
        "reports_waiting": selectors.report_queue_filter(user, WAITING_REPORTS).qs.count(),
        "pending_adjustments": AdjustmentProposal.objects.visible_to(user)
        .filter(status="pending")
        .count(),
        "pending_appeals": AdjustmentProposal.objects.visible_to(user)
        .filter(appeal__status="pending")
        .count(),
        "overdue_grants": PolicyGrant.objects.visible_to(user).overdue().count(),
        **{f"voucher_{k}": v for k, v in staff_figures(user).items()},
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
