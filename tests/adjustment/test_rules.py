"""Worked examples for every dynamic-adjustment rule (adjustment/rules.py)."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from adjustment.explanations import render_reasons
from adjustment.rules import DEFAULT_RULES, EntryState, Record, decide, validate_rules

ZJ = "000000/330000/"
HZ = "000000/330000/330100/"


def facts(revenue=5_000_000, rd=4, patents=1, copyrights=0, labels=()):
    return {
        "revenue": Decimal(revenue),
        "rd_intensity": Decimal(rd),
        "invention_patents": patents,
        "software_copyrights": copyrights,
        "labels": list(labels),
        "report_year": 1,
    }


def state(tier="potential", years=None, **kw):
    base = {
        "tier": tier,
        "admitted_on": date(2023, 6, 1),
        "region_path": HZ,
        "jurisdiction_path": ZJ,
        "jurisdiction_name": "浙江省",
        "listing_status": "unlisted",
        "facts": years if years is not None else {2024: facts(), 2025: facts()},
    }
    return EntryState(**{**base, **kw})


def test_defaults_are_valid():
    assert validate_rules(DEFAULT_RULES) == []


def test_no_change_when_figures_fit_the_tier():
    assert decide(state(), DEFAULT_RULES, year=2025) is None


def test_upgrade_when_the_year_meets_a_higher_tier():
    growth = facts(revenue=12_000_000, rd=3)
    finding = decide(state(years={2024: facts(), 2025: growth}), DEFAULT_RULES, year=2025)
    assert (finding.kind, finding.to_tier) == ("upgrade", "growth")
    assert render_reasons(finding.reasons)[0] == "2025 年度数据满足成长型条件"
    assert finding.figures["2025"]["revenue"] == "12000000"


def test_upgrade_jumps_to_the_highest_tier_met():
    big = facts(revenue=150_000_000, rd=5, patents=6)
    finding = decide(state(years={2024: facts(), 2025: big}), DEFAULT_RULES, year=2025)
    assert (finding.kind, finding.to_tier) == ("upgrade", "leading")


def test_a_unicorn_label_leads():
    finding = decide(
        state(tier="growth", years={2024: facts(), 2025: facts(labels=["unicorn"])}),
        DEFAULT_RULES,
        year=2025,
    )
    assert (finding.kind, finding.to_tier) == ("upgrade", "leading")


def test_revenue_just_below_the_growth_threshold_does_not_upgrade():
    below = facts(revenue=9_999_999, rd=3)
    assert decide(state(years={2024: facts(), 2025: below}), DEFAULT_RULES, year=2025) is None


def test_downgrade_only_after_two_failing_years():
    weak = facts(revenue=5_000_000, rd=2, patents=1)
    growth_ok = facts(revenue=20_000_000, rd=4, patents=1)
    one_bad = state(tier="growth", years={2024: growth_ok, 2025: weak})
    assert decide(one_bad, DEFAULT_RULES, year=2025) is None
    two_bad = state(tier="growth", years={2024: weak, 2025: weak})
    finding = decide(two_bad, DEFAULT_RULES, year=2025)
    assert (finding.kind, finding.to_tier) == ("downgrade", "potential")
    assert render_reasons(finding.reasons)[0] == "连续 2 年不满足成长型条件"
    assert set(finding.figures) == {"2024", "2025"}


def test_downgrade_lands_on_the_highest_lower_tier_met():
    growth_level = facts(revenue=20_000_000, rd=4, patents=1)
    finding = decide(
        state(tier="leading", years={2024: growth_level, 2025: growth_level}),
        DEFAULT_RULES,
        year=2025,
    )
    assert (finding.kind, finding.to_tier) == ("downgrade", "growth")


def test_no_downgrade_judged_on_a_missing_year():
    weak = facts(revenue=5_000_000, rd=2)
    assert decide(state(tier="growth", years={2025: weak}), DEFAULT_RULES, year=2025) is None


def test_lowest_tier_is_never_downgraded():
    nothing = facts(rd=0, patents=0, copyrights=0)
    assert decide(state(years={2024: nothing, 2025: nothing}), DEFAULT_RULES, year=2025) is None


def test_exit_after_two_years_without_reports():
    finding = decide(state(years={}), DEFAULT_RULES, year=2025)
    assert finding.kind == "exit" and finding.to_tier == ""
    assert render_reasons(finding.reasons) == [
        "连续 2 年未报送年度监测报告（2024 年度、2025 年度）"
    ]


def test_one_missing_year_is_not_an_exit():
    assert decide(state(years={2025: facts()}), DEFAULT_RULES, year=2025) is None


def test_years_due_before_admission_are_not_owed():
    # Admitted 2025-06-01: the 2024 report was due 2025-04-30, before admission.
    fresh = state(years={}, admitted_on=date(2025, 6, 1))
    assert decide(fresh, DEFAULT_RULES, year=2025) is None


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("deregistered", "注销或吊销"),
        ("serious_violation", "严重违法违规"),
        ("dishonesty", "失信记录"),
    ],
)
def test_exit_on_a_record(kind, says):
    record = Record(kind, date(2025, 9, 1), "国家企业信用信息公示系统")
    finding = decide(state(records=(record,)), DEFAULT_RULES, year=2025)
    assert finding.kind == "exit"
    assert render_reasons(finding.reasons) == [
        f"{says}：2025-09-01，来源：国家企业信用信息公示系统"
    ]


def test_exit_when_the_enterprise_moves_out_of_the_jurisdiction():
    moved = state(region_path="000000/320000/320100/")
    assert render_reasons(decide(moved, DEFAULT_RULES, year=2025).reasons) == [
        "企业注册地已迁出培育辖区（浙江省）"
    ]


def test_moving_inside_the_jurisdiction_is_not_an_exit():
    assert decide(state(region_path="000000/330000/330200/"), DEFAULT_RULES, year=2025) is None


@pytest.mark.parametrize(
    ("listing", "graduates"), [("star", True), ("hkex", True), ("neeq", False)]
)
def test_graduate_when_listed_on_an_exchange(listing, graduates):
    finding = decide(state(listing_status=listing), DEFAULT_RULES, year=2025)
    assert (finding is not None and finding.kind == "graduate") is graduates


def test_exit_wins_over_graduation():
    record = Record("dishonesty", date(2025, 9, 1), "信用中国")
    finding = decide(state(listing_status="star", records=(record,)), DEFAULT_RULES, year=2025)
    assert finding.kind == "exit"


def test_rules_are_data_a_jurisdiction_can_change():
    strict = copy.deepcopy(DEFAULT_RULES)
    strict["downgrade_after_years"] = 1
    weak = facts(revenue=5_000_000, rd=2)
    finding = decide(state(tier="growth", years={2024: None, 2025: weak}), strict, year=2025)
    assert (finding.kind, finding.to_tier) == ("downgrade", "potential")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda r: r["tiers"].pop("leading"), "必须为每个层级"),
        (
            lambda r: r["tiers"].update(growth={"field": "nope", "op": "gte", "value": 1}),
            "未知字段",
        ),
        (lambda r: r.update(downgrade_after_years=0), "降级所需连续年数"),
        (lambda r: r.update(graduate_listing=["moon"]), "毕业的上市状态"),
        (lambda r: r.update(extra=1), "不允许的键"),
    ],
)
def test_invalid_rules_are_refused_with_a_reason(change, says):
    rules = copy.deepcopy(DEFAULT_RULES)
    change(rules)
    assert any(says in p for p in validate_rules(rules))
