"""The tiering job streams (issue #14): it holds ids and the few numbers the ranking
needs, writes chunk by chunk in rank order, and proposes exactly what the whole-object
computation it replaced proposes — tiers, scores and decision traces alike."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from selection.indicators import rd_intensity_or_none
from selection.models import Application, TieringRun
from selection.services import tiering
from selection.services.aggregation import panel_scores
from selection.services.applications import figures_as_rows
from selection.tiering_rules import Candidate, Rule, propose
from tests.selection.helpers import tiering_round

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def whole_object_proposal(selection_round) -> dict:
    """The proposal as the job computed it before it streamed: every application with
    its figures as model objects, the panel aggregate as a dict, then propose()."""
    scores = panel_scores(selection_round)
    weights = selection_round.indicator_weight / 100, selection_round.panel_weight / 100
    applications = (
        selection_round.applications.filter(status__in=tiering.TIERABLE)
        .select_related("enterprise")
        .prefetch_related("figures")
    )
    candidates, panel = [], {}
    for application in applications:
        aggregate = scores.get(application.pk)
        panel_score = aggregate["score"] if aggregate else Decimal(0)
        indicator = application.indicator_score or Decimal(0)
        final = (weights[0] * indicator + weights[1] * panel_score).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        rows = figures_as_rows(application)
        panel[application.pk] = (panel_score, final)
        candidates.append(
            Candidate(
                id=application.pk,
                category=application.category,
                final_score=final,
                rd_intensity=rd_intensity_or_none(rows),
                submitted_at=application.submitted_at,
                revenue=rows[-1]["revenue"] if rows else Decimal(0),
                age_years=tiering._age_years(
                    application.enterprise.founded_on, selection_round.year - 1
                ),
                eligible=bool(application.indicator_passed or application.direct_pass),
                extra={
                    "indicator_score": str(indicator),
                    "panel_score": str(panel_score),
                    "panel": {k: str(v) for k, v in (aggregate or {}).items()},
                    "weights": [str(w * 100) for w in weights],
                },
            )
        )
    rules = [
        Rule(r.pk, r.tier, r.category, r.min_final_score, r.min_revenue, r.min_age_years,
             r.max_age_years, r.quota)
        for r in selection_round.tier_rules.all()
    ]  # fmt: skip
    return {
        app_id: (panel[app_id][0], panel[app_id][1], tier, trace)
        for app_id, (tier, trace) in propose(candidates, rules).items()
    }


def stored(selection_round) -> dict:
    return {
        a.pk: (a.panel_score, a.final_score, a.proposed_tier, a.decision_trace)
        for a in Application.objects.filter(round=selection_round, status="proposed")
    }


@pytest.fixture
def seeded_round():
    """Ties, a quota, an application below the pass mark, one without figures and one
    whose latest revenue is zero (no R&D intensity for the tie-break)."""
    totals = [[90] * 5, [90] * 5, [85, 88, 90, 70, 95], [75] * 5, [60, 65, 70, 75, 80],
              [40] * 5, [90] * 5, [82] * 5]  # fmt: skip
    selection_round, apps = tiering_round(totals)
    Application.objects.filter(pk=apps[3].pk).update(indicator_passed=False, direct_pass=False)
    apps[4].figures.all().delete()
    latest = apps[5].figures.order_by("-year").first()
    type(latest).objects.filter(pk=latest.pk).update(revenue=0, main_business_revenue=0,
                                                     rd_expense=0)  # fmt: skip
    rule = selection_round.tier_rules.filter(quota__isnull=True).order_by("id").first()
    if rule is not None:
        type(rule).objects.filter(pk=rule.pk).update(quota=1)
    return selection_round


@pytest.mark.parametrize("chunk", [1000, 3])
def test_streamed_job_proposes_exactly_what_the_whole_object_computation_did(
    seeded_round, monkeypatch, chunk
):
    monkeypatch.setattr(tiering, "CHUNK", chunk)
    expected = whole_object_proposal(seeded_round)
    run = tiering.run_tiering(
        TieringRun.objects.create(round=seeded_round, started_by=seeded_round.created_by)
    )
    assert run.status == "done" and run.processed == run.total == len(expected) == 8
    assert stored(seeded_round) == expected
    tiers = [t for _p, _f, t, _trace in expected.values()]
    assert run.summary == {tier: tiers.count(tier) for tier in run.summary}
    outcomes = {trace["outcome"] for *_rest, trace in expected.values()}
    assert "not_eligible" in outcomes  # the case below the pass mark is exercised


def test_a_rerun_after_reset_gives_the_same_proposal(seeded_round):
    first = tiering.run_tiering(
        TieringRun.objects.create(round=seeded_round, started_by=seeded_round.created_by)
    )
    before = stored(seeded_round)
    second = tiering.run_tiering(
        TieringRun.objects.create(round=seeded_round, started_by=seeded_round.created_by)
    )
    assert first.summary == second.summary
    assert stored(seeded_round) == before


def test_the_job_holds_no_application_objects_while_ranking(seeded_round, monkeypatch):
    """What the ranking holds is Candidates and strings: Application rows are loaded only
    a chunk at a time when written."""
    loaded = []
    original = tiering._write_chunk

    def counting(run, selection_round, decided, extras):
        loaded.append(len(decided))
        return original(run, selection_round, decided, extras)

    monkeypatch.setattr(tiering, "CHUNK", 3)
    monkeypatch.setattr(tiering, "_write_chunk", counting)
    candidates, extras = tiering._candidates(seeded_round)
    assert all(type(c) is Candidate for c in candidates) and len(extras) == 8
    assert not hasattr(candidates[0], "__dict__")  # slots: no per-object dict
    tiering.run_tiering(
        TieringRun.objects.create(round=seeded_round, started_by=seeded_round.created_by)
    )
    assert loaded == [3, 3, 2]
