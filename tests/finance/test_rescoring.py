"""Scores follow the registry: a changed accepted report rescores its enterprise after
commit (one task per burst), with the current version; older versions' rows stay."""

from decimal import Decimal

import pytest

from config.dispatch import OnCommitBatch
from finance.models import CreditScore
from finance.scoring import DEFAULT_FACTORS, DEFAULT_GRADES
from finance.services import scoring as services
from registry.models import AnnualReport
from registry.services import reports
from registry.signals import announce_facts_changed
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

pytestmark = pytest.mark.django_db


def rd_points(score):
    return {c["factor"]: c["points"] for c in score.contributions}["rd_intensity"]


def test_changing_an_accepted_report_changes_the_stored_score(django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100")  # 2025 report: R&D 10 % of revenue
    member = enterprise_user(enterprise)
    staff = BureauUserFactory(region=region("330100"))
    services.publish_scorecard(
        actor=None, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    report = AnnualReport.objects.get(enterprise=enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        reports.accept_report(report, actor=staff)
    before = CreditScore.objects.get(enterprise=enterprise)
    assert rd_points(before) == 100

    with django_capture_on_commit_callbacks(execute=True):
        reports.return_report(report, actor=staff, reason="研发费用与审计报告不一致")
        values = {f: getattr(report, f) for f in reports.REPORT_FIELDS}
        fixed = reports.save_report(
            enterprise, actor=member, year=2025, values={**values, "rd_expense": Decimal("400000")}
        )  # 2 % of revenue: below the lowest band
        reports.accept_report(reports.submit_report(fixed, actor=member), actor=staff)
    after = CreditScore.objects.get(enterprise=enterprise)
    assert rd_points(after) == 0
    # R&D loses its whole weight (15); filed again after the due date, punctuality too (10)
    assert after.total == before.total - 15 - 10


def test_a_burst_is_one_task_and_nothing_runs_before_commit(django_capture_on_commit_callbacks):
    first, second = registry_enterprise(), registry_enterprise()
    services.publish_scorecard(
        actor=AdminUserFactory(), name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    with django_capture_on_commit_callbacks() as callbacks:
        announce_facts_changed([first.pk])
        announce_facts_changed([second.pk, first.pk])
        assert not CreditScore.objects.exists()
    bursts = [c for c in callbacks if isinstance(c, OnCommitBatch)]
    assert len(bursts) == 1 and bursts[0].ids == {first.pk, second.pk}
    bursts[0]()
    assert set(CreditScore.objects.values_list("enterprise", flat=True)) == {first.pk, second.pk}


def test_no_scorecard_no_rescore(django_capture_on_commit_callbacks):
    enterprise = registry_enterprise()
    with django_capture_on_commit_callbacks(execute=True):
        announce_facts_changed([enterprise.pk])
    assert not CreditScore.objects.exists()
