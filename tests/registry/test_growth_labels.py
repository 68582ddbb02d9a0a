"""Growth-label rules (registry.growth_labels): pure Python, no database."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.growth_labels import (
    GAZELLE,
    PROSPECTIVE_UNICORN,
    UNICORN,
    Band,
    EnterpriseFacts,
    GazelleRule,
    LabelDecision,
    ValuationRule,
    age_in_years,
    cagr_percent,
    default_rules,
    evaluate,
    labels_held,
    validate_rules,
)
from registry.label_explanations import render_reasons

RATE = Decimal("7.10")
AS_OF = date(2025, 7, 1)
USD_M = Decimal(1_000_000) * RATE  # one million dollars, in yuan, at RATE


def founded(age: int) -> date:
    """Founded exactly `age` years before AS_OF (age completed on AS_OF)."""
    return AS_OF.replace(year=AS_OF.year - age)


def facts(age=3, valuation_usd_m=None, *, listing="unlisted", revenues=None, valuation=None):
    if valuation is None and valuation_usd_m is not None:
        valuation = Decimal(valuation_usd_m) * USD_M
    return EnterpriseFacts(founded(age), listing, valuation, revenues or {})


def held(enterprise, *, rate=RATE, rules=None, as_of=AS_OF):
    return labels_held(enterprise, as_of=as_of, usd_cny=rate, rules=rules)


def decide(enterprise, label, *, rate=RATE, rules=None, as_of=AS_OF) -> LabelDecision:
    return evaluate(enterprise, as_of=as_of, usd_cny=rate, rules=rules)[label]


def growing(base, latest, *, latest_year=2024):
    return {latest_year - 3: Decimal(base), latest_year: Decimal(latest)}


# --- age -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("founded_on", "as_of", "age"),
    [
        (date(2015, 7, 1), date(2025, 6, 30), 9),
        (date(2015, 7, 1), date(2025, 7, 1), 10),
        (date(2020, 2, 29), date(2021, 2, 28), 0),
        (date(2020, 2, 29), date(2021, 3, 1), 1),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
        (date(2025, 7, 2), date(2025, 7, 1), -1),
    ],
)
def test_age_is_completed_years(founded_on, as_of, age):
    assert age_in_years(founded_on, as_of) == age


# --- unicorn ---------------------------------------------------------------------------


def test_unicorn_at_age_10_exactly_is_granted_and_at_11_refused():
    assert UNICORN in held(facts(10, 1000))
    assert UNICORN in held(facts(10, 1000), as_of=date(2026, 6, 30))  # still 10
    assert UNICORN not in held(facts(11, 1000))


def test_unicorn_valuation_exactly_one_billion_dollars_is_granted_just_below_refused():
    assert UNICORN in held(facts(valuation=Decimal("7100000000")))
    assert UNICORN not in held(facts(valuation=Decimal("7099999999.99")))


def test_listed_enterprise_is_not_a_unicorn():
    decision = decide(facts(7, 1500, listing="star"), UNICORN)
    assert not decision.granted
    assert any(
        "star" in reason and "不满足" in reason for reason in render_reasons(decision.reasons)
    )
    assert held(facts(7, 1500, listing="star")) == set()  # too valuable for the 5–9 band


def test_missing_valuation_grants_neither_valuation_label():
    decision = decide(facts(3), UNICORN)
    assert held(facts(3)) == set()
    assert any("无投后估值数据" in reason for reason in render_reasons(decision.reasons))


def test_evaluation_before_founding_grants_no_age_label():
    assert held(facts(0, 2000), as_of=date(2020, 1, 1)) == set()
    reasons = decide(facts(0, 2000), UNICORN, as_of=date(2020, 1, 1)).reasons
    assert any("评估日早于成立日期" in reason for reason in render_reasons(reasons))


# --- prospective unicorn ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "valuation_usd_m", "granted"),
    [
        (0, "50", True),
        (5, "50", True),  # ≤ 5 branch includes 5
        (5, "49.99", False),
        (6, "100", True),  # 5 < age ≤ 9 branch
        (6, "99.99", False),
        (6, "50", False),  # the ≤ 5 branch no longer applies
        (6, "999.99", True),
        (9, "100", True),
        (10, "100", False),
        (10, "500", False),
    ],
)
def test_prospective_unicorn_boundaries(age, valuation_usd_m, granted):
    assert (PROSPECTIVE_UNICORN in held(facts(age, valuation_usd_m))) is granted


def test_at_one_billion_a_six_year_old_is_unicorn_not_prospective():
    assert held(facts(6, 1000)) == {UNICORN}
    assert held(facts(6, "999.99")) == {PROSPECTIVE_UNICORN}


def test_unicorn_wins_over_prospective_and_says_so():
    decisions = evaluate(facts(3, 2000), as_of=AS_OF, usd_cny=RATE)
    assert decisions[UNICORN].granted
    prospective = decisions[PROSPECTIVE_UNICORN]
    assert not prospective.granted
    assert "已认定为独角兽" in render_reasons(prospective.reasons)[-1]
    assert held(facts(3, 2000)) == {UNICORN}


def test_precedence_is_data():
    rules = replace(default_rules(), exclusive=(PROSPECTIVE_UNICORN, UNICORN))
    assert held(facts(3, 2000), rules=rules) == {PROSPECTIVE_UNICORN}


# --- gazelle ---------------------------------------------------------------------------


def test_gazelle_cagr_exactly_20_percent_is_granted():
    decision = decide(facts(revenues=growing(10_000_000, 17_280_000)), GAZELLE)
    assert decision.granted
    assert any(
        "20.00%" in reason and "满足" in reason for reason in render_reasons(decision.reasons)
    )


def test_gazelle_cagr_19_99_percent_is_refused():
    latest = Decimal(10_000_000) * Decimal("1.1999") ** 3
    decision = decide(facts(revenues=growing(10_000_000, latest)), GAZELLE)
    assert not decision.granted
    assert any("19.99%" in reason for reason in render_reasons(decision.reasons))


def test_cagr_is_rounded_half_up_to_two_places_before_comparing():
    exactly_19_995 = Decimal(10_000_000) * Decimal("1.19995") ** 3
    assert GAZELLE in held(facts(revenues=growing(10_000_000, exactly_19_995)))
    just_below = exactly_19_995 - Decimal("0.01")
    assert GAZELLE not in held(facts(revenues=growing(10_000_000, just_below)))


def test_gazelle_base_just_below_ten_million_is_refused():
    base = Decimal("9999999.99")
    decision = decide(facts(revenues=growing(base, base * Decimal("2"))), GAZELLE)
    assert not decision.granted
    assert any(
        "9,999,999.99" in r and "10,000,000.00" in r for r in render_reasons(decision.reasons)
    )


def test_gazelle_uses_latest_year_and_three_years_before_ignoring_years_between():
    revenues = {2019: Decimal(1), 2021: Decimal(10_000_000), 2024: Decimal(17_280_000)}
    decision = decide(facts(revenues=revenues), GAZELLE)
    assert decision.granted
    assert any("2021—2024" in reason for reason in render_reasons(decision.reasons))


@pytest.mark.parametrize(
    ("revenues", "says"),
    [
        ({}, "无营业收入数据"),
        ({2022: Decimal(10_000_000), 2024: Decimal(30_000_000)}, "缺少基期 2021 年"),
        ({2021: Decimal(0), 2024: Decimal(30_000_000)}, "（≤ 0）"),
        ({2021: Decimal(-5), 2024: Decimal(30_000_000)}, "（≤ 0）"),
        ({2021: Decimal(20_000_000), 2024: Decimal(-1)}, "（< 0）"),
    ],
)
def test_gazelle_not_computable_is_refused_with_reason(revenues, says):
    decision = decide(facts(revenues=revenues), GAZELLE)
    assert not decision.granted
    assert len(decision.reasons) == 1
    assert (
        says in render_reasons(decision.reasons)[0]
        and "不可计算" in render_reasons(decision.reasons)[0]
    )


def test_gazelle_ignores_years_after_the_evaluation_date():
    revenues = {**growing(10_000_000, 17_280_000, latest_year=2024), 2026: Decimal(1)}
    assert GAZELLE in held(facts(revenues=revenues))
    assert GAZELLE not in held(facts(revenues=revenues), as_of=date(2027, 1, 1))


def test_revenue_falling_to_zero_is_minus_100_percent():
    decision = decide(facts(revenues=growing(20_000_000, 0)), GAZELLE)
    assert any("-100.00%" in reason for reason in render_reasons(decision.reasons))


def test_gazelle_is_held_together_with_unicorn_or_prospective():
    revenues = growing(10_000_000, 17_280_000)
    assert held(facts(3, 2000, revenues=revenues)) == {UNICORN, GAZELLE}
    assert held(facts(3, 60, revenues=revenues)) == {PROSPECTIVE_UNICORN, GAZELLE}


@pytest.mark.parametrize(
    ("base", "latest", "percent"),
    [
        ("10000000", "17280000", "20.00"),
        ("10000000", "10000000", "0.00"),
        ("1000", "8000", "100.00"),
        ("8000", "1000", "-50.00"),
        ("10000000", "13310000", "10.00"),
    ],
)
def test_cagr_percent_exact_cases(base, latest, percent):
    assert cagr_percent(Decimal(base), Decimal(latest), 3) == Decimal(percent)


@given(
    base=st.decimals(min_value=1, max_value=10**12, places=2),
    latest=st.decimals(min_value=0, max_value=10**13, places=2),
    years=st.integers(min_value=1, max_value=10),
)
def test_cagr_percent_is_correctly_rounded_half_up(base, latest, years):
    rate = cagr_percent(base, latest, years)
    assert rate == rate.quantize(Decimal("0.01"))
    low, high = rate - Decimal("0.005"), rate + Decimal("0.005")
    grow = lambda p: base * (1 + p / 100) ** years  # noqa: E731
    assert rate == -100 or grow(low) <= latest
    assert latest < grow(high)


# --- rate, reasons, custom rules -------------------------------------------------------


def test_exchange_rate_changes_the_outcome():
    enterprise = facts(valuation=Decimal("7000000000"))
    assert UNICORN not in held(enterprise, rate=Decimal("7.10"))
    assert UNICORN in held(enterprise, rate=Decimal("7.00"))


def test_reasons_give_value_threshold_and_rate():
    decision = decide(facts(10, valuation=Decimal("7100000000")), UNICORN)
    text = "\n".join(render_reasons(decision.reasons))
    assert len(decision.reasons) == 3  # listing, age, valuation
    assert "unlisted" in text
    assert "成立满 10 年" in text and "不超过 10 年" in text
    assert "7,100,000,000.00 元" in text and "1,000,000,000.00 美元" in text
    assert "7.10" in text


def test_evaluate_decides_every_label():
    decisions = evaluate(facts(), as_of=AS_OF, usd_cny=RATE)
    assert set(decisions) == {UNICORN, PROSPECTIVE_UNICORN, GAZELLE}
    assert all(d.label == label and d.reasons for label, d in decisions.items())


def test_custom_rules_change_thresholds():
    rules = replace(
        default_rules(),
        gazelle=GazelleRule(
            min_cagr_percent=Decimal("15"), min_base_revenue_yuan=Decimal(5_000_000)
        ),
        unicorn=ValuationRule(
            (Band(12, Decimal(500_000_000)),),
            unlisted_only=True,
            unlisted_statuses=frozenset({"unlisted", "neeq"}),
        ),
    )
    revenues = growing(6_000_000, 6_000_000 * Decimal("1.15") ** 3)
    assert GAZELLE not in held(facts(revenues=revenues))
    assert GAZELLE in held(facts(revenues=revenues), rules=rules)
    quoted = facts(12, 600, listing="neeq")
    assert UNICORN not in held(quoted)
    assert UNICORN in held(quoted, rules=rules)


def test_prospective_can_require_unlisted():
    rules = replace(
        default_rules(),
        prospective_unicorn=replace(default_rules().prospective_unicorn, unlisted_only=True),
    )
    assert PROSPECTIVE_UNICORN in held(facts(3, 60, listing="star"))
    assert PROSPECTIVE_UNICORN not in held(facts(3, 60, listing="star"), rules=rules)


def test_default_rules_are_valid():
    assert validate_rules(default_rules()) == []


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"gazelle": GazelleRule(min_cagr_percent=Decimal(-1))}, "复合增长率门槛不能为负数"),
        ({"gazelle": GazelleRule(min_base_revenue_yuan=Decimal(-1))}, "基期营业收入门槛不能为负数"),
        ({"gazelle": GazelleRule(years=0)}, "年数应至少为 1"),
        ({"unicorn": ValuationRule(())}, "至少需要一个"),
        ({"unicorn": ValuationRule((Band(-1, Decimal(1)),))}, "年龄门槛不能为负数"),
        ({"unicorn": ValuationRule((Band(10, Decimal(-1)),))}, "估值下限不能为负数"),
        ({"unicorn": ValuationRule((Band(5, Decimal(1), 5),))}, "年龄下限 5 应小于上限 5"),
        (
            {"unicorn": ValuationRule((Band(9, Decimal(100), 5, Decimal(50)),))},
            "估值上限 50.00 美元应大于下限 100.00 美元",
        ),
        ({"unicorn": ValuationRule((Band(9, Decimal(1)),), True, frozenset())}, "状态列表不能为空"),
        ({"exclusive": (UNICORN, GAZELLE)}, "互斥标签"),
        ({"exclusive": (UNICORN, UNICORN)}, "互斥标签"),
    ],
)
def test_validate_rules_reports_problems(change, says):
    problems = validate_rules(replace(default_rules(), **change))
    assert any(says in problem for problem in problems), problems
    with pytest.raises(ValueError):
        evaluate(facts(), as_of=AS_OF, usd_cny=RATE, rules=replace(default_rules(), **change))


@pytest.mark.parametrize("rate", [Decimal(0), Decimal("-7.1"), 7.1])
def test_exchange_rate_must_be_a_positive_decimal(rate):
    with pytest.raises(ValueError):
        evaluate(facts(), as_of=AS_OF, usd_cny=rate)
