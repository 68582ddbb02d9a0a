"""Growth labels read figures staff stand behind: accepted reports, and for a year without
one the figures of an admitted application (selection.selectors.admitted_figures)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from registry.models import LabelAward
from registry.services.labels import FIGURE_SOURCES, label_facts, recompute_labels_for
from selection.models import Application
from selection.selectors import admitted_figures
from tests.factories import AnnualReportFactory, EnterpriseFactory, RegistryEntryFactory, region
from tests.selection.helpers import make_round, ready_application

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 1)


@pytest.fixture
def enterprise():
    """In the registry, with an accepted 2022 report (10m) and an application for the 2026
    round declaring 30m / 45m / 70m for 2023–2025 (still a draft)."""
    enterprise = EnterpriseFactory(region=region("330100"))
    RegistryEntryFactory(enterprise=enterprise)
    AnnualReportFactory(enterprise=enterprise, year=2022, status="accepted",
                        revenue=Decimal("10000000"))  # fmt: skip
    ready_application(make_round(), enterprise=enterprise)
    return enterprise


def _admit(enterprise):
    Application.objects.filter(enterprise=enterprise).update(
        status="admitted", submitted_at=timezone.now(), declaration_accepted_at=timezone.now()
    )


def test_the_selection_app_registers_its_figures():
    assert admitted_figures in FIGURE_SOURCES


def test_figures_of_an_application_not_admitted_earn_no_label(enterprise):
    assert recompute_labels_for([enterprise.pk], as_of=AS_OF) == {enterprise.pk: set()}
    assert label_facts([enterprise.pk])[enterprise.pk].revenues == {2022: Decimal("10000000")}


def test_figures_of_an_admitted_application_count_where_no_report_was_accepted(enterprise):
    _admit(enterprise)
    assert label_facts([enterprise.pk])[enterprise.pk].revenues == {
        2022: Decimal("10000000"), 2023: Decimal("30000000"), 2024: Decimal("45000000"),
        2025: Decimal("70000000"),
    }  # fmt: skip
    assert recompute_labels_for([enterprise.pk], as_of=AS_OF) == {enterprise.pk: {"gazelle"}}
    assert LabelAward.objects.current().get(enterprise=enterprise).label == "gazelle"


def test_an_accepted_report_comes_before_the_application_for_its_year(enterprise):
    AnnualReportFactory(enterprise=enterprise, year=2025, status="accepted",
                        revenue=Decimal("12000000"))  # fmt: skip
    _admit(enterprise)
    assert label_facts([enterprise.pk])[enterprise.pk].revenues[2025] == Decimal("12000000")
    assert recompute_labels_for([enterprise.pk], as_of=AS_OF) == {enterprise.pk: set()}


def test_a_submitted_report_never_counts_even_beside_admitted_figures(enterprise):
    AnnualReportFactory(enterprise=enterprise, year=2021, status="submitted",
                        revenue=Decimal("1"))  # fmt: skip
    _admit(enterprise)
    assert 2021 not in label_facts([enterprise.pk])[enterprise.pk].revenues


def test_label_facts_query_count_does_not_grow_with_enterprises(
    enterprise, django_assert_num_queries
):
    _admit(enterprise)
    with django_assert_num_queries(3):
        label_facts([enterprise.pk])
    others = [EnterpriseFactory(region=region("330100")).pk for _ in range(5)]
    with django_assert_num_queries(3):
        label_facts([enterprise.pk, *others])
