"""An enterprise's facts as the condition engine reads them (conditions/engine.py).

One reader for policy matching and dynamic adjustment, in bulk: three queries per
chunk of enterprises, whatever the chunk's size. Keys are exactly the engine's FIELDS;
a value the enterprise does not have is None (the engine then says "缺少数据").
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from config.lookups import id_filter
from registry.choices import EntryStatus
from registry.models import AnnualReport, Enterprise, LabelAward
from registry.models.monitoring import ReportStatus

# Reports the enterprise has stood behind: submitted, or accepted by staff.
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
REPORT_FIGURES = (
    "revenue",
    "net_profit",
    "rd_expense",
    "employees",
    "rd_staff",
    "invention_patents",
    "software_copyrights",
    "data_resources_registered",
    "financing_this_year",
    "valuation",
)


def completed_years(founded_on: date, as_of: date) -> int:
    years = as_of.year - founded_on.year
    if (as_of.month, as_of.day) < (founded_on.month, founded_on.day):
        years -= 1
    return max(years, 0)


def report_facts(report: dict | None) -> dict:
    """The report part of the facts, from a `values()` row (or None: no report)."""
    if report is None:
        return dict.fromkeys((*REPORT_FIGURES, "rd_intensity"))
    facts = {name: report[name] for name in REPORT_FIGURES}
    # Half up, as SQL's ROUND does, so that the SQL pre-filter (policy_sql.py) agrees.
    revenue = report["revenue"]
    facts["rd_intensity"] = (
        (report["rd_expense"] / revenue * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if revenue
        else None
    )
    return facts


def _profiles(ids) -> dict[int, dict]:
    """The enterprise part of the facts (no age, no report), with its current labels."""
    labels = defaultdict(list)
    for enterprise_id, label in (
        LabelAward.objects.current().filter(**id_filter("enterprise_id", ids))
        .values_list("enterprise_id", "label")
    ):  # fmt: skip
        labels[enterprise_id].append(label)
    profiles = {}
    for row in Enterprise.objects.filter(**id_filter("pk", ids)).values(
        "pk", "region__path", "industry", "category", "size", "listing_status", "founded_on",
        "registry_entry__tier", "registry_entry__status",
    ):  # fmt: skip
        active = row["registry_entry__status"] == EntryStatus.ACTIVE
        profiles[row["pk"]] = {
            "region": row["region__path"],
            "industry": row["industry"],
            "category": row["category"],
            "size": row["size"],
            "listing_status": row["listing_status"],
            "founded_on": row["founded_on"],
            "tier": row["registry_entry__tier"] if active else None,
            "labels": sorted(labels[row["pk"]]),
        }
    return profiles


def _facts(profile, report, as_of):
    facts = {k: v for k, v in profile.items() if k != "founded_on"}
    facts["age_years"] = completed_years(profile["founded_on"], as_of)
    facts["report_year"] = report["year"] if report else None
    return facts | report_facts(report)


def _counted(ids):
    return AnnualReport.objects.filter(status__in=COUNTED, **id_filter("enterprise_id", ids))


def facts_for(enterprise_ids, *, year: int | None = None, as_of: date | None = None) -> dict:
    """{enterprise id: facts}. The report used is `year`'s counted report when a year is
    given, else the latest counted one; `report_year` says which (None: no report).
    `enterprise_ids`: a list, or a queryset of ids (read as a subquery)."""
    as_of = as_of or timezone.localdate()
    ids = enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
    reports = _counted(ids)
    reports = (
        reports.filter(year=year) if year is not None else reports.filter(year__lte=as_of.year)
    )
    latest = {}
    for report in reports.order_by("enterprise_id", "-year").values(
        "enterprise_id", "year", *REPORT_FIGURES
    ):
        latest.setdefault(report["enterprise_id"], report)
    return {pk: _facts(p, latest.get(pk), as_of) for pk, p in _profiles(ids).items()}


def facts_by_year(enterprise_ids, years) -> dict[int, dict[int, dict]]:
    """{year: {enterprise id: facts from that year's counted report}} for several years in
    three queries (a job's chunk); ages are as of each year's end."""
    ids = enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
    reports = {}
    for report in (
        _counted(ids).filter(year__in=list(years)).values("enterprise_id", "year", *REPORT_FIGURES)
    ):
        reports[report["enterprise_id"], report["year"]] = report
    profiles = _profiles(ids)
    return {
        y: {pk: _facts(p, reports.get((pk, y)), date(y, 12, 31)) for pk, p in profiles.items()}
        for y in years
    }


def facts_of(enterprise, **kwargs) -> dict:
    return facts_for([enterprise.pk], **kwargs)[enterprise.pk]
