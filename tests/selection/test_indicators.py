"""The indicator-score engine: worked examples against the default rubric, band
edges, direct pass, degenerate figures, the trace, and rubric validation."""

import json
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from selection.default_rubric import default_rubric
from selection.explanations import (
    band_label,
    render_indicator_trace,
    render_reason,
    render_rule,
    render_summary,
)
from selection.indicators import (
    RubricError,
    metric_values,
    score_application,
    validate_rubric,
)


def year(year, **overrides):
    """One year of a mid-sized digital enterprise; override what a test needs."""
    row = {
        "year": year,
        "revenue": D("28800000"),
        "main_business_revenue": D("24480000"),  # 85 %
        "rd_expense": D("2304000"),  # 8 %
        "rd_staff": 30,
        "employees": 120,  # 25 %
        "invention_patents": 3,
        "software_copyrights": 12,  # 3 + 12 × 0.2 = 5.4
        "debt_ratio": D("45.5"),
        "financing_raised": D("0"),
        "valuation": None,
    }
    return {**row, **overrides}


def figures(**latest):
    """2022–2024, revenue 20.0m → 24.0m → 28.8m: a compound growth of exactly 20 %."""
    return [
        year(2022, revenue=D("20000000"), financing_raised=D("1000000")),
        year(2023, revenue=D("24000000")),
        year(2024, financing_raised=D("2000000"), **latest),
    ]


def points(result, code):
    return next(row for row in result.trace["indicators"] if row["code"] == code)["points"]


def group(result, code):
    return next(row for row in result.trace["groups"] if row["code"] == code)


def rule(result, code):
    return next(row for row in result.trace["direct_pass_rules"] if row["code"] == code)


# --- worked examples ----------------------------------------------------------------


def test_worked_example_band_by_band():
    result = score_application(figures(), default_rubric(), {})
    expected = {
        "rd_intensity": "15.00",  # 8 % in 6–10 %
        "ip": "12.00",  # 5.4 in 5–10
        "rd_staff_share": "12.00",  # 25 % in 20–30 %
        "revenue_growth": "20.00",  # exactly 20 %: lower edge of ≥ 20 %
        "main_business_share": "10.00",  # 85 % in 70–90 %
        "debt_ratio": "15.00",  # 45.5 % below 55 %
    }
    assert {code: points(result, code) for code in expected} == expected
    assert [group(result, g)["points"] for g in ("innovation", "growth", "soundness")] == [
        "39.00",
        "30.00",
        "15.00",
    ]
    assert result.score == D("84.00")
    assert (result.passed, result.direct_pass, result.eligible) == (True, False, True)
    assert result.trace["years"] == [2022, 2023, 2024]


def test_metric_values_are_exact_decimals():
    values = metric_values(figures())
    assert values == {
        "rd_intensity": D("8.00"),
        "revenue_growth": D("20.00"),
        "main_business_share": D("85.00"),
        "rd_staff_share": D("25.00"),
        "invention_patents": D(3),
        "software_copyrights": D(12),
        "ip_count": D("5.4"),
        "debt_ratio": D("45.50"),
        "financing_3y": D("3000000.00"),
    }


def test_compound_growth_over_three_years_and_unsorted_figures():
    rows = [year(2024, revenue=D("13310000")), year(2021, revenue=D("10000000"))]
    assert metric_values(rows)["revenue_growth"] == D("10.00")  # 1.1 ** 3 = 1.331


def test_group_minimum_fails_despite_total_above_pass_mark():
    result = score_application(figures(debt_ratio=D("80")), default_rubric(), {})
    assert result.score == D("69.00")
    assert group(result, "soundness") == {
        "code": "soundness",
        "name": "专业化与经营稳健",
        "points": "0.00",
        "max_points": "15",
        "minimum": "8",
        "minimum_met": False,
    }
    assert (result.passed, result.eligible) == (False, False)
    assert "低于最低分 8 分" in render_summary(result.trace)
    assert render_summary(result.trace).endswith("结论：不符合指标要求。")


# --- direct pass -------------------------------------------------------------------


WEAK = {"rd_expense": D("0"), "invention_patents": 0, "software_copyrights": 0, "rd_staff": 0}


@pytest.mark.parametrize(
    ("facts", "code", "matched"),
    [
        ({"award_level": "national"}, "award", True),
        ({"award_level": "provincial"}, "award", True),
        ({"award_level": "municipal"}, "award", False),
        ({"rd_institution": "provincial"}, "rd_institution", True),
        ({"rd_institution": "municipal"}, "rd_institution", False),
        ({}, "rd_institution", False),
    ],
)
def test_direct_pass_by_award_or_rd_institution(facts, code, matched):
    result = score_application(figures(**WEAK), default_rubric(), facts)
    assert not result.passed  # innovation 0 < 15
    assert rule(result, code)["matched"] is matched
    assert (result.direct_pass, result.eligible) == (matched, matched)


def test_direct_pass_reason_names_the_level():
    result = score_application(figures(**WEAK), default_rubric(), {"award_level": "national"})
    assert render_rule(rule(result, "award")) == "科技奖励级别：国家级，要求省级及以上，符合。"
    assert "视同满足评价指标要求" in render_summary(result.trace)


@pytest.mark.parametrize(("latest", "matched"), [(D("3000000"), True), (D("2999999.99"), False)])
def test_direct_pass_by_equity_financing_over_three_years(latest, matched):
    rows = figures(**WEAK)
    rows[-1]["financing_raised"] = latest  # + 1,000,000 (2022) + 1,000,000 (2023)
    rows[1]["financing_raised"] = D("1000000")
    result = score_application(rows, default_rubric(), {})
    assert metric_values(rows)["financing_3y"] == D("2000000") + latest
    assert (result.direct_pass, result.eligible) == (matched, matched)
    expected = "5000000.00" if matched else "4999999.99"
    assert render_rule(rule(result, "equity_financing")).startswith(
        f"近三年合格股权融资额 {expected} 元"
    )


@pytest.mark.parametrize("threshold", ["national", 3, D("3.00")])
def test_level_threshold_by_name_or_rank(threshold):
    rubric = default_rubric()
    rubric["direct_pass"][0]["threshold"] = threshold
    assert validate_rubric(rubric) == []
    provincial = score_application(figures(), rubric, {"award_level": "provincial"})
    national = score_application(figures(), rubric, {"award_level": "national"})
    assert rule(provincial, "award")["threshold"] == "national"
    assert not rule(provincial, "award")["matched"] and rule(national, "award")["matched"]


def test_financing_outside_the_three_years_does_not_count():
    rows = [year(2021, financing_raised=D("9000000")), *figures()]
    assert metric_values(rows)["financing_3y"] == D("3000000.00")


# --- degenerate figures --------------------------------------------------------------


def test_zero_revenue_scores_zero_for_ratios_and_says_why():
    rows = [year(2023, revenue=0, main_business_revenue=0), year(2024, revenue=0)]
    result = score_application(rows, default_rubric(), {})
    by_code = {row["code"]: row for row in result.trace["indicators"]}
    for code in ("rd_intensity", "main_business_share", "revenue_growth"):
        assert by_code[code]["value"] is None
        assert by_code[code]["band"] is None
        assert by_code[code]["points"] == "0.00"
        assert "营业收入为 0" in render_reason(by_code[code]["reason"])
    assert result.score == D("39.00")  # ip 12 + R&D staff 12 + debt ratio 15


def test_one_year_of_figures():
    result = score_application([year(2024)], default_rubric(), {})
    growth = next(r for r in result.trace["indicators"] if r["code"] == "revenue_growth")
    assert (growth["value"], growth["points"]) == (None, "0.00")
    assert render_reason(growth["reason"]) == "仅有一个年度的数据，无法计算增长率"
    assert group(result, "growth")["minimum_met"]  # the main-business share carries it
    assert result.score == D("64.00")
    assert result.passed


def test_no_figures_at_all():
    result = score_application([], default_rubric(), {})
    assert result.score == D("0.00") and not result.eligible
    assert all(
        render_reason(row["reason"]) == "未提供任何年度数据" for row in result.trace["indicators"]
    )


# --- band edges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rd_expense", "expected"),
    [
        (D("100000"), "20.00"),  # 10.00 %: lower edge is inclusive
        (D("99900"), "15.00"),  # 9.99 %: upper edge of 6–10 % is exclusive
        (D("30000"), "10.00"),
        (D("29950"), "10.00"),  # 2.995 % is shown and judged as 3.00 %
        (D("29940"), "5.00"),  # 2.994 % → 2.99 %
        (D("9999"), "5.00"),  # 0.9999 % → 1.00 %
        (D("9949"), "0.00"),  # 0.9949 % → 0.99 %: below every band
    ],
)
def test_rd_intensity_band_edges(rd_expense, expected):
    rows = [year(2024, revenue=D("1000000"), rd_expense=rd_expense)]
    assert points(score_application(rows, default_rubric(), {}), "rd_intensity") == expected


@pytest.mark.parametrize(
    ("debt", "expected"),
    [("0", "15.00"), ("54.99", "15.00"), ("55", "8.00"), ("74.99", "8.00"), ("75", "0.00")],
)
def test_debt_ratio_lower_is_better(debt, expected):
    rows = [year(2024, debt_ratio=D(debt))]
    assert points(score_application(rows, default_rubric(), {}), "debt_ratio") == expected


def test_value_in_no_band_gets_zero_and_a_reason():
    rows = [year(2024, rd_staff=4)]  # 3.33 %, below 5 %
    row = score_application(rows, default_rubric(), {}).trace["indicators"][2]
    assert (row["code"], row["value"], row["band"], row["points"]) == (
        "rd_staff_share",
        "3.33",
        None,
        "0.00",
    )
    assert render_reason(row["reason"]) == "数值不在任何分档内，得 0 分"


# --- the trace ------------------------------------------------------------------------


def test_trace_shows_every_band_the_chosen_one_and_serialises():
    result = score_application(figures(), default_rubric(), {"award_level": "none"})
    trace = json.loads(json.dumps(result.trace, ensure_ascii=False))
    assert trace == result.trace  # only strings, numbers, booleans, None
    row = trace["indicators"][0]
    assert (row["code"], row["metric"]) == ("rd_intensity", "rd_intensity")
    assert (row["value"], row["points"]) == ("8.00", "15.00")
    assert row["band"] == {"lower": "6", "upper": "10", "points": "15"}
    shown = render_indicator_trace(trace)["indicators"][0]
    assert (shown["metric_label"], shown["value"]) == ("研发投入强度", "8.00%")
    assert shown["band"] == "6% ≤ 值 < 10%"
    assert [band_label(band, "rd_intensity") for band in row["bands"]] == [
        "≥ 10%",
        "6% ≤ 值 < 10%",
        "3% ≤ 值 < 6%",
        "1% ≤ 值 < 3%",
    ]
    debt = trace["indicators"][-1]["bands"][0]
    assert (debt["lower"], debt["upper"]) == (None, "55")
    assert band_label(debt, "debt_ratio") == "< 55%"
    assert (trace["score"], trace["pass_mark"], trace["max_score"]) == ("84.00", "60", "100")
    assert [r["code"] for r in trace["direct_pass_rules"]] == [
        "award",
        "rd_institution",
        "equity_financing",
    ]
    assert trace["direct_pass_rules"][0]["actual"] == "none"
    assert (
        render_rule(trace["direct_pass_rules"][0]) == "科技奖励级别：无，要求省级及以上，不符合。"
    )
    assert render_summary(trace) == (
        "指标得分 84.00 分，及格线 60 分；达到及格线且各组均达到最低分。结论：符合指标要求。"
    )


def test_result_is_frozen():
    result = score_application(figures(), default_rubric(), {})
    with pytest.raises(AttributeError):
        result.score = D(100)


# --- rubrics as stored ----------------------------------------------------------------


def test_rubric_round_tripped_through_json_scores_the_same():
    stored = json.loads(json.dumps(default_rubric(), default=str))
    assert stored["indicators"][0]["bands"][0] == ["10", None, "20"]
    assert validate_rubric(stored) == []
    assert score_application(figures(), stored, {}) == score_application(
        figures(), default_rubric(), {}
    )


def test_rubric_may_be_objects_with_band_dicts():
    rubric = default_rubric()
    rubric["groups"] = [SimpleNamespace(**g) for g in rubric["groups"]]
    for indicator in rubric["indicators"]:
        indicator["bands"] = [
            dict(zip(("lower", "upper", "points"), b, strict=True)) for b in indicator["bands"]
        ]
    result = score_application(figures(), SimpleNamespace(**rubric), {})
    assert result.score == D("84.00")


def toy_rubric(a_bands, b_bands=((D(1), None, D(50)),)):
    return {
        "groups": [{"code": "g", "name": "组", "minimum": D(0)}],
        "indicators": [
            {"code": "a", "name": "甲", "group": "g", "metric": "debt_ratio", "bands": a_bands},
            {
                "code": "b",
                "name": "乙",
                "group": "g",
                "metric": "invention_patents",
                "bands": b_bands,
            },
        ],
        "pass_mark": D(10),
        "direct_pass": [],
    }


@pytest.mark.parametrize(("band_points", "score"), [("12.345", "12.35"), ("12.335", "12.34")])
def test_score_rounds_to_two_places_half_up(band_points, score):
    rubric = toy_rubric([(None, D(50), D(band_points)), (D(50), None, D(50))])
    result = score_application([year(2024, invention_patents=0)], rubric, {})
    assert result.score == D(score)
    assert str(result.score) == score
    assert result.passed


# --- validation -------------------------------------------------------------------------


def test_default_rubric_is_valid_and_a_fresh_copy():
    assert validate_rubric(default_rubric()) == []
    first = default_rubric()
    first["indicators"][0]["bands"].clear()
    assert default_rubric()["indicators"][0]["bands"]


def test_validate_rubric_catches_overlapping_bands():
    rubric = toy_rubric([(None, D(60), D(10)), (D(50), None, D(50))])
    assert validate_rubric(rubric) == ["指标“甲”的分档“< 60%”与“≥ 50%”重叠。"]


def test_validate_rubric_catches_unknown_metric_and_total():
    rubric = toy_rubric([(None, D(50), D(40))])
    rubric["indicators"][1]["metric"] = "profit"
    assert validate_rubric(rubric) == [
        "指标“乙”使用了未知的计算口径“profit”。",
        "各指标最高分合计为 90 分，应为 100 分。",
    ]


def test_validate_rubric_catches_the_rest():
    rubric = toy_rubric([(D(50), D(40), D(-5)), (None, D(30), D(50))], b_bands=[(D(1), None)])
    rubric["groups"][0]["minimum"] = D(60)
    rubric["groups"].append({"code": "g", "name": "重复组", "minimum": 0})
    rubric["indicators"].append(
        {"code": "c", "name": "丙", "group": "nowhere", "metric": "ip_count", "bands": []}
    )
    rubric["pass_mark"] = D(0)
    rubric["direct_pass"] = [
        {"code": "x", "label": "甲", "kind": "lottery"},
        {"code": "y", "label": "乙", "kind": "award", "threshold": "county"},
        {"code": "z", "label": "丙", "kind": "equity_financing", "threshold": "0"},
        {"code": "w", "label": "丁", "kind": "rd_institution", "threshold": 0},
    ]
    assert validate_rubric(rubric) == [
        "指标组代码“g”重复。",
        "指标“甲”的分档“50% ≤ 值 < 40%”分值为负数。",
        "指标“甲”的分档“50% ≤ 值 < 40%”下限不小于上限。",
        "指标“乙”的分档格式有误，每档应为 (下限, 上限, 分值)。",
        "指标“丙”所属的指标组“nowhere”不存在。",
        "指标“丙”没有分档。",
        "指标组“组”的最低分 60 高于该组最高可得分 50。",
        "各指标最高分合计为 50 分，应为 100 分。",
        "及格线应大于 0 且不超过 100 分。",
        "直通条件“甲”的类型“lottery”未知。",
        "直通条件“乙”的级别门槛“county”应为 none/municipal/provincial/national"
        " 之一（或级别序号 0–3）。",
        "直通条件“丙”的融资额门槛应大于 0，否则所有申请都会直通。",
        "直通条件“丁”的级别门槛不能为“无”，否则所有申请都会直通。",
    ]


def test_score_application_refuses_an_invalid_rubric():
    rubric = toy_rubric([(None, D(50), D(40))])
    with pytest.raises(RubricError) as exc:
        score_application(figures(), rubric, {})
    assert exc.value.problems == ["各指标最高分合计为 90 分，应为 100 分。"]
    assert exc.value.field == "rubric"
