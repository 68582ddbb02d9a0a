"""The credit scorecard: worked examples on both sides of every band of the default
version, grades at their edges, versioning (old scores keep theirs), the job (chunked,
idempotent, progress), and what would raise a score most."""

import datetime
from decimal import Decimal

import pytest

from config.errors import ConflictError, DomainError
from finance.models import CreditScore, Scorecard, ScoreRun
from finance.scoring import DEFAULT_FACTORS, DEFAULT_GRADES, grade_of, raise_most, score
from finance.services import scoring as services
from registry.models import EnterpriseRecord
from tests.factories import (
    AdminUserFactory,
    AnnualReportFactory,
    BureauUserFactory,
    region,
    registry_enterprise,
)

FACTOR = {f["key"]: f for f in DEFAULT_FACTORS}


def points(key, value):
    _t, _g, rows = score([FACTOR[key]] + [], DEFAULT_GRADES, {key: value})
    return rows[0]["points"]


# (factor, value just below a band's edge → points, value at the edge → points)
EDGES = [
    ("labels", 0, 0, 1, 100),
    ("revenue_growth", Decimal("14.99"), 50, 15, 75),
    ("revenue_growth", Decimal("29.99"), 75, 30, 100),
    ("revenue_growth", Decimal("-0.01"), 0, 0, 50),
    ("rd_intensity", Decimal("2.99"), 0, 3, 50),
    ("rd_intensity", Decimal("4.99"), 50, 5, 75),
    ("rd_intensity", Decimal("9.99"), 75, 10, 100),
    ("invention_patents", 0, 0, 1, 40),
    ("invention_patents", 2, 40, 3, 70),
    ("invention_patents", 9, 70, 10, 100),
    ("software_copyrights", 2, 0, 3, 60),
    ("software_copyrights", 9, 60, 10, 100),
    ("data_resources", 0, 0, 1, 60),
    ("data_resources", 2, 60, 3, 100),
    ("age_years", 0, 10, 1, 40),
    ("age_years", 2, 40, 3, 70),
    ("age_years", 4, 70, 5, 100),
    ("report_punctuality", Decimal("49.99"), 0, 50, 50),
    ("report_punctuality", Decimal("99.99"), 50, 100, 100),
    ("compliance_records", 0, 100, 1, 0),
]


@pytest.mark.parametrize("key,below,below_points,at,at_points", EDGES)
def test_band_edges(key, below, below_points, at, at_points):
    assert points(key, below) == below_points
    assert points(key, at) == at_points


def test_tier_bands_and_missing_value():
    assert [points("tier", t) for t in ("leading", "growth", "potential", None)] == [100, 75, 50, 0]


@pytest.mark.parametrize(
    "total,grade",
    [(100, "AAA"), (90, "AAA"), (Decimal("89.99"), "AA"), (80, "AA"), (Decimal("79.99"), "A"),
     (60, "BBB"), (Decimal("59.99"), "BB"), (40, "B"), (Decimal("39.99"), "C"), (0, "C")],
)  # fmt: skip
def test_grade_edges(total, grade):
    assert grade_of(DEFAULT_GRADES, Decimal(total)) == grade


def test_worked_example_total_and_contributions():
    values = {
        "tier": "growth",  # 75 × 15% = 11.25
        "labels": 1,  # 100 × 5% = 5
        "revenue_growth": Decimal("20"),  # 75 × 15% = 11.25
        "rd_intensity": Decimal("10"),  # 100 × 15% = 15
        "invention_patents": 5,  # 70 × 10% = 7
        "software_copyrights": 10,  # 100 × 5% = 5
        "data_resources": None,  # missing: 0
        "age_years": 6,  # 100 × 10% = 10
        "report_punctuality": Decimal("100"),  # 100 × 10% = 10
        "compliance_records": 0,  # 100 × 5% = 5
    }
    total, grade, rows = score(DEFAULT_FACTORS, DEFAULT_GRADES, values)
    assert total == Decimal("79.50")
    assert grade == "A"
    assert {r["factor"]: r["contribution"] for r in rows}["tier"] == "11.25"
    assert {r["factor"]: r["band"] for r in rows}["data_resources"] is None
    steps = raise_most(DEFAULT_FACTORS, rows)
    assert steps[0] == {"factor": "data_resources", "target": "1", "gain": "6.00"}
    assert [s["factor"] for s in steps] == ["data_resources", "tier", "revenue_growth"]


@pytest.mark.django_db
def test_enterprise_inputs_from_registry():
    enterprise = registry_enterprise("330100", tier="leading")  # 2025 report, 20m revenue
    AnnualReportFactory(
        enterprise=enterprise, year=2024, revenue=Decimal("16000000"),
        submitted_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    EnterpriseRecord.objects.create(
        enterprise=enterprise, kind="dishonesty", occurred_on=datetime.date(2025, 1, 1),
        source="信用中国", recorded_by=AdminUserFactory(),
    )  # fmt: skip
    values = services.inputs_for([enterprise.pk], as_of=datetime.date(2026, 6, 1))[enterprise.pk]
    assert values["tier"] == "leading"
    assert values["revenue_growth"] == Decimal("25.00")
    assert values["rd_intensity"] == Decimal("10.00")
    assert values["report_punctuality"] == Decimal("50.00")  # 2025 on time, 2024 late
    assert values["compliance_records"] == 1
    assert values["age_years"] == 6


@pytest.mark.django_db
def test_versioning_old_scores_keep_their_version():
    staff = BureauUserFactory(region=region("000000"))
    enterprise = registry_enterprise()
    v1 = services.publish_scorecard(
        actor=staff, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    first = services.score_enterprise(enterprise)
    reweighted = [dict(f) for f in DEFAULT_FACTORS]
    reweighted[0]["weight"], reweighted[1]["weight"] = 5, 15  # tier 5 %, labels 15 %
    v2 = services.publish_scorecard(
        actor=staff, name="调整权重", factors=reweighted, grades=DEFAULT_GRADES
    )
    second = services.score_enterprise(enterprise)
    v1.refresh_from_db()
    assert (v1.version, v2.version, v1.is_current, v2.is_current) == (1, 2, False, True)
    assert second.scorecard == v2
    kept = CreditScore.objects.get(pk=first.pk)
    assert (kept.scorecard, kept.total, kept.contributions) == (
        v1,
        first.total,
        first.contributions,
    )
    assert kept.total != second.total
    assert Scorecard.objects.get(pk=v1.pk).factors == DEFAULT_FACTORS


@pytest.mark.django_db
def test_publish_refuses_bad_weights_and_provincial_staff():
    national = BureauUserFactory(region=region("000000"))
    bad = [dict(f) for f in DEFAULT_FACTORS]
    bad[0]["weight"] = 16
    with pytest.raises(DomainError):
        services.publish_scorecard(actor=national, name="x", factors=bad, grades=DEFAULT_GRADES)
    with pytest.raises(DomainError):
        services.publish_scorecard(
            actor=BureauUserFactory(region=region("330000")), name="x",
            factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES,
        )  # fmt: skip
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_job_scores_everyone_in_chunks_and_is_idempotent(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK", 2)
    admin = AdminUserFactory()
    for _ in range(5):
        registry_enterprise()
    card = services.publish_scorecard(
        actor=admin, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_scoring(actor=admin)
    run.refresh_from_db()
    assert (run.status, run.total, run.processed, run.summary) == ("done", 5, 5, {"scored": 5})
    before = list(CreditScore.objects.order_by("pk").values_list("enterprise", "total", "grade"))
    services.run_scoring(ScoreRun.objects.get(pk=run.pk))
    after = list(CreditScore.objects.order_by("pk").values_list("enterprise", "total", "grade"))
    assert before == after and CreditScore.objects.filter(scorecard=card).count() == 5


@pytest.mark.django_db
def test_second_run_while_one_is_active_refused():
    admin = AdminUserFactory()
    card = services.publish_scorecard(
        actor=admin, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    ScoreRun.objects.create(scorecard=card, started_by=admin)
    with pytest.raises(ConflictError):
        services.start_scoring(actor=admin)
