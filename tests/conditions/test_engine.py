import json
from decimal import Decimal

import pytest

from conditions.engine import (
    FIELDS,
    OPERATORS,
    InvalidSpec,
    Rule,
    describe,
    evaluate,
    nearly,
    validate,
)

HANGZHOU = "000000/330000/330100/"
EXAMPLE = {
    "all": [
        {"field": "tier", "op": "in", "value": ["growth", "leading"]},
        {
            "any": [
                {"field": "rd_intensity", "op": "gte", "value": "5"},
                {"field": "labels", "op": "has", "value": "gazelle"},
            ]
        },
    ]
}


def leaf(field, op, value=None):
    node = {"field": field, "op": op}
    if value is not None:
        node["value"] = value
    return node


def facts(**overrides):
    base = {
        "region": HANGZHOU,
        "industry": "03",
        "category": "tech",
        "size": "small",
        "listing_status": "unlisted",
        "age_years": 6,
        "tier": "growth",
        "labels": {"gazelle"},
        "revenue": Decimal("12000000.00"),
        "rd_intensity": Decimal("6.20"),
        "employees": 120,
        "invention_patents": 8,
    }
    return base | overrides


def holds(node, **overrides):
    return evaluate(node, facts(**overrides)).matched


# --- AND / OR -------------------------------------------------------------------------------


def test_example_matches_and_explains_every_leaf_in_order():
    result = evaluate(EXAMPLE, facts())
    assert result.matched
    assert [r.field for r in result.explanation] == ["tier", "", "rd_intensity", "labels"]
    assert result.explanation[2].text == "研发投入强度 6.20% ≥ 5%，满足"
    assert result.explanation[2].actual == Decimal("6.20")
    assert result.explanation[2].expected == Decimal("5")
    assert result.missing == []


def test_any_group_says_which_branch_held():
    result = evaluate(EXAMPLE, facts(rd_intensity=Decimal("3")))
    summary = result.explanation[1]
    assert summary.op == "any" and summary.ok and summary.actual == (2,)
    assert "第 2 项（企业称号 含有 瞪羚企业）" in summary.text
    assert result.explanation[2].ok is False and result.explanation[3].ok is True


def test_all_fails_when_one_part_fails_and_any_fails_when_every_branch_fails():
    assert not holds(EXAMPLE, tier="potential")
    result = evaluate(EXAMPLE, facts(rd_intensity=Decimal("3"), labels=set()))
    assert not result.matched
    assert result.explanation[1].ok is False and "均不成立" in result.explanation[1].text


def test_nested_groups_four_deep():
    spec = {"any": [{"all": [{"any": [{"all": [leaf("size", "eq", "small")]}]}]}]}
    assert validate(spec) == []
    assert holds(spec) and not holds(spec, size="large")


def test_a_bare_leaf_is_a_rule():
    assert holds(leaf("size", "eq", "small"))


# --- each operator ----------------------------------------------------------------------------


OPERATOR_CASES = [
    (leaf("age_years", "eq", 6), True),
    (leaf("age_years", "eq", "7"), False),
    (leaf("age_years", "ne", 7), True),
    (leaf("age_years", "ne", 6), False),
    (leaf("revenue", "gt", "11999999.99"), True),
    (leaf("revenue", "gt", "12000000"), False),
    (leaf("revenue", "gte", "12000000"), True),
    (leaf("revenue", "gte", "12000000.01"), False),
    (leaf("rd_intensity", "lt", "6.21"), True),
    (leaf("rd_intensity", "lt", "6.2"), False),
    (leaf("rd_intensity", "lte", "6.2"), True),
    (leaf("rd_intensity", "lte", "6.19"), False),
    (leaf("employees", "between", [120, 200]), True),
    (leaf("employees", "between", [50, 120]), True),
    (leaf("employees", "between", [121, 200]), False),
    (leaf("employees", "between", [50, 119]), False),
    (leaf("size", "eq", "small"), True),
    (leaf("size", "eq", "micro"), False),
    (leaf("size", "ne", "large"), True),
    (leaf("size", "ne", "small"), False),
    (leaf("industry", "in", ["01", "03"]), True),
    (leaf("industry", "in", ["01", "02"]), False),
    (leaf("listing_status", "not_in", ["main_board", "star"]), True),
    (leaf("listing_status", "not_in", ["unlisted"]), False),
    (leaf("region", "within", "330000"), True),
    (leaf("region", "within", "330100"), True),
    (leaf("region", "within", "000000"), True),
    (leaf("region", "within", "320000"), False),
    (leaf("region", "within", ["320000", "330000"]), True),
    (leaf("region", "not_within", "320000"), True),
    (leaf("region", "not_within", "330000"), False),
    (leaf("labels", "has", "gazelle"), True),
    (leaf("labels", "has", "unicorn"), False),
    (leaf("labels", "has_any", ["unicorn", "gazelle"]), True),
    (leaf("labels", "has_any", ["unicorn", "prospective_unicorn"]), False),
    (leaf("labels", "has_none", ["unicorn"]), True),
    (leaf("labels", "has_none", ["unicorn", "gazelle"]), False),
    (leaf("tier", "is_not_null"), True),
    (leaf("tier", "is_null"), False),
]


@pytest.mark.parametrize(("node", "expected"), OPERATOR_CASES)
def test_operator(node, expected):
    assert holds(node) is expected


@pytest.mark.parametrize(("node", "expected"), OPERATOR_CASES)
def test_a_prepared_rule_answers_like_evaluate(node, expected):
    rule = Rule({"all": [node, {"any": [node, leaf("tier", "is_null")]}]})
    assert rule.holds(facts()) is expected
    assert rule.evaluate(facts()) == evaluate(rule.spec, facts())
    missing = {k: v for k, v in facts().items() if k != node["field"]}
    assert rule.holds(missing) is evaluate(rule.spec, missing).matched


def test_a_prepared_rule_refuses_an_invalid_spec():
    with pytest.raises(InvalidSpec):
        Rule(leaf("revenue", "sorta", 1))


def test_within_is_on_whole_codes_not_string_prefixes():
    # Codes are compared whole: a sibling district of the path never matches.
    assert not holds(leaf("region", "within", "330101"))
    assert holds(leaf("region", "within", "330100"), region="000000/330000/330100/330106/")


def test_is_null_for_enterprise_not_in_the_registry():
    assert holds(leaf("tier", "is_null"), tier=None)
    no_tier = facts()
    del no_tier["tier"]
    result = evaluate(leaf("tier", "is_null"), no_tier)
    assert result.matched and result.missing == []
    assert result.explanation[0].text == "培育层级 无 为空，满足"
    assert not holds(leaf("tier", "is_not_null"), tier=None)


def test_fact_values_accept_int_str_and_float():
    assert holds(leaf("rd_intensity", "gte", "5"), rd_intensity="5.0")
    assert holds(leaf("rd_intensity", "gte", 5), rd_intensity=5)
    assert holds(leaf("rd_intensity", "eq", "0.3"), rd_intensity=0.3)


def test_bad_fact_value_raises():
    with pytest.raises(ValueError, match="企业数据有误"):
        evaluate(leaf("revenue", "gt", 0), facts(revenue="lots"))


# --- missing data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "node",
    [
        leaf("valuation", "gte", "1000000000"),
        leaf("valuation", "ne", "0"),
        leaf("invention_patents", "lt", 5),
    ],
)
def test_missing_field_is_not_satisfied(node):
    result = evaluate(node, facts(invention_patents=None))
    assert not result.matched
    (r,) = result.missing
    assert r.ok is None and r.actual is None
    assert "缺少数据" in r.text and "不满足" in r.text


def test_missing_labels_and_region_are_not_satisfied():
    assert not holds(leaf("labels", "has_none", ["unicorn"]), labels=None)
    assert not holds(leaf("region", "not_within", "320000"), region=None)
    # An empty label set is data, not missing data.
    assert holds(leaf("labels", "has_none", ["unicorn"]), labels=set())


# --- validate ---------------------------------------------------------------------------------


def test_valid_rules_have_no_problems():
    assert validate(EXAMPLE) == []
    assert validate(json.loads(json.dumps(EXAMPLE))) == []


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ([], "必须是对象"),
        ("all", "必须是对象"),
        ({"all": [leaf("password", "eq", "x")]}, "未知字段“password”"),
        ({"all": [leaf("__class__", "eq", "x")]}, "未知字段"),
        ({"all": [leaf(["revenue"], "eq", "1")]}, "未知字段"),
        ({"all": [leaf("revenue", "regex", "1")]}, "未知运算符“regex”"),
        ({"all": [leaf("revenue", "__eq__", "1")]}, "未知运算符"),
        (leaf("revenue", "has", "1"), "不支持运算符“has”"),
        (leaf("size", "gt", "small"), "不支持运算符“gt”"),
        (leaf("revenue", "is_null"), "不支持运算符“is_null”"),
        (leaf("region", "eq", "330000"), "不支持运算符“eq”"),
        (leaf("revenue", "gt", "a lot"), "不是数字"),
        (leaf("revenue", "gt", 1.5), "必须是数字"),
        (leaf("revenue", "gt", True), "必须是数字"),
        (leaf("revenue", "gt", ["1"]), "必须是数字"),
        (leaf("revenue", "gt", "NaN"), "有限"),
        (leaf("employees", "gte", "10.5"), "必须是整数"),
        (leaf("revenue", "between", ["1"]), "[下限, 上限]"),
        (leaf("revenue", "between", "1,2"), "[下限, 上限]"),
        (leaf("revenue", "between", ["9", "1"]), "下限不能大于上限"),
        (leaf("revenue", "gt"), "缺少“value”"),
        (leaf("tier", "is_null", "growth"), "不需要值"),
        (leaf("size", "eq", "huge"), "“huge”不是“企业规模”的可选值"),
        (leaf("industry", "in", ["03", "06"]), "“06”不是“所属行业”的可选值"),
        (leaf("industry", "in", "03"), "非空列表"),
        (leaf("industry", "in", []), "非空列表"),
        (leaf("labels", "has", "dragon"), "可选值"),
        (leaf("labels", "has_any", "gazelle"), "非空列表"),
        (leaf("region", "within", "33"), "6 位行政区划代码"),
        (leaf("region", "within", ["330000", 330100]), "6 位行政区划代码"),
        ({"all": []}, "条件组不能为空"),
        ({"any": {"field": "size"}}, "必须是列表"),
        ({"all": [leaf("size", "eq", "small")], "any": []}, "不允许的键"),
        ({**leaf("size", "eq", "small"), "__class__": "x"}, "不允许的键：“__class__”"),
        ({"op": "eq", "value": "small"}, "缺少“field”"),
        ({"field": "size", "value": "small"}, "缺少“op”"),
        ({}, "缺少“field”"),
        ({"all": ["size = small"]}, "all[0]：条件必须是对象"),
    ],
)
def test_validate_refuses(spec, fragment):
    problems = validate(spec)
    assert problems, spec
    assert any(fragment in p for p in problems), problems


def test_validate_refuses_nesting_deeper_than_four():
    spec = {"all": [{"any": [{"all": [{"any": [{"all": [leaf("size", "eq", "small")]}]}]}]}]}
    assert any("嵌套超过 4 层" in p for p in validate(spec))


def test_validate_reports_every_problem_with_its_place():
    spec = {"all": [leaf("nope", "eq", 1), {"any": [leaf("size", "eq", "huge")]}]}
    problems = validate(spec)
    assert len(problems) == 2
    assert problems[0].startswith("all[0]：")
    assert problems[1].startswith("all[1].any[0]：")


def test_evaluate_raises_on_invalid_rule():
    with pytest.raises(ValueError, match="未知字段") as exc:
        evaluate({"all": [leaf("nope", "eq", 1)]}, facts())
    assert isinstance(exc.value, InvalidSpec) and len(exc.value.problems) == 1
    with pytest.raises(ValueError):
        nearly({"all": []}, facts())
    with pytest.raises(ValueError):
        describe({"any": [leaf("revenue", "gt", 1.5)]})


# --- nearly ----------------------------------------------------------------------------------


def test_nearly_returns_the_one_failing_leaf():
    spec = {"all": [leaf("size", "in", ["small", "micro"]), leaf("invention_patents", "gte", 10)]}
    (only,) = nearly(spec, facts())
    assert only.field == "invention_patents" and only.ok is False
    assert only.text == "发明专利 8 件 ≥ 10 件，不满足"


def test_nearly_counts_missing_data_as_one_failing_leaf():
    spec = {"all": [leaf("size", "eq", "small"), leaf("valuation", "gte", "1000000000")]}
    (only,) = nearly(spec, facts())
    assert only.field == "valuation" and only.ok is None


def test_nearly_is_none_with_two_failing_leaves_or_when_matched():
    spec = {"all": [leaf("size", "eq", "large"), leaf("invention_patents", "gte", 10)]}
    assert nearly(spec, facts()) is None
    assert nearly(EXAMPLE, facts()) is None


def test_nearly_picks_the_cheapest_branch_of_an_any_group():
    expensive = {"all": [leaf("size", "eq", "large"), leaf("listing_status", "eq", "star")]}
    spec = {"any": [expensive, leaf("labels", "has", "unicorn")]}
    (only,) = nearly(spec, facts())
    assert only.field == "labels"
    both_expensive = {"any": [expensive, {"all": [leaf("age_years", "gt", 10), *expensive["all"]]}]}
    assert nearly(both_expensive, facts()) is None


def test_nearly_inside_all_with_an_any_group():
    result = nearly(EXAMPLE, facts(rd_intensity=Decimal("4.5"), labels=set()))
    assert [r.field for r in result] == ["rd_intensity"]


# --- describe and JSON -------------------------------------------------------------------------


def test_describe_example():
    assert describe(EXAMPLE) == (
        "同时满足：培育层级 属于 成长型、领军型；"
        "且满足以下任一（研发投入强度 ≥ 5%；企业称号 含有 瞪羚企业）"
    )


def test_describe_each_kind_of_leaf():
    spec = {
        "any": [
            leaf("revenue", "between", ["10000000", "50000000"]),
            leaf("region", "within", "330000"),
            leaf("tier", "is_null"),
            leaf("size", "ne", "large"),
            {"all": [leaf("labels", "has_none", ["unicorn"]), leaf("age_years", "lte", 5)]},
        ]
    }
    assert describe(spec, region_names={"330000": "浙江省"}) == (
        "满足以下任一：营业收入 介于 10,000,000 元 至 50,000,000 元（含）；"
        "所在地区 位于 浙江省 辖区内；培育层级 为空；企业规模 不为 大型；"
        "或同时满足（企业称号 不含 独角兽企业；成立年限 ≤ 5 年）"
    )


def test_explanation_texts_for_choices_regions_and_missing_data():
    spec = {
        "all": [
            leaf("region", "within", "330000"),
            leaf("tier", "in", ["leading"]),
            leaf("net_profit", "gt", 0),
        ]
    }
    texts = [r.text for r in evaluate(spec, facts(), region_names={"330100": "杭州市"}).explanation]
    assert texts == [
        "所在地区 杭州市 位于 330000 辖区内，满足",
        "培育层级 成长型 属于 领军型，不满足",
        "净利润 > 0 元：缺少数据，不满足",
    ]


def test_json_round_trip_gives_the_same_result():
    spec = {
        "all": [
            EXAMPLE,
            leaf("revenue", "between", ["1000000.50", "99999999"]),
            leaf("region", "not_within", ["110000", "310000"]),
            leaf("tier", "is_not_null"),
        ]
    }
    again = json.loads(json.dumps(spec))
    for case in (facts(), facts(revenue=Decimal("1000000.49")), facts(tier=None)):
        assert evaluate(again, case) == evaluate(spec, case)
    assert describe(again) == describe(spec)


def test_whitelist_is_exposed_for_forms():
    assert FIELDS["rd_intensity"].label == "研发投入强度"
    assert FIELDS["tier"].operators[-2:] == ("is_null", "is_not_null")
    assert "has" in FIELDS["labels"].operators and "gt" not in FIELDS["labels"].operators
    assert set(OPERATORS) >= {op for f in FIELDS.values() for op in f.operators}
    assert ("gazelle", "瞪羚企业") in FIELDS["labels"].choices
