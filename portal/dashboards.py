"""The role dashboards of the home page: key figures as server-rendered SVG charts
(reports/charts.py), each with its figures as a table whose every row links to the
filtered list behind it (a list that exports).

Every figure is an SQL aggregate over the reader's `visible_to` rows: the number of
queries does not grow with the rows (tests/reports/test_dashboards.py counts them).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from adjustment.models import AdjustmentProposal, ProposalStatus
from policies.models import PENDING_DELIVERY, GrantStatus, PolicyGrant
from portal.figures import Chart, Figure, export_url, url
from portal.figures import counts as _counts
from portal.measures import measure_charts, party_dashboard
from registry.choices import EntryStatus, InnovationCategory, Tier
from registry.filters import IN_REGISTRY
from registry.models import (
    AnnualReport,
    Enterprise,
    LabelAward,
    RegistryEntry,
    ServiceRecord,
    TierChange,
)
from registry.models.monitoring import GrowthLabel, ReportStatus
from reports.exports.filters import DELIVERED_LATE, DELIVERED_ON_TIME, LATE, ON_TIME
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import SelectionRound
from selection.selectors import round_applications
from vouchers.models import Voucher, VoucherProgram

ZERO = Decimal("0.00")
FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _jurisdiction(user) -> Region:
    if user.is_bureau and user.region_id:
        return user.region
    return Region.objects.get(level="country")


def _by_child_region(entries, jurisdiction) -> list[tuple[Region, int]]:
    """Active entries per direct subdivision of the jurisdiction (provinces for the whole
    country): one query for the counts per region path, one for the subdivisions."""
    children = list(Region.objects.filter(parent=jurisdiction).order_by("code"))
    per_path = _counts(entries, "enterprise__region__path")
    if not children:
        return [(jurisdiction, sum(per_path.values()))]
    depth = len(jurisdiction.path) + 7
    folded: dict[str, int] = {}
    for path, n in per_path.items():
        folded[path[:depth]] = folded.get(path[:depth], 0) + n
    rows = [(child, folded.get(child.path, 0)) for child in children]
    return sorted((r for r in rows if r[1]), key=lambda r: (-r[1], r[0].code))[:15]


def registry_charts(user, jurisdiction) -> list[Chart]:
    entries = RegistryEntry.objects.visible_to(user).active()
    enterprises = "registry:enterprise-list"
    tiers = _counts(entries, "tier")
    categories = _counts(entries, "enterprise__category")
    labels = _counts(LabelAward.objects.visible_to(user).current(), "label")
    regions = _by_child_region(entries, jurisdiction)
    return [
        Chart("tier", _("在库企业（按层级）"), [
            Figure(label, tiers.get(value, 0), url(enterprises, tier=value))
            for value, label in Tier.choices
        ]),
        Chart("category", _("在库企业（按创新类型）"), [
            Figure(label, categories.get(value, 0),
                   url(enterprises, tier=IN_REGISTRY, category=value))
            for value, label in InnovationCategory.choices
        ], kind="donut"),
        Chart("label", _("成长称号企业"), [
            Figure(label, labels.get(value, 0), url(enterprises, label=value))
            for value, label in GrowthLabel.choices
        ]),
        Chart("region", _("在库企业（按地区）"), [
            Figure(region.name, n, url(enterprises, tier=IN_REGISTRY, region=region.code))
            for region, n in regions
        ]),
    ]  # fmt: skip


def round_funnel(user) -> Chart | None:
    """The applications of the newest round the user sees, by state in the order of the
    round (drafts are the enterprises' own)."""
    selection_round = (
        SelectionRound.objects.visible_to(user)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("region")
        .order_by("-year", "-id")
        .first()
    )
    if selection_round is None:
        return None
    counts = _counts(round_applications(user, selection_round, {}), "status")
    page = "selection:round-detail"
    figures = [
        Figure(label, counts.get(value, 0), url(page, selection_round.pk, status=value))
        for value, label in ApplicationStatus.choices
        if value != ApplicationStatus.DRAFT and counts.get(value)
    ]
    return Chart("funnel", _("遴选进度（按申请状态）"), figures, note=str(selection_round))


def report_submission(user, year) -> Chart:
    """Enterprises in the registry that filed (submitted or accepted) their report of
    `year`, and those that did not."""
    filed = AnnualReport.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), year=year, status__in=FILED
    )
    row = (
        RegistryEntry.objects.visible_to(user)
        .active()
        .aggregate(
            filed=Count("pk", filter=Q(Exists(filed))),
            missing=Count("pk", filter=~Q(Exists(filed))),
        )
    )
    return Chart("reports", _("%(year)s 年度报告报送") % {"year": year}, [
        Figure(_("已报送"), row["filed"],
               url("registry:entry-list", status=EntryStatus.ACTIVE, reported_for=year)),
        Figure(_("未报送"), row["missing"],
               url("registry:entry-list", status=EntryStatus.ACTIVE, unreported_for=year)),
    ], kind="donut")  # fmt: skip


def adjustments(user) -> Chart:
    counts = _counts(AdjustmentProposal.objects.visible_to(user), "status")
    return Chart("adjustments", _("动态调整建议（按状态）"), [
        Figure(label, counts.get(value, 0), url("adjustment:adjustment", status=value))
        for value, label in ProposalStatus.choices
    ])  # fmt: skip


def policy_delivery(user) -> Chart:
    """Policy grants delivered on time (on or before the grant's deadline, `due_on`, the
    day in Asia/Shanghai), delivered late, and overdue (notified or accepted, past the
    deadline, undelivered): the lists behind them are the staff-wide grant export."""
    row = PolicyGrant.objects.visible_to(user).aggregate(
        on_time=Count("pk", filter=DELIVERED_ON_TIME),
        late=Count("pk", filter=DELIVERED_LATE),
        overdue=Count("pk", filter=Q(status__in=PENDING_DELIVERY, due_on__lt=timezone.localdate())),
    )
    return Chart("delivery", _("惠企政策兑现"), [
        Figure(_("按期兑现"), row["on_time"], export_url("policy-grants", delivery=ON_TIME)),
        Figure(_("逾期兑现"), row["late"], export_url("policy-grants", delivery=LATE)),
        Figure(_("逾期未兑现"), row["overdue"], export_url("policy-grants", overdue="true")),
    ], kind="donut")  # fmt: skip


def voucher_budget(user) -> dict | None:
    """The voucher programmes' budget, reserved and spent (yuan), in total and for the
    five largest programmes."""
    programs = VoucherProgram.objects.visible_to(user)
    totals = programs.aggregate(
        n=Count("pk"), budget=Sum("budget"), reserved=Sum("reserved"), spent=Sum("spent")
    )
    if not totals["n"]:
        return None
    chart = Chart("vouchers", _("数据券、算法券、算力券预算（元）"), [
        Figure(_("总预算"), totals["budget"] or ZERO, url("vouchers:program-list")),
        Figure(_("已预留"), totals["reserved"] or ZERO, url("vouchers:voucher-list")),
        Figure(_("已支出"), totals["spent"] or ZERO, export_url("ledger", kind="spend")),
    ], unit="")  # fmt: skip
    largest = programs.order_by("-budget", "-id").values(
        "pk", "name", "year", "budget", "reserved", "spent"
    )[:5]
    return {"chart": chart, "programs": list(largest)}


def staff_dashboard(user) -> dict:
    """Bureau staff (their jurisdiction) and admins (the whole country, by province)."""
    jurisdiction = _jurisdiction(user)
    report_year = timezone.localdate().year - 1
    chart_list = [
        *registry_charts(user, jurisdiction),
        round_funnel(user),
        report_submission(user, report_year),
        adjustments(user),
        policy_delivery(user),
        *measure_charts(user, jurisdiction),
    ]
    return {
        "jurisdiction": jurisdiction,
        "charts": [c for c in chart_list if c is not None],
        "vouchers": voucher_budget(user),
    }


@dataclass
class Event:
    on: object
    kind: str
    text: str
    link: str

    @property
    def kind_label(self):
        return TIMELINE_KINDS[self.kind]


TIMELINE_KINDS = {
    "tier": _("层级"),
    "label": _("成长称号"),
    "grant": _("政策兑现"),
    "voucher": _("券"),
    "service": _("服务"),
}


def enterprise_timeline(enterprise, *, limit=30) -> dict:
    """The enterprise's support in time: tier changes, growth labels, policy grants
    delivered, vouchers issued and services received, newest first; a chart of how many
    of each. Five counting queries and five reading ones, whatever the history."""
    mine = url("registry:my-enterprise")
    tier_labels = dict(Tier.choices)
    changes = TierChange.objects.filter(entry__enterprise=enterprise)
    labels = LabelAward.objects.filter(enterprise=enterprise)
    grants = PolicyGrant.objects.filter(enterprise=enterprise, status=GrantStatus.DELIVERED)
    vouchers = Voucher.objects.filter(enterprise=enterprise)
    services = ServiceRecord.objects.filter(enterprise=enterprise)
    events = []
    for change in changes.order_by("-created_at", "-id")[:limit]:
        to = tier_labels.get(change.to_tier, "") or _("出库")
        text = f"{tier_labels.get(change.from_tier, '') or _('入库')} → {to}"
        events.append(Event(timezone.localdate(change.created_at), "tier", text, mine))
    for award in labels.order_by("-granted_on", "-id")[:limit]:
        text = award.get_label_display() + (f"（{_('已撤销')}）" if award.revoked_on else "")
        events.append(Event(award.granted_on, "label", text, mine))
    for grant in grants.select_related("policy").order_by("-delivered_at", "-id")[:limit]:
        events.append(Event(timezone.localdate(grant.delivered_at), "grant", grant.policy.title,
                            url("policies:my-policies")))  # fmt: skip
    for voucher in vouchers.select_related("program").order_by("-issued_at", "-id")[:limit]:
        text = f"{voucher.program.name} · {voucher.amount:,.2f}"
        events.append(Event(timezone.localdate(voucher.issued_at), "voucher", text,
                            url("vouchers:voucher-detail", voucher.pk)))  # fmt: skip
    for record in services.order_by("-served_on", "-id")[:limit]:
        events.append(Event(record.served_on, "service", record.get_kind_display(),
                            export_url("service-records", enterprise=enterprise.pk)))  # fmt: skip
    events.sort(key=lambda e: (e.on, e.kind), reverse=True)
    lists = {
        "tier": mine,
        "label": mine,
        "grant": url("policies:my-policies"),
        "voucher": url("vouchers:voucher-list"),
        "service": export_url("service-records", enterprise=enterprise.pk),
    }
    counts = {
        "tier": changes.count(),
        "label": labels.count(),
        "grant": grants.count(),
        "voucher": vouchers.count(),
        "service": services.count(),
    }
    chart = Chart("support", _("获得的培育支持"), [
        Figure(TIMELINE_KINDS[k], counts[k], lists[k]) for k in TIMELINE_KINDS
    ])  # fmt: skip
    return {"chart": chart, "events": events[:limit], "kinds": TIMELINE_KINDS}


def dashboard_for(user) -> dict | None:
    if user.is_staff_reviewer:
        return {"staff": staff_dashboard(user)}
    if user.is_enterprise:
        enterprise = Enterprise.objects.visible_to(user).first()
        if enterprise is not None:
            return {"enterprise": enterprise_timeline(enterprise)}
    party = party_dashboard(user)
    return {"party": party} if party else None
