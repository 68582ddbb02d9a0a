"""The selection's stored traces as data, and their sentences in the reader's language.

Indicator traces (selection/indicators.py) keep keys and figures: each indicator row its
`metric`, `value`, `bands` and chosen `band` ({lower, upper, points}), and a `reason`
when it has no value ({"key": "missing_figure", "year": 2025, "figure": "revenue"}, …);
each direct-pass rule its `kind`, `threshold`, `actual` and `matched`. Names written in
the rubric (indicator, group and rule names) are the round's own words and shown as
written. Decision traces (selection/tiering_rules.py) keep `outcome` and `result`.

A sentence a migration could not read back is kept as {"legacy_text": "..."} in place of
the data (an indicator's `reason`, a rule, the decision trace's root) and shown as written.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from registry.choices import Tier

METRIC_LABELS = {
    "rd_intensity": gettext_lazy("研发投入强度"),
    "revenue_growth": gettext_lazy("营业收入复合增长率"),
    "main_business_share": gettext_lazy("主营业务收入占比"),
    "rd_staff_share": gettext_lazy("研发人员占比"),
    "invention_patents": gettext_lazy("发明专利数"),
    "software_copyrights": gettext_lazy("软件著作权数"),
    "ip_count": gettext_lazy("知识产权折算数（发明专利 + 软件著作权 × 0.2）"),
    "debt_ratio": gettext_lazy("资产负债率"),
    "financing_3y": gettext_lazy("近三年股权融资额"),
}
METRIC_UNITS = {
    "invention_patents": "项",
    "software_copyrights": "项",
    "ip_count": "项",
    "financing_3y": "元",
}  # the others are percentages
FIGURE_NAMES = {
    "revenue": gettext_lazy("营业收入"),
    "main_business_revenue": gettext_lazy("主营业务收入"),
    "rd_expense": gettext_lazy("研发费用"),
    "rd_staff": gettext_lazy("研发人员数"),
    "employees": gettext_lazy("从业人员数"),
    "invention_patents": gettext_lazy("发明专利数"),
    "software_copyrights": gettext_lazy("软件著作权数"),
    "debt_ratio": gettext_lazy("资产负债率"),
}
LEVEL_NAMES = {
    "none": pgettext_lazy("level", "无"),
    "municipal": gettext_lazy("市级"),
    "provincial": gettext_lazy("省级"),
    "national": gettext_lazy("国家级"),
}
RULE_KINDS = {"award": gettext_lazy("科技奖励"), "rd_institution": gettext_lazy("经认定的研发机构")}


def _with_unit(number: str, metric: str) -> str:
    unit = METRIC_UNITS.get(metric, "%")
    if unit == "%":
        return f"{number}%"
    if unit == "项":
        return pgettext("number with unit", "%(n)s项") % {"n": number}
    return pgettext("number with unit", "%(n)s元") % {"n": number}


def band_label(band: dict | None, metric: str) -> str:
    """A band as the reader reads it: 3% ≤ 值 < 5%, ≥ 5%, 任意值."""
    if band is None:
        return "—"
    lower, upper = band.get("lower"), band.get("upper")
    if lower is None and upper is None:
        return _("任意值")
    if lower is None:
        return f"< {_with_unit(upper, metric)}"
    if upper is None:
        return f"≥ {_with_unit(lower, metric)}"
    return _("%(lower)s ≤ 值 < %(upper)s") % {
        "lower": _with_unit(lower, metric),
        "upper": _with_unit(upper, metric),
    }


def _figure(key):
    return FIGURE_NAMES.get(key, key)


REASONS = {
    "missing_figure": lambda r: (
        _("%(year)s 年缺少%(figure)s数据") % {"year": r["year"], "figure": _figure(r["figure"])}
    ),
    "zero_denominator": lambda r: (
        _("%(year)s 年%(figure)s为 0，无法计算比例")
        % {"year": r["year"], "figure": _figure(r["figure"])}
    ),
    "one_year": lambda r: _("仅有一个年度的数据，无法计算增长率"),
    "zero_revenue": lambda r: _("%(year)s 年营业收入为 0，无法计算增长率") % r,
    "no_figures": lambda r: _("未提供任何年度数据"),
    "out_of_bands": lambda r: _("数值不在任何分档内，得 0 分"),
}


def render_reason(reason) -> str:
    """Why an indicator has no points from its value ("" when it has a band)."""
    if not reason:
        return ""
    if "legacy_text" in reason:
        return reason["legacy_text"]
    return REASONS[reason["key"]](reason)


def _level(key):
    return str(LEVEL_NAMES[key]) if key in LEVEL_NAMES else _("未知（%(level)s）") % {"level": key}


def render_rule(rule: dict) -> str:
    """A direct-pass rule's verdict: 科技奖励级别：国家级，要求省级及以上，符合。"""
    if "legacy_text" in rule:
        return rule["legacy_text"]
    if rule["kind"] == "equity_financing":
        what = _("近三年合格股权融资额 %(actual)s 元，要求不低于 %(threshold)s 元") % rule
    else:
        what = _("%(kind)s级别：%(actual)s，要求%(threshold)s及以上") % {
            "kind": RULE_KINDS[rule["kind"]],
            "actual": _level(rule["actual"]),
            "threshold": _level(rule["threshold"]),
        }
    verdict = _("%(what)s，符合。") if rule["matched"] else _("%(what)s，不符合。")
    return verdict % {"what": what}


def render_summary(trace: dict) -> str:
    """The conclusion: 指标得分 72.50 分，及格线 60 分；…。结论：符合指标要求。"""
    score, pass_mark = Decimal(trace["score"]), Decimal(trace["pass_mark"])
    failed = [g for g in trace.get("groups", []) if not g["minimum_met"]]
    figures = {"score": trace["score"], "mark": trace["pass_mark"]}
    notes = [_("指标得分 %(score)s 分，及格线 %(mark)s 分") % figures]
    if score < pass_mark:
        notes.append(_("得分未达到及格线"))
    notes += [_("“%(name)s”组 %(points)s 分，低于最低分 %(minimum)s 分") % g for g in failed]
    if score >= pass_mark and not failed:
        notes.append(_("达到及格线且各组均达到最低分"))
    matched = [r["label"] for r in trace.get("direct_pass_rules", []) if r["matched"]]
    if matched:
        notes.append(
            _("符合直通条件（视同满足评价指标要求）：%(rules)s")
            % {"rules": pgettext("list separator", "、").join(matched)}
        )
    text = pgettext("clause separator", "；").join(notes)
    if trace.get("eligible"):
        return _("%(notes)s。结论：符合指标要求。") % {"notes": text}
    return _("%(notes)s。结论：不符合指标要求。") % {"notes": text}


def render_indicator_trace(trace, language: str | None = None) -> dict | None:
    """What a page or the API shows of an indicator trace, in the active language (or
    `language`): per indicator its value, band and why it has none; per direct-pass rule
    its verdict; the summary. Built from the stored data, no query."""
    if language:
        with translation.override(language):
            return render_indicator_trace(trace)
    if not trace:
        return None
    indicators = []
    for row in trace.get("indicators", []):
        metric = row.get("metric", "")
        value = row.get("value")
        indicators.append(
            {
                "code": row.get("code"),
                "name": row.get("name"),
                "metric_label": str(METRIC_LABELS.get(metric, metric)),
                "value": None if value is None else _with_unit(value, metric),
                "band": band_label(row.get("band"), metric) if row.get("band") else "—",
                "points": row.get("points"),
                "reason": render_reason(row.get("reason")),
            }
        )
    return {
        "indicators": indicators,
        "groups": trace.get("groups", []),
        "direct_pass_rules": [
            {"code": r.get("code"), "matched": r.get("matched"), "text": render_rule(r)}
            for r in trace.get("direct_pass_rules", [])
        ],
        "summary": render_summary(trace),
    }


DECISIONS = {
    "not_eligible": lambda trace: _("指标得分未达及格线或分组最低分，且不符合直通条件"),
    "proposed": lambda trace: _("拟定为%(tier)s") % {"tier": Tier(trace["result"]).label},
    "no_tier": lambda trace: _("未满足任何层级的条件或名额已满"),
}


def render_decision(trace, language: str | None = None) -> str:
    """Why the tiering job proposed what it did, in the active language (or `language`)."""
    if language:
        with translation.override(language):
            return render_decision(trace)
    if not trace:
        return ""
    if "legacy_text" in trace:
        return trace["legacy_text"]
    outcome = trace.get("outcome")
    return DECISIONS[outcome](trace) if outcome in DECISIONS else ""
