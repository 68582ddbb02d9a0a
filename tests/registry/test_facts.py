from datetime import date
from decimal import Decimal

import pytest

from conditions.engine import FIELDS, evaluate
from registry.facts import completed_years, facts_for, facts_of
from tests.factories import AnnualReportFactory, EnterpriseFactory, RegistryEntryFactory

pytestmark = pytest.mark.django_db


def test_completed_years_counts_birthdays():
    assert completed_years(date(2016, 7, 1), date(2026, 6, 30)) == 9
    assert completed_years(date(2016, 7, 1), date(2026, 7, 1)) == 10


def test_facts_hold_every_engine_field_from_the_latest_counted_report():
    enterprise = EnterpriseFactory(founded_on=date(2020, 1, 1))
    RegistryEntryFactory(enterprise=enterprise, tier="growth")
    AnnualReportFactory(
        enterprise=enterprise,
        year=2024,
        status="accepted",
        revenue=Decimal("1000000"),
        rd_expense=Decimal("50000"),
    )
    AnnualReportFactory(
        enterprise=enterprise,
        year=2025,
        status="draft",
        submitted_at=None,
        revenue=Decimal("9"),
        rd_expense=Decimal("1"),
    )
    facts = facts_of(enterprise, as_of=date(2026, 5, 1))
    assert set(FIELDS) <= set(facts)
    assert facts["report_year"] == 2024  # the draft does not count
    assert facts["rd_intensity"] == Decimal("5.00")
    assert facts["tier"] == "growth"
    assert facts["age_years"] == 6
    assert evaluate({"field": "rd_intensity", "op": "gte", "value": 5}, facts).matched


def test_facts_for_a_year_without_a_report_are_missing():
    enterprise = EnterpriseFactory()
    facts = facts_for([enterprise.pk], year=2025)[enterprise.pk]
    assert facts["report_year"] is None and facts["revenue"] is None and facts["tier"] is None
