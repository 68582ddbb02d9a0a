"""An enterprise's facts as the condition engine reads them (registry/policy_conditions.py).

One reader for policy matching and dynamic adjustment, in bulk: three queries per
chunk of enterprises, whatever the chunk's size. Keys are exactly the engine's FIELDS;
a value the enterprise does not have is None (the engine then says "缺少数据").
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

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


def facts_for(enterprise_ids, *, year: int | None = None, as_of: date | None = None) -> dict:
    """{enterprise id: facts}. The report used is `year`'s counted report when a year is
    given, else the latest counted one; `report_year` says which (None: no report)."""
    as_of = as_of or timezone.localdate()
    ids = list(enterprise_ids)
    rows = Enterprise.objects.filter(pk__in=ids).values(
        "pk",
        "region__path",
        "industry",
        "category",
        "size",
        "listing_status",
        "founded_on",
        "registry_entry__tier",
    )
    reports = AnnualReport.objects.filter(enterprise_id__in=ids, status__in=COUNTED)
    reports = (
        reports.filter(year=year) if year is not None else reports.filter(year__lte=as_of.year)
    )
    latest = {}
    for report in reports.order_by("enterprise_id", "-year").values(
        "enterprise_id", "year", *REPORT_FIGURES
    ):
        latest.setdefault(report["enterprise_id"], report)
    labels = defaultdict(list)
    for enterprise_id, label in (
        LabelAward.objects.current()
        .filter(enterprise_id__in=ids)
        .values_list("enterprise_id", "label")
    ):
        labels[enterprise_id].append(label)
    facts = {}
    for row in rows:
        report = latest.get(row["pk"])
        facts[row["pk"]] = {
            "region": row["region__path"],
            "industry": row["industry"],
            "category": row["category"],
            "size": row["size"],
            "listing_status": row["listing_status"],
            "age_years": completed_years(row["founded_on"], as_of),
            "tier": row["registry_entry__tier"],
            "labels": sorted(labels[row["pk"]]),
            "report_year": report["year"] if report else None,
            **report_facts(report),
        }
    return facts


def facts_of(enterprise, **kwargs) -> dict:
    return facts_for([enterprise.pk], **kwargs)[enterprise.pk]
