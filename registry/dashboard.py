"""Figures for the staff monitoring dashboard (监测分析), one query per breakdown."""

from django.db.models import Count
from django.utils import timezone

from registry.choices import EntryStatus, InnovationCategory, Tier
from registry.models import AnnualReport, Enterprise, LabelAward, RegistryEntry, TierChange
from registry.models.monitoring import GrowthLabel, ReportStatus


def _bars(counts: dict, labels) -> list[dict]:
    """Rows for a bar chart: label, value and width in percent of the largest."""
    rows = [{"label": str(label), "value": counts.get(key, 0)} for key, label in labels]
    top = max((r["value"] for r in rows), default=0) or 1
    for row in rows:
        row["percent"] = round(row["value"] * 100 / top)
    return rows


def dashboard(user, *, year=None) -> dict:
    """Everything the dashboard shows, scoped by `visible_to` (the user's jurisdiction)."""
    year = year or timezone.localdate().year - 1
    enterprises = Enterprise.objects.visible_to(user)
    ever = RegistryEntry.objects.visible_to(user)
    entries = ever.active()
    tiers = dict(entries.values_list("tier").annotate(n=Count("id")).order_by())
    categories = dict(entries.values_list("category").annotate(n=Count("id")).order_by())
    labels = dict(
        LabelAward.objects.visible_to(user)
        .current()
        .values_list("label")
        .annotate(n=Count("id"))
        .order_by()
    )
    regions = (
        entries.values("enterprise__region__name")
        .annotate(n=Count("id"))
        .order_by("-n", "enterprise__region__name")[:12]
    )
    in_registry = entries.count()
    reported = (
        AnnualReport.objects.visible_to(user)
        .filter(year=year, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        .filter(enterprise__registry_entry__status=EntryStatus.ACTIVE)
        .count()
    )
    this_year = timezone.localdate().year
    movements = (
        TierChange.objects.filter(entry__in=ever, created_at__year=this_year)
        .values_list("from_tier", "to_tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "year": year,
        "enterprise_count": enterprises.count(),
        "in_registry": in_registry,
        "reported": reported,
        "report_rate": round(reported * 100 / in_registry) if in_registry else 0,
        "by_tier": _bars(tiers, Tier.choices),
        "by_category": _bars(categories, InnovationCategory.choices),
        "by_label": _bars(labels, GrowthLabel.choices),
        "by_region": _bars(
            {r["enterprise__region__name"]: r["n"] for r in regions},
            [(r["enterprise__region__name"], r["enterprise__region__name"]) for r in regions],
        ),
        "movements": _movements(movements, ever, this_year),
    }


def _movements(rows, entries, year) -> dict:
    order = {tier: i for i, tier in enumerate(Tier.values)}
    left = dict(
        entries.filter(left_on__year=year).values_list("status").annotate(n=Count("id")).order_by()
    )
    result = {"admitted": 0, "upgraded": 0, "downgraded": 0,
              "exited": left.get(EntryStatus.EXITED, 0),
              "graduated": left.get(EntryStatus.GRADUATED, 0)}  # fmt: skip
    for from_tier, to_tier, n in rows:
        if not from_tier:
            result["admitted"] += n
        elif not to_tier:
            continue  # left the registry: counted from the entries (exit or graduation)
        elif order[to_tier] > order[from_tier]:
            result["upgraded"] += n
        elif order[to_tier] < order[from_tier]:
            result["downgraded"] += n
    return result
