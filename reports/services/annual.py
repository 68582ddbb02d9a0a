"""The annual cultivation report (年度培育报告) of a jurisdiction and year, as a job.

`annual_figures` gathers every figure with aggregate queries (a fixed number whatever the
registry's size; the appendix, the directory of registry enterprises, is the one list that
grows with it); `annual_report_html` lays them out with SVG charts (reports/charts.py);
`run_annual_report` is the job body: progress on its run, the PDF stored, the requester
notified. The figures are what the database holds when the job runs: the report of a past
year reads the history rows (tier changes, grants, resources) dated in that year.
"""

import datetime
from collections import Counter, defaultdict

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import Region
from adjustment.models import AdjustmentProposal, ProposalKind, ProposalStatus
from config.errors import DomainError
from config.job_runs import failure_recorded, queue_run
from config.jobs import RunStatus
from notifications.messages import Message
from notifications.services import notify
from policies.models import GrantStatus, PolicyGrant
from registry.choices import EntryStatus, InnovationCategory, Tier
from registry.models import AnnualReport, LabelAward, RegistryEntry, TierChange
from registry.models.monitoring import GrowthLabel, ReportStatus
from reports import charts
from reports.models import AnnualReportRun
from reports.pdf import render_pdf_document
from reports.permissions import can_request_annual_report
from reports.services.annual_measures import measure_charts, measure_figures
from resources.models import DataDomain, DataResource, ResourceStatus

STEPS = 3  # figures, layout, file
TIER_ORDER = {tier: i for i, tier in enumerate(Tier.values)}
FIRST_YEAR = 2020


def _year_bounds(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def _labelled(choices, counts: dict) -> list[tuple[str, int]]:
    return [(label, counts.get(value, 0)) for value, label in choices]


def _children(jurisdiction) -> list[Region]:
    return list(Region.objects.filter(parent=jurisdiction).order_by("code"))


def annual_figures(jurisdiction, year: int, *, as_of=None) -> dict:
    """Every figure of the report. Registry counts are of entries admitted by the year's
    end and not left before it; movements are the tier changes dated in the year."""
    start, end = _year_bounds(year)
    year_end = datetime.date(year, 12, 31)
    in_area = Q(enterprise__region__path__startswith=jurisdiction.path)
    held = RegistryEntry.objects.filter(in_area, admitted_on__lte=year_end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=year_end)
    )
    by_tier = dict(held.values_list("tier").annotate(n=Count("pk")).values_list("tier", "n"))
    by_category = dict(
        held.values_list("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    # By region: the jurisdiction's direct children (a city's own area when it has none).
    children = _children(jurisdiction)
    depth = len(jurisdiction.path) + 7
    by_path = Counter()
    for path, n in held.values_list("enterprise__region__path").annotate(n=Count("pk")):
        by_path[path[:depth]] += n
    by_region = [(child.name, by_path.get(child.path, 0)) for child in children] or [
        (jurisdiction.name, sum(by_path.values()))
    ]

    labels = dict(
        LabelAward.objects.filter(in_area, granted_on__lte=year_end)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=year_end))
        .values_list("label")
        .annotate(n=Count("pk"))
        .values_list("label", "n")
    )

    movements = Counter()
    for from_tier, to_tier, n in (
        TierChange.objects.filter(
            entry__enterprise__region__path__startswith=jurisdiction.path,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values_list("from_tier", "to_tier")
        .annotate(n=Count("pk"))
    ):
        if not from_tier:
            movements["admitted"] += n
        elif not to_tier:
            movements["left"] += n
        elif TIER_ORDER.get(to_tier, 0) > TIER_ORDER.get(from_tier, 0):
            movements["upgraded"] += n
        elif TIER_ORDER.get(to_tier, 0) < TIER_ORDER.get(from_tier, 0):
            movements["downgraded"] += n
    left = dict(
        RegistryEntry.objects.filter(in_area, left_on__gte=datetime.date(year, 1, 1),
                                     left_on__lte=year_end)
        .values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )  # fmt: skip

    report_year = year - 1  # reports filed during the year are those of the year before
    reports = dict(
        AnnualReport.objects.filter(in_area, year=report_year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    expected = held.filter(admitted_on__lte=datetime.date(report_year, 12, 31)).count()
    filed = sum(n for status, n in reports.items() if status != ReportStatus.DRAFT)

    adjustments = defaultdict(Counter)
    for kind, status, n in (
        AdjustmentProposal.objects.filter(
            entry__enterprise__region__path__startswith=jurisdiction.path,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values_list("kind", "status")
        .annotate(n=Count("pk"))
    ):
        adjustments[kind][status] += n

    today = as_of or timezone.localdate()
    grants = PolicyGrant.objects.filter(
        in_area, due_on__gte=datetime.date(year, 1, 1), due_on__lte=year_end
    ).exclude(status__in=[GrantStatus.LAPSED, GrantStatus.DECLINED])
    delivery = Counter()
    for status, due_on, delivered_at in grants.values_list("status", "due_on", "delivered_at"):
        if status == GrantStatus.DELIVERED:
            on_time = delivered_at and timezone.localdate(delivered_at) <= due_on
            delivery["on_time" if on_time else "late"] += 1
        else:
            delivery["overdue" if due_on < today else "pending"] += 1

    resources = dict(
        DataResource.objects.filter(
            in_area, status=ResourceStatus.CODED, coded_at__gte=start, coded_at__lt=end
        )
        .values_list("domain")
        .annotate(n=Count("pk"))
        .values_list("domain", "n")
    )
    return {
        "jurisdiction": jurisdiction,
        "year": year,
        "total": sum(by_tier.values()),
        "by_tier": _labelled(Tier.choices, by_tier),
        "by_category": _labelled(InnovationCategory.choices, by_category),
        "by_region": by_region,
        "by_label": _labelled(GrowthLabel.choices, labels),
        "movements": [
            (_("新入库"), movements["admitted"]),
            (_("升级"), movements["upgraded"]),
            (_("降级"), movements["downgraded"]),
            (_("退出"), left.get(EntryStatus.EXITED, 0)),
            (_("毕业"), left.get(EntryStatus.GRADUATED, 0)),
        ],
        "report_year": report_year,
        "reports": _labelled(ReportStatus.choices, reports),
        "reports_expected": expected,
        "reports_filed": filed,
        "adjustments": [
            (label, [adjustments[kind][s] for s in ProposalStatus.values])
            for kind, label in ProposalKind.choices
        ],
        "adjustment_states": [label for _v, label in ProposalStatus.choices],
        "delivery": [
            (_("按期兑现"), delivery["on_time"]),
            (_("逾期兑现"), delivery["late"]),
            (_("已逾期未兑现"), delivery["overdue"]),
            (_("未到期"), delivery["pending"]),
        ],
        "resources": [(label, n) for label, n in _labelled(DataDomain.choices, resources) if n],
        "resources_total": sum(resources.values()),
        **measure_figures(jurisdiction, year, start, end),
    }


def directory(jurisdiction, year: int):
    """The appendix: every enterprise in the registry at the year's end, by region, tier."""
    year_end = datetime.date(year, 12, 31)
    return (
        RegistryEntry.objects.filter(
            enterprise__region__path__startswith=jurisdiction.path, admitted_on__lte=year_end
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=year_end))
        .select_related("enterprise__region")
        .order_by("enterprise__region__code", "tier", "enterprise__name", "pk")
        .iterator(chunk_size=2000)
    )


def charts_for(figures: dict) -> dict:
    """Each chart with its caption: {"tier": {"title": …, "svg": …}, …}."""
    f = figures
    categories = [label for label, _ in f["adjustments"]]
    series = [
        (state, [values[i] for _label, values in f["adjustments"]])
        for i, state in enumerate(f["adjustment_states"])
    ]
    drawn = {
        "tier": (charts.bar_chart, f["by_tier"], _("在库企业层级分布")),
        "category": (charts.donut_chart, f["by_category"], _("在库企业创新类型分布")),
        "region": (charts.bar_chart, f["by_region"], _("在库企业地区分布")),
        "label": (charts.bar_chart, f["by_label"], _("成长称号企业数")),
        "movements": (charts.bar_chart, f["movements"], _("年度层级变动")),
        "reports": (charts.donut_chart, f["reports"], _("年度报告报送情况")),
        "delivery": (charts.donut_chart, f["delivery"], _("政策兑现情况")),
        "resources": (charts.bar_chart, f["resources"], _("数据资源登记（按领域）")),
    }
    out = {key: {"title": title, "svg": draw(data, title=title)}
           for key, (draw, data, title) in drawn.items()}  # fmt: skip
    title = _("动态调整建议")
    out["adjustments"] = {
        "title": title,
        "svg": charts.stacked_columns(categories, series, title=title),
    }
    out.update(measure_charts(figures, charts))
    return out


def annual_report_html(jurisdiction, year: int, *, figures=None) -> str:
    figures = figures or annual_figures(jurisdiction, year)
    context = {
        **figures,
        "charts": charts_for(figures),
        "directory": directory(jurisdiction, year),
        "portal_name": settings.PORTAL_NAME,
        "generated_at": timezone.now(),
    }
    return render_to_string("reports/annual_report.html", context)


def start_annual_report(jurisdiction, year: int, *, actor) -> AnnualReportRun:
    """Queue the report job (or return the run already under way for it).

    Side effects: an AnnualReportRun; audit `annual_report.requested`; the task after commit.
    """
    if not can_request_annual_report(actor, jurisdiction):
        raise DomainError(_("您无权生成该辖区的年度培育报告。"))
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise DomainError(
            _("年度应在 %(first)s 年至今年之间。") % {"first": FIRST_YEAR}, field="year"
        )
    running = AnnualReportRun.objects.filter(
        jurisdiction=jurisdiction, year=year, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if running is not None:
        return running  # asking again while it runs is not an error: the same run
    return queue_run(
        AnnualReportRun,
        task="reports.annual_report",
        busy=_("该辖区本年度的培育报告正在生成，请等待完成。"),
        actor=actor,
        action="annual_report.requested",
        after={"jurisdiction": jurisdiction.code, "year": year},
        jurisdiction=jurisdiction,
        year=year,
        total=STEPS,
    )


def _step(run, processed: int, **fields):
    AnnualReportRun.objects.filter(pk=run.pk).update(processed=processed, **fields)


def run_annual_report(run: AnnualReportRun) -> AnnualReportRun:
    """The job body: figures, layout, file; the requester is notified when it is ready.
    Idempotent: a finished run is returned as it is."""
    if run.status == RunStatus.DONE:
        return run
    _step(run, 0, status=RunStatus.RUNNING)
    with failure_recorded(AnnualReportRun, run.pk):
        figures = annual_figures(run.jurisdiction, run.year)
        _step(run, 1)
        document = render_pdf_document(
            annual_report_html(run.jurisdiction, run.year, figures=figures)
        )
        _step(run, 2)
        pdf = document.write_pdf()
        name = f"annual-{run.jurisdiction.code}-{run.year}-{run.pk}.pdf"
        run.file.save(name, ContentFile(pdf), save=False)
        summary = {"pages": len(document.pages), "bytes": len(pdf), "total": figures["total"]}
        AnnualReportRun.objects.filter(pk=run.pk).update(
            file=run.file.name,
            pages=len(document.pages),
            processed=STEPS,
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            summary=summary,
        )
    run.refresh_from_db()
    if run.started_by is not None:
        notify(
            [run.started_by],
            title=Message(
                N_("%(region)s %(year)s 年度培育报告已生成"),
                region=run.jurisdiction.name,
                year=run.year,
            ),
            url=reverse("reports:annual-detail", kwargs={"pk": run.pk}),
        )
    return run
