"""The SQL pre-filter (conditions/sql.py) against the engine, on a varied population."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from conditions.engine import evaluate
from conditions.sql import prefilter
from registry.facts import facts_for
from registry.models import Enterprise, LabelAward
from tests.factories import AnnualReportFactory, EnterpriseFactory, RegistryEntryFactory, region

pytestmark = pytest.mark.django_db

RULES = [
    {"all": [{"field": "region", "op": "within", "value": "330100"}]},
    {"all": [{"field": "region", "op": "not_within", "value": ["330100", "110000"]}]},
    {"all": [{"field": "industry", "op": "eq", "value": "03"}]},
    {"all": [{"field": "industry", "op": "ne", "value": "03"}]},
    {"all": [{"field": "category", "op": "in", "value": ["tech", "data"]}]},
    {"all": [{"field": "size", "op": "not_in", "value": ["large"]}]},
    {"all": [{"field": "listing_status", "op": "eq", "value": "unlisted"}]},
    {"all": [{"field": "age_years", "op": "gte", "value": 5}]},
    {"all": [{"field": "age_years", "op": "gt", "value": 5}]},
    {"all": [{"field": "age_years", "op": "lt", "value": 3}]},
    {"all": [{"field": "age_years", "op": "lte", "value": 3}]},
    {"all": [{"field": "age_years", "op": "eq", "value": 4}]},
    {"all": [{"field": "age_years", "op": "ne", "value": 4}]},
    {"all": [{"field": "age_years", "op": "between", "value": [2, 6]}]},
    {"all": [{"field": "tier", "op": "eq", "value": "growth"}]},
    {"all": [{"field": "tier", "op": "ne", "value": "growth"}]},
    {"all": [{"field": "tier", "op": "is_not_null"}]},
    {"all": [{"field": "labels", "op": "has", "value": "gazelle"}]},
    {"all": [{"field": "labels", "op": "has_any", "value": ["unicorn", "prospective_unicorn"]}]},
    {"all": [{"field": "labels", "op": "has_none", "value": ["gazelle"]}]},
    {"all": [{"field": "revenue", "op": "gte", "value": 20_000_000}]},
    {"all": [{"field": "net_profit", "op": "lt", "value": 0}]},
    {"all": [{"field": "rd_intensity", "op": "gte", "value": "5"}]},
    {"all": [{"field": "rd_intensity", "op": "between", "value": ["3", "8.5"]}]},
    {"all": [{"field": "employees", "op": "ne", "value": 100}]},
    {"all": [{"field": "invention_patents", "op": "gt", "value": 4}]},
    {"all": [{"field": "valuation", "op": "gte", "value": 500_000_000}]},
    {"all": [{"field": "financing_this_year", "op": "eq", "value": 0}]},
    {
        "any": [
            {"field": "labels", "op": "has", "value": "gazelle"},
            {
                "all": [
                    {"field": "revenue", "op": "gte", "value": 10_000_000},
                    {"field": "rd_intensity", "op": "gt", "value": "6"},
                ]
            },
        ]
    },
    {
        "all": [
            {"field": "region", "op": "within", "value": ["330000"]},
            {
                "any": [
                    {"field": "tier", "op": "in", "value": ["growth", "leading"]},
                    {"field": "software_copyrights", "op": "gte", "value": 12},
                ]
            },
            {"field": "age_years", "op": "lte", "value": 10},
        ]
    },
]


def _years_ago(today, years, days=0):
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = datetime.date(today.year - years, 2, 28)
    return day + datetime.timedelta(days=days)


@pytest.fixture
def population():
    rng = random.Random(2026)
    today = timezone.localdate()
    ids = []
    for n in range(80):
        enterprise = EnterpriseFactory(
            region=region(rng.choice(["330100", "330200", "110000", "330000"])),
            industry=rng.choice(["01", "03", "05"]),
            category=rng.choice(["tech", "scenario", "data"]),
            size=rng.choice(["large", "small", "micro"]),
            listing_status=rng.choice(["unlisted", "unlisted", "star"]),
            # Ages around the boundaries: exactly N years today, a day younger, a day older.
            founded_on=_years_ago(today, rng.choice([2, 3, 4, 5, 6, 11]), rng.choice([-1, 0, 1])),
        )
        ids.append(enterprise.pk)
        if n % 9 != 0:
            RegistryEntryFactory(enterprise=enterprise, tier=rng.choice(["potential", "growth"]))
        if n % 5 == 0:
            LabelAward.objects.create(
                enterprise=enterprise,
                label=rng.choice(["gazelle", "unicorn"]),
                granted_on=today,
                reasons=[],
            )
        if n % 11 == 0:
            continue  # no report at all: every report condition is "缺少数据"
        for year in (2023, 2024, 2025)[: rng.choice([1, 3])]:
            revenue = Decimal(rng.choice([0, 8_000_000, 20_000_000, 35_000_000]))
            AnnualReportFactory(
                enterprise=enterprise,
                year=year,
                status=rng.choice(["submitted", "accepted", "draft"]),
                submitted_at=timezone.now(),
                revenue=revenue,
                # Intensities on the boundaries: 5.00 %, 4.995 % (rounds to 5.00), 8.5 %.
                rd_expense=(
                    revenue * Decimal(rng.choice(["0.05", "0.04995", "0.085", "0.02"]))
                ).quantize(Decimal("0.01")),
                net_profit=Decimal(rng.choice([-500_000, 1_000_000])),
                employees=rng.choice([60, 100, 150]),
                invention_patents=rng.choice([3, 4, 5, 9]),
                software_copyrights=rng.choice([8, 12]),
                valuation=rng.choice([None, Decimal("500000000"), Decimal("80000000")]),
                financing_this_year=Decimal(rng.choice([0, 5_000_000])),
            )
    return ids


def test_prefilter_agrees_with_the_engine(population):
    today = timezone.localdate()
    facts = facts_for(population, as_of=today)
    disagreements, sizes = {}, []
    for i, rule in enumerate(RULES):
        engine = {pk for pk in population if evaluate(rule, facts[pk]).matched}
        sql = set(
            prefilter(Enterprise.objects.all(), rule, as_of=today).values_list("pk", flat=True)
        )
        if sql != engine:
            disagreements[i] = (sorted(sql - engine), sorted(engine - sql))
        sizes.append(len(engine))
    assert disagreements == {}
    # Every rule splits the population, so agreement is not agreement on "all" or "none".
    assert [n for n in sizes if n in (0, len(population))] == []


def test_prefilter_refuses_an_invalid_rule():
    with pytest.raises(ValueError, match="未知字段"):
        prefilter(
            Enterprise.objects.all(),
            {"all": [{"field": "x", "op": "eq", "value": 1}]},
            as_of=timezone.localdate(),
        )
