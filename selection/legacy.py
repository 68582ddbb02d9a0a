"""Reading back the zh-hans sentences indicator and decision traces used to hold (until
they became data), for the data migration. Frozen with the old wording; a sentence that
cannot be read back is kept as {"legacy_text": ...} in place of the data.
"""

import re

FIGURES = {
    "营业收入": "revenue",
    "主营业务收入": "main_business_revenue",
    "研发费用": "rd_expense",
    "研发人员数": "rd_staff",
    "从业人员数": "employees",
    "发明专利数": "invention_patents",
    "软件著作权数": "software_copyrights",
    "资产负债率": "debt_ratio",
}
LEVELS = {"无": "none", "市级": "municipal", "省级": "provincial", "国家级": "national"}
FIXED = {
    "仅有一个年度的数据，无法计算增长率": {"key": "one_year"},
    "未提供任何年度数据": {"key": "no_figures"},
    "数值不在任何分档内，得 0 分": {"key": "out_of_bands"},
}
MISSING = re.compile(r"^(\S+) 年缺少(.+)数据$")
ZERO_REVENUE = re.compile(r"^(\d+) 年营业收入为 0，无法计算增长率$")
ZERO_SHARE = re.compile(r"^(\d+) 年(.+)为 0，无法计算比例$")
EQUITY = re.compile(r"^近三年合格股权融资额 (\S+) 元，要求不低于 \S+ 元，(?:符合|不符合)。$")
LEVEL = re.compile(r"^.+级别：(.+)，要求.+及以上，(?:符合|不符合)。$")
PROPOSED = re.compile(r"^拟定为.+$")
OUTCOMES = {
    "指标得分未达及格线或分组最低分，且不符合直通条件": "not_eligible",
    "未满足任何层级的条件或名额已满": "no_tier",
}
SENTENCE_KEYS = ("metric_label", "unit", "summary")


def _year(text):
    return int(text) if text.isdigit() else None


def parse_indicator_reason(text):
    if text is None or isinstance(text, dict):
        return text
    if text in FIXED:
        return dict(FIXED[text])
    if match := ZERO_REVENUE.match(text):
        return {"key": "zero_revenue", "year": int(match[1])}
    if (match := ZERO_SHARE.match(text)) and match[2] in FIGURES:
        return {"key": "zero_denominator", "year": int(match[1]), "figure": FIGURES[match[2]]}
    if (match := MISSING.match(text)) and match[2] in FIGURES:
        return {"key": "missing_figure", "year": _year(match[1]), "figure": FIGURES[match[2]]}
    return {"legacy_text": text}


def _rule(rule):
    reason = rule.get("reason")
    if not isinstance(reason, str):
        return rule, False
    rule = {k: v for k, v in rule.items() if k != "reason"}
    if match := EQUITY.match(reason):
        rule["actual"] = match[1]
        return rule, False
    if match := LEVEL.match(reason):
        level = match[1]
        unknown = re.fullmatch(r"未知（(.*)）", level)
        rule["actual"] = unknown[1] if unknown else LEVELS.get(level)
        if rule["actual"] is not None:
            return rule, False
    rule.pop("actual", None)
    rule["legacy_text"] = reason
    return rule, True


def _band(band):
    return None if band is None else {k: v for k, v in band.items() if k != "label"}


def convert_indicator_trace(trace) -> tuple[dict | None, int]:
    """An old indicator trace as data: (the trace, how many sentences stayed legacy_text)."""
    if not trace:
        return trace, 0
    legacy = 0
    trace = {k: v for k, v in trace.items() if k not in SENTENCE_KEYS}
    rows = []
    for row in trace.get("indicators", []):
        row = {k: v for k, v in row.items() if k not in SENTENCE_KEYS}
        row["reason"] = parse_indicator_reason(row.get("reason"))
        legacy += bool(row["reason"] and "legacy_text" in row["reason"])
        row["bands"] = [_band(b) for b in row.get("bands", [])]
        row["band"] = _band(row.get("band"))
        rows.append(row)
    trace["indicators"] = rows
    rules = []
    for rule in trace.get("direct_pass_rules", []):
        rule, kept = _rule(rule)
        legacy += kept
        rules.append(rule)
    trace["direct_pass_rules"] = rules
    return trace, legacy


def convert_decision_trace(trace) -> tuple[dict | None, int]:
    """An old decision trace as data: `reason` becomes `outcome` (or legacy_text)."""
    if not trace or not isinstance(trace.get("reason"), str):
        return trace, 0
    trace = dict(trace)
    reason = trace.pop("reason")
    if reason in OUTCOMES:
        trace["outcome"] = OUTCOMES[reason]
    elif PROPOSED.match(reason) and trace.get("result"):
        trace["outcome"] = "proposed"
    else:
        trace["legacy_text"] = reason
        return trace, 1
    return trace, 0


def needs_conversion(indicator_trace, decision_trace) -> bool:
    """Whether a row still holds the old sentences."""
    old_indicator = bool(indicator_trace) and (
        "summary" in indicator_trace
        or any(isinstance(r.get("reason"), str) for r in indicator_trace.get("indicators", []))
        or any("reason" in r for r in indicator_trace.get("direct_pass_rules", []))
    )
    old_decision = bool(decision_trace) and isinstance(decision_trace.get("reason"), str)
    return old_indicator or old_decision
