"""The data migrations read the sentences the old producers stored back into data.

The conversion functions are tried on representative old sentences of every kind (they
must render back to exactly the old zh-hans sentence); an unreadable one is kept as
legacy_text and shown as written. One test runs a migration through MigrationExecutor.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from adjustment.explanations import render_reasons as adjustment_reasons
from adjustment.legacy import parse_reasons as parse_adjustment
from conditions.explain import render_condition
from conditions.legacy import parse_condition
from registry.label_explanations import render_reasons as label_reasons
from registry.legacy_labels import parse_reasons as parse_labels
from registry.uscc import make_uscc
from selection.explanations import render_decision, render_indicator_trace
from selection.legacy import convert_decision_trace, convert_indicator_trace, needs_conversion
from tests.explanations import chinese_in

OLD_CONDITIONS = [
    "研发投入强度 6.20% ≥ 5%，满足",
    "营业收入 20,000,000.00 元 ≥ 10,000,000 元，满足",
    "发明专利 8 件 ≥ 10 件，不满足",
    "培育层级 无 为空，满足",
    "培育层级 成长型 属于 领军型，不满足",
    "培育层级 领军型 为 领军型，满足",
    "企业称号 瞪羚企业 含有 瞪羚企业，满足",
    "企业称号 无 含有任一 独角兽企业、准独角兽企业，不满足",
    "净利润 > 0 元：缺少数据，不满足",
    "营业收入 5,000,000 元 介于 1,000,000.50 元 至 99,999,999 元（含），满足",
    "所在地区 杭州市 位于 330000 辖区内，满足",
    "所在地区 杭州市 不位于 北京市、上海市 辖区内，满足",
    "以下 3 项满足任一即可，均不成立",
    "以下 2 项满足任一即可，成立的是：第 2 项（企业称号 含有 瞪羚企业）",
    "以下 2 项满足任一即可，成立的是：第 1 项（同时满足：营业收入 ≥ 100,000,000 元；"
    "研发投入强度 ≥ 3%）；第 2 项（企业称号 含有任一 独角兽企业、准独角兽企业）",
]
CODES = {"杭州市": "330100", "北京市": "110000", "上海市": "310000"}
NAMES = {code: name for name, code in CODES.items()}


@pytest.mark.parametrize("sentence", OLD_CONDITIONS)
def test_old_condition_sentences_read_back_exactly(sentence):
    item = parse_condition(sentence, CODES)
    assert "legacy_text" not in item
    # Read back exactly, except that a renamed label reads under its one name of today.
    expected = sentence.replace("准独角兽企业", "潜在独角兽企业")
    assert render_condition(item, "zh-hans", names=NAMES) == expected
    english = render_condition(item, "en", names=NAMES)
    assert chinese_in(english, *CODES) == [], english


def test_a_condition_sentence_that_cannot_be_read_is_kept_as_written():
    item = parse_condition("人工补录：该企业符合条件")
    assert item == {"legacy_text": "人工补录：该企业符合条件"}
    assert render_condition(item, "en") == "人工补录：该企业符合条件"


def test_old_adjustment_reasons_read_back_exactly():
    upgrade = [
        "2025 年度数据满足成长型条件",
        "营业收入 12,000,000 元 ≥ 10,000,000 元，满足",
        "以下 2 项满足任一即可，成立的是：第 1 项（发明专利 ≥ 1 件）",
    ]
    downgrade = [
        "连续 2 年不满足成长型条件",
        "2024 年度：营业收入 5,000,000 元 ≥ 10,000,000 元，不满足；以下 2 项满足任一即可，"
        "成立的是：第 1 项（发明专利 ≥ 1 件）；发明专利 1 件 ≥ 1 件，满足",
        "2025 年度：研发投入强度 2% ≥ 3%，不满足",
    ]
    exits = [
        "失信记录：2025-08-01，来源：信用中国",
        "企业注册地已迁出培育辖区（浙江省）",
        "连续 2 年未报送年度监测报告（2024 年度、2025 年度）",
        "企业已上市（科创板），从培育库毕业",
        "企业申请退出：业务调整，主动退出",
    ]
    for old in (upgrade, downgrade, exits):
        items = parse_adjustment(old, year=2025)
        assert not [i for i in items if "legacy_text" in i], items
        assert adjustment_reasons(items, "zh-hans") == old
    assert parse_adjustment(downgrade, year=2025)[0]["years"] == [2024, 2025]
    assert parse_adjustment(["人工：另行处理"], year=2025) == [{"legacy_text": "人工：另行处理"}]


def test_old_label_reasons_that_cannot_be_read_are_counted_as_legacy():
    items = parse_labels(["基期 2021 年营业收入 10,000,000.00 元，要求 ≥ 10,000,000.00 元：满足",
                          "历史数据：人工认定"])  # fmt: skip
    assert items[0]["key"] == "gazelle.base"
    assert items[1] == {"legacy_text": "历史数据：人工认定"}
    assert label_reasons(items, "en")[0] == (
        "Base year 2021 revenue CNY 10,000,000.00, must be ≥ CNY 10,000,000.00: met"
    )


OLD_INDICATOR_TRACE = {
    "score": "45.00", "max_score": "100", "pass_mark": "60", "passed": False,
    "direct_pass": False, "eligible": False, "years": [2023, 2024],
    "indicators": [
        {"code": "rd_intensity", "name": "研发投入强度", "group": "innovation",
         "metric": "rd_intensity", "metric_label": "研发投入强度", "unit": "%", "value": "8.00",
         "reason": None,
         "bands": [{"lower": "6", "upper": "10", "points": "15", "label": "6% ≤ 值 < 10%"}],
         "band": {"lower": "6", "upper": "10", "points": "15", "label": "6% ≤ 值 < 10%"},
         "points": "15.00"},
        {"code": "revenue_growth", "name": "营业收入增长", "group": "growth",
         "metric": "revenue_growth", "metric_label": "营业收入复合增长率", "unit": "%",
         "value": None, "reason": "2023 年营业收入为 0，无法计算增长率",
         "bands": [{"lower": "20", "upper": None, "points": "10", "label": "≥ 20%"}],
         "band": None, "points": "0.00"},
        {"code": "ip", "name": "知识产权", "group": "innovation", "metric": "ip_count",
         "metric_label": "知识产权折算数", "unit": "项", "value": None,
         "reason": "2024 年缺少发明专利数数据", "bands": [], "band": None, "points": "0.00"},
    ],
    "groups": [{"code": "innovation", "name": "创新能力", "points": "15.00", "max_points": "45",
                "minimum": "15", "minimum_met": True},
               {"code": "growth", "name": "成长性", "points": "0.00", "max_points": "25",
                "minimum": "10", "minimum_met": False}],
    "direct_pass_rules": [
        {"code": "award", "label": "获得省级及以上科技奖励", "kind": "award",
         "threshold": "provincial", "matched": False,
         "reason": "科技奖励级别：无，要求省级及以上，不符合。"},
        {"code": "equity", "label": "股权融资", "kind": "equity_financing",
         "threshold": "5000000", "matched": False,
         "reason": "近三年合格股权融资额 2000000.00 元，要求不低于 5000000 元，不符合。"},
    ],
    "summary": "指标得分 45.00 分，及格线 60 分；得分未达到及格线；"
    "“成长性”组 0.00 分，低于最低分 10 分。结论：不符合指标要求。",
}  # fmt: skip


def test_old_indicator_trace_becomes_data_and_renders_the_same_summary():
    assert needs_conversion(OLD_INDICATOR_TRACE, None)
    trace, legacy = convert_indicator_trace(OLD_INDICATOR_TRACE)
    assert legacy == 0 and not needs_conversion(trace, None)
    assert "summary" not in trace and "label" not in trace["indicators"][0]["band"]
    assert trace["indicators"][1]["reason"] == {"key": "zero_revenue", "year": 2023}
    assert trace["indicators"][2]["reason"] == {
        "key": "missing_figure", "year": 2024, "figure": "invention_patents"}  # fmt: skip
    assert [r["actual"] for r in trace["direct_pass_rules"]] == ["none", "2000000.00"]
    zh = render_indicator_trace(trace, "zh-hans")
    assert zh["summary"] == OLD_INDICATOR_TRACE["summary"]
    assert zh["indicators"][0]["band"] == "6% ≤ 值 < 10%"
    assert [r["text"] for r in zh["direct_pass_rules"]] == [
        r["reason"] for r in OLD_INDICATOR_TRACE["direct_pass_rules"]
    ]
    en = render_indicator_trace(trace, "en")
    assert chinese_in(en["summary"], "成长性") == []


def test_old_decision_traces_become_outcomes():
    proposed = {"rank": 1, "result": "growth", "reason": "拟定为成长型", "tiers": []}
    trace, legacy = convert_decision_trace(proposed)
    assert (trace["outcome"], legacy, "reason" in trace) == ("proposed", 0, False)
    assert render_decision(trace, "zh-hans") == "拟定为成长型"
    refused = {"result": "", "reason": "指标得分未达及格线或分组最低分，且不符合直通条件"}
    assert convert_decision_trace(refused)[0]["outcome"] == "not_eligible"
    odd, legacy = convert_decision_trace({"result": "", "reason": "人工判定"})
    assert legacy == 1 and render_decision(odd, "en") == "人工判定"
    override = {"outcome": "no_tier", "result": "", "override": {"reason": "复议"}}
    assert convert_decision_trace(override) == (override, 0)  # already data: untouched


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_label_migration_converts_old_rows_and_reverses_to_sentences(capsys):
    before = [("registry", "0010_constraint_messages")]
    old = _migrate(before)
    Region = old.get_model("accounts", "Region")
    Enterprise = old.get_model("registry", "Enterprise")
    LabelAward = old.get_model("registry", "LabelAward")
    enterprise = Enterprise.objects.create(
        name="迁移测试科技有限公司", region=Region.objects.get(code="330100"),
        uscc=make_uscc("330100", 987654), industry="03", category="tech",
        founded_on=datetime.date(2019, 1, 1), size="small", contact_name="张敏",
        contact_phone="01062345678",
    )  # fmt: skip
    sentences = [
        "基期 2021 年营业收入 10,000,000.00 元，要求 ≥ 10,000,000.00 元：满足",
        "历史数据：人工认定",
    ]
    award = LabelAward.objects.create(enterprise=enterprise, label="gazelle",
                                      granted_on=datetime.date(2025, 5, 1), reasons=sentences,
                                      source="legacy")  # fmt: skip

    new = _migrate([("registry", "0011_label_reasons_as_data")])
    converted = new.get_model("registry", "LabelAward").objects.get(pk=award.pk)
    assert converted.reasons[0]["key"] == "gazelle.base"
    assert converted.reasons[1] == {"legacy_text": "历史数据：人工认定"}
    assert "growth label reasons: 1 of 1 rows converted, 1 sentences kept as legacy_text" in (
        capsys.readouterr().out
    )

    back = _migrate(before)
    assert back.get_model("registry", "LabelAward").objects.get(pk=award.pk).reasons == sentences
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
