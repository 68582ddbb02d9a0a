"""The pure ranking and tier rules, on worked examples."""

import datetime
from decimal import Decimal as D

from selection.explanations import render_decision
from selection.tiering_rules import Candidate, Rule, propose

T0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


def cand(
    id, score, *, category="tech", rd="5", minutes=0, revenue="50000000", age=5, eligible=True
):
    return Candidate(
        id=id,
        category=category,
        final_score=D(score),
        rd_intensity=None if rd is None else D(rd),
        submitted_at=T0 + datetime.timedelta(minutes=minutes),
        revenue=D(revenue),
        age_years=age,
        eligible=eligible,
    )


RULES = [
    Rule(1, "leading", "", D("85"), D("100000000"), 3, None, 1),
    Rule(2, "growth", "", D("75"), D("20000000"), 2, None, 2),
    Rule(3, "potential", "", D("60")),
]


def tiers(result):
    return {cid: tier for cid, (tier, _trace) in result.items()}


def test_highest_tier_whose_score_and_conditions_hold():
    result = propose(
        [cand(1, "90", revenue="200000000"), cand(2, "90", revenue="30000000"), cand(3, "65")],
        RULES,
    )
    assert tiers(result) == {1: "leading", 2: "growth", 3: "potential"}


def test_quota_exhausted_falls_to_the_next_tier_in_rank_order():
    candidates = [cand(i, str(80 - i), revenue="30000000") for i in range(1, 5)]
    assert tiers(propose(candidates, RULES)) == {
        1: "growth",
        2: "growth",
        3: "potential",
        4: "potential",
    }


def test_ties_broken_by_rd_intensity_then_earlier_submission():
    candidates = [
        cand(1, "80", rd="4", revenue="30000000"),
        cand(2, "80", rd="9", revenue="30000000"),
        cand(3, "80", rd="4", minutes=-5, revenue="30000000"),
    ]
    result = propose(candidates, RULES)
    assert [result[i][1]["rank"] for i in (2, 3, 1)] == [1, 2, 3]
    assert tiers(result) == {2: "growth", 3: "growth", 1: "potential"}


def test_hard_conditions_block_a_tier():
    young = cand(1, "95", revenue="500000000", age=2)
    assert tiers(propose([young], RULES)) == {1: "growth"}
    trace = propose([young], RULES)[1][1]
    leading = trace["tiers"][0]
    assert leading["ok"] is False
    assert {"check": "min_age_years", "required": 3, "actual": 2, "ok": False} in leading["checks"]


def test_ineligible_indicator_result_is_not_selected():
    result = propose([cand(1, "99", eligible=False)], RULES)
    assert result[1][0] == ""
    assert result[1][1]["outcome"] == "not_eligible"
    assert "及格线" in render_decision(result[1][1])


def test_category_rule_has_its_own_quota():
    rules = [*RULES, Rule(4, "growth", "data", D("70"), None, None, None, 1)]
    candidates = [
        cand(1, "80", category="data", revenue="30000000"),
        cand(2, "79", category="data", revenue="30000000"),
        cand(3, "78", category="tech", revenue="30000000"),
    ]
    assert tiers(propose(candidates, rules)) == {1: "growth", 2: "potential", 3: "growth"}


def test_below_every_minimum_is_not_selected():
    assert tiers(propose([cand(1, "59.99")], RULES)) == {1: ""}
