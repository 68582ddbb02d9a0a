"""Indicator score (指标评分) for the annual selection, on plain data.

Banded point tables over an enterprise's yearly figures, per-group minimums, a
pass mark and direct-pass rules (直通条件) — the shape of MIIT's 优质中小企业梯度
培育 standards. No models, no database: the same inputs always give the same
result, and every result carries a JSON-serialisable trace showing each
indicator's value, all of its bands, the band chosen and the points, each group
against its minimum, and every direct-pass rule's verdict.

Rubric (a dict, or any object with these attributes; see default_rubric.py):
    groups:      [{code, name, minimum}]
    indicators:  [{code, name, group, metric, bands: [(lower, upper, points), ...]}]
    pass_mark:   Decimal, default 60 on a 100-point scale
    direct_pass: [{code, label, kind, threshold?}], kind in RULE_KINDS; the threshold
                 is yuan for equity_financing (default 5,000,000) and a minimum level
                 for award / rd_institution (default provincial): a LEVELS name, or its
                 rank 0–3 so that a numeric column can hold it.
A band contains v when lower <= v < upper; None on either side is open-ended.
Numbers may be Decimal, int or numeric strings (as a JSON column holds them).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import combinations

from config.errors import DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
FULL_MARKS = Decimal(100)
DEFAULT_PASS_MARK = Decimal(60)
DEFAULT_FINANCING_THRESHOLD = Decimal("5000000")
# MIIT's standards class invention patents as Ⅰ类 and software copyrights as Ⅱ类
# IP; counting five Ⅱ类 as one Ⅰ类 is this portal's choice, so that a pile of
# copyrights cannot outweigh core patents.
COPYRIGHT_WEIGHT = Decimal("0.2")
LEVELS = {"none": 0, "municipal": 1, "provincial": 2, "national": 3}
LEVEL_NAMES = {"none": "无", "municipal": "市级", "provincial": "省级", "national": "国家级"}
RULE_KINDS = {
    "award": "科技奖励",
    "rd_institution": "经认定的研发机构",
    "equity_financing": "股权融资",
}
FIELD_NAMES = {
    "revenue": "营业收入",
    "main_business_revenue": "主营业务收入",
    "rd_expense": "研发费用",
    "rd_staff": "研发人员数",
    "employees": "从业人员数",
    "invention_patents": "发明专利数",
    "software_copyrights": "软件著作权数",
    "debt_ratio": "资产负债率",
}


class RubricError(DomainError):
    """The rubric is not usable; `problems` lists why, in zh-hans."""

    def __init__(self, problems):
        super().__init__("评分表有误：" + "；".join(problems), field="rubric")
        self.problems = problems


class _NotComputable(Exception):
    """A metric cannot be computed from the figures; the argument says why, as data:
    {"key": "missing_figure" | "zero_denominator" | "one_year" | "zero_revenue" |
    "no_figures", "year"?, "figure"?} (selection/explanations.py renders it)."""


@dataclass(frozen=True)
class IndicatorResult:
    score: Decimal  # two places, ROUND_HALF_UP
    passed: bool  # score >= pass mark and every group minimum met
    direct_pass: bool  # some direct-pass rule matched
    eligible: bool  # passed or direct_pass
    trace: dict  # JSON-serialisable: Decimals as strings, keys not sentences (see below)


# --- metrics -------------------------------------------------------------------
# Each takes the figures sorted by year (at least one) and returns a Decimal, or
# raises _NotComputable. Percentages are rounded to two places half-up *before*
# banding, so the value shown is exactly the value judged.


def _dec(value) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise TypeError("not a number")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _figure(row, key) -> Decimal:
    try:
        return _dec(row.get(key))
    except (TypeError, InvalidOperation):
        raise _NotComputable(
            {"key": "missing_figure", "year": row.get("year"), "figure": key}
        ) from None


def _share(row, numerator, denominator) -> Decimal:
    top, bottom = _figure(row, numerator), _figure(row, denominator)
    if bottom <= 0:
        raise _NotComputable(
            {"key": "zero_denominator", "year": row["year"], "figure": denominator}
        )
    return (top / bottom * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def rd_intensity_or_none(years) -> Decimal | None:
    """R&D intensity for ranking ties: None when it cannot be computed."""
    try:
        return rd_intensity(years) if years else None
    except _NotComputable:
        return None


def rd_intensity(years) -> Decimal:
    """研发投入强度 (%): latest year's rd_expense / revenue × 100. The latest year
    only, as MIIT's 创新型中小企业 standard (上年度研发投入占比) does."""
    return _share(years[-1], "rd_expense", "revenue")


def revenue_growth(years) -> Decimal:
    """营业收入复合增长率 (%): ((R_latest / R_first) ** (1 / span) − 1) × 100, span
    being the years between the first and the latest year provided. Not computable
    from one year, or when the first year's revenue is zero."""
    first, last = years[0], years[-1]
    span = int(last["year"]) - int(first["year"])
    if span <= 0:
        raise _NotComputable({"key": "one_year"})
    start, end = _figure(first, "revenue"), _figure(last, "revenue")
    if start <= 0 or end < 0:
        raise _NotComputable({"key": "zero_revenue", "year": first["year"]})
    ratio = end / start
    factor = ratio if span == 1 else ratio ** (Decimal(1) / span)
    return ((factor - 1) * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def main_business_share(years) -> Decimal:
    """主营业务收入占比 (%): latest year's main_business_revenue / revenue × 100."""
    return _share(years[-1], "main_business_revenue", "revenue")


def rd_staff_share(years) -> Decimal:
    """研发人员占比 (%): latest year's rd_staff / employees × 100."""
    return _share(years[-1], "rd_staff", "employees")


def invention_patents(years) -> Decimal:
    """发明专利数 (项): the latest year's count of valid invention patents."""
    return _figure(years[-1], "invention_patents")


def software_copyrights(years) -> Decimal:
    """软件著作权数 (项): the latest year's count of software copyrights."""
    return _figure(years[-1], "software_copyrights")


def ip_count(years) -> Decimal:
    """知识产权折算数 (项): latest invention patents + 0.2 × software copyrights."""
    return invention_patents(years) + COPYRIGHT_WEIGHT * software_copyrights(years)


def debt_ratio(years) -> Decimal:
    """资产负债率 (%): the latest year's debt ratio as reported; lower is better."""
    return _figure(years[-1], "debt_ratio").quantize(CENT, ROUND_HALF_UP)


def financing_3y(years) -> Decimal:
    """近三年股权融资额 (元): financing_raised summed over the provided years within
    the three years ending with the latest one; a missing value counts as 0."""
    latest = int(years[-1]["year"])
    recent = (row.get("financing_raised") or 0 for row in years if int(row["year"]) > latest - 3)
    return sum((_dec(value) for value in recent), Decimal(0)).quantize(CENT, ROUND_HALF_UP)


# key -> (label, unit, function)
METRICS = {
    "rd_intensity": ("研发投入强度", "%", rd_intensity),
    "revenue_growth": ("营业收入复合增长率", "%", revenue_growth),
    "main_business_share": ("主营业务收入占比", "%", main_business_share),
    "rd_staff_share": ("研发人员占比", "%", rd_staff_share),
    "invention_patents": ("发明专利数", "项", invention_patents),
    "software_copyrights": ("软件著作权数", "项", software_copyrights),
    "ip_count": ("知识产权折算数（发明专利 + 软件著作权 × 0.2）", "项", ip_count),
    "debt_ratio": ("资产负债率", "%", debt_ratio),
    "financing_3y": ("近三年股权融资额", "元", financing_3y),
}


def _metric_details(figures) -> dict[str, tuple[Decimal | None, str | None]]:
    years = sorted(figures, key=lambda row: int(row["year"]))
    details = {}
    for key, (_label, _unit, compute) in METRICS.items():
        try:
            if not years:
                raise _NotComputable({"key": "no_figures"})
            details[key] = (compute(years), None)
        except _NotComputable as reason:
            details[key] = (None, reason.args[0])
    return details


def metric_values(figures) -> dict[str, Decimal | None]:
    """Every metric for these figures (None where not computable), keyed as METRICS."""
    return {key: value for key, (value, _reason) in _metric_details(figures).items()}


# --- rubric access -----------------------------------------------------------------


def _get(obj, name, default=None):
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


def _bound(value) -> Decimal | None:
    return None if value is None else _dec(value)


def _bands(indicator) -> list[tuple[Decimal | None, Decimal | None, Decimal]]:
    """Bands as Decimal triples; accepts (lower, upper, points) sequences or dicts."""
    bands = []
    for band in _get(indicator, "bands") or []:
        if isinstance(band, Mapping):
            band = (band.get("lower"), band.get("upper"), band.get("points"))
        lower, upper, points = band
        bands.append((_bound(lower), _bound(upper), _dec(points)))
    return bands


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")


def _band_label(lower, upper, unit) -> str:
    if lower is None and upper is None:
        return "任意值"
    if lower is None:
        return f"< {_text(upper)}{unit}"
    if upper is None:
        return f"≥ {_text(lower)}{unit}"
    return f"{_text(lower)}{unit} ≤ 值 < {_text(upper)}{unit}"


def _band_trace(band) -> dict:
    lower, upper, points = band
    return {"lower": _text(lower), "upper": _text(upper), "points": _text(points)}


def _contains(band, value) -> bool:
    lower, upper, _points = band
    return (lower is None or value >= lower) and (upper is None or value < upper)


def _pass_mark(rubric) -> Decimal:
    mark = _get(rubric, "pass_mark")
    return DEFAULT_PASS_MARK if mark is None else _dec(mark)


# --- validation ------------------------------------------------------------------


def validate_rubric(rubric) -> list[str]:
    """Everything wrong with the rubric, as zh-hans sentences; [] when usable."""
    problems = []
    groups = list(_get(rubric, "groups") or [])
    indicators = list(_get(rubric, "indicators") or [])
    rules = list(_get(rubric, "direct_pass") or [])
    if not groups or not indicators:
        problems.append("评分表至少需要一个指标组和一个指标。")
    for items, what in ((groups, "指标组"), (indicators, "指标"), (rules, "直通条件")):
        codes = [_get(item, "code") for item in items]
        for code in sorted({c for c in codes if codes.count(c) > 1}, key=str):
            problems.append(f"{what}代码“{code}”重复。")
    group_max = {_get(group, "code"): Decimal(0) for group in groups}
    total = Decimal(0)
    for indicator in indicators:
        best = _indicator_problems(indicator, group_max, problems)
        total += best
        if _get(indicator, "group") in group_max:
            group_max[_get(indicator, "group")] += best
    for group in groups:
        _group_problems(group, group_max[_get(group, "code")], indicators, problems)
    if indicators and total != FULL_MARKS:
        problems.append(f"各指标最高分合计为 {_text(total)} 分，应为 100 分。")
    try:
        if not 0 < _pass_mark(rubric) <= FULL_MARKS:
            problems.append("及格线应大于 0 且不超过 100 分。")
    except (TypeError, ValueError, InvalidOperation):
        problems.append("及格线不是数字。")
    for rule in rules:
        problems.extend(_rule_problems(rule))
    return problems


def _indicator_problems(indicator, group_max, problems) -> Decimal:
    """Append the indicator's problems; return its maximum points (0 if unusable)."""
    where = f"指标“{_get(indicator, 'name') or _get(indicator, 'code')}”"
    metric, group = _get(indicator, "metric"), _get(indicator, "group")
    if metric not in METRICS:
        problems.append(f"{where}使用了未知的计算口径“{metric}”。")
    if group not in group_max:
        problems.append(f"{where}所属的指标组“{group}”不存在。")
    try:
        bands = _bands(indicator)
    except (TypeError, ValueError, InvalidOperation):
        problems.append(f"{where}的分档格式有误，每档应为 (下限, 上限, 分值)。")
        return Decimal(0)
    if not bands:
        problems.append(f"{where}没有分档。")
        return Decimal(0)
    unit = METRICS[metric][1] if metric in METRICS else ""
    for lower, upper, points in bands:
        label = _band_label(lower, upper, unit)
        if points < 0:
            problems.append(f"{where}的分档“{label}”分值为负数。")
        if lower is not None and upper is not None and lower >= upper:
            problems.append(f"{where}的分档“{label}”下限不小于上限。")
    for one, other in combinations(bands, 2):
        if _overlap(one, other):
            problems.append(
                f"{where}的分档“{_band_label(*one[:2], unit)}”与"
                f"“{_band_label(*other[:2], unit)}”重叠。"
            )
    return max(points for _lower, _upper, points in bands)


def _group_problems(group, maximum, indicators, problems) -> None:
    code, name = _get(group, "code"), _get(group, "name") or _get(group, "code")
    if not any(_get(indicator, "group") == code for indicator in indicators):
        problems.append(f"指标组“{name}”没有指标。")
    try:
        minimum = _dec(_get(group, "minimum") or 0)
    except (TypeError, ValueError, InvalidOperation):
        problems.append(f"指标组“{name}”的最低分不是数字。")
        return
    if minimum < 0:
        problems.append(f"指标组“{name}”的最低分为负数。")
    elif minimum > maximum:
        problems.append(
            f"指标组“{name}”的最低分 {_text(minimum)} 高于该组最高可得分 {_text(maximum)}。"
        )


def _overlap(one, other) -> bool:
    lower = (b[0] if b[0] is not None else Decimal("-Infinity") for b in (one, other))
    upper = (b[1] if b[1] is not None else Decimal("Infinity") for b in (one, other))
    return max(lower) < min(upper)


def _rule_problems(rule) -> list[str]:
    kind, threshold = _get(rule, "kind"), _get(rule, "threshold")
    where = f"直通条件“{_get(rule, 'label') or _get(rule, 'code')}”"
    if kind not in RULE_KINDS:
        return [f"{where}的类型“{kind}”未知。"]
    if kind == "equity_financing":
        try:
            if threshold is not None and _dec(threshold) <= 0:
                return [f"{where}的融资额门槛应大于 0，否则所有申请都会直通。"]
        except (TypeError, ValueError, InvalidOperation):
            return [f"{where}的融资额门槛不是数字。"]
    elif _level(threshold) is None:
        names = "/".join(LEVELS)
        return [f"{where}的级别门槛“{threshold}”应为 {names} 之一（或级别序号 0–3）。"]
    elif _level(threshold) == "none":
        return [f"{where}的级别门槛不能为“无”，否则所有申请都会直通。"]
    return []


# --- scoring ---------------------------------------------------------------------


def _level(threshold) -> str | None:
    """The minimum level a rule asks for: a LEVELS name or rank; None if neither."""
    if threshold is None:
        return "provincial"
    if isinstance(threshold, str) and threshold in LEVELS:
        return threshold
    ranks = {Decimal(rank): name for name, rank in LEVELS.items()}
    try:
        return ranks.get(_dec(threshold))
    except (TypeError, ValueError, InvalidOperation):
        return None


def _check_rule(rule, metrics, facts) -> dict:
    kind, threshold = _get(rule, "kind"), _get(rule, "threshold")
    if kind == "equity_financing":
        need = DEFAULT_FINANCING_THRESHOLD if threshold is None else _dec(threshold)
        have = metrics["financing_3y"][0] or Decimal(0)
        matched = have >= need
    else:
        need = _level(threshold)
        have = _get(facts, "award_level" if kind == "award" else "rd_institution") or "none"
        matched = LEVELS.get(have, -1) >= LEVELS[need]
    return {
        "code": _get(rule, "code"),
        "label": _get(rule, "label"),
        "kind": kind,
        "threshold": _text(need) if isinstance(need, Decimal) else need,
        "actual": _text(have) if isinstance(have, Decimal) else have,
        "matched": matched,
    }


def _score_indicator(indicator, metrics) -> tuple[dict, Decimal, Decimal]:
    """The trace row, the points and the maximum points of one indicator."""
    metric = _get(indicator, "metric")
    value, reason = metrics[metric]
    bands = _bands(indicator)
    inside = [band for band in bands if value is not None and _contains(band, value)]
    # Validation refuses overlapping bands; were any left, the most points win.
    chosen = max(inside, key=lambda band: band[2]) if inside else None
    if value is not None and chosen is None:
        reason = {"key": "out_of_bands"}
    points = chosen[2] if chosen else Decimal(0)
    row = {
        "code": _get(indicator, "code"),
        "name": _get(indicator, "name"),
        "group": _get(indicator, "group"),
        "metric": metric,
        "value": _text(value),
        "reason": reason,
        "bands": [_band_trace(band) for band in bands],
        "band": _band_trace(chosen) if chosen else None,
        "points": _text(points.quantize(CENT, ROUND_HALF_UP)),
    }
    return row, points, max(band[2] for band in bands)


def score_application(figures, rubric, facts=None) -> IndicatorResult:
    """Score one application's figures against a rubric; raises RubricError if the
    rubric fails validate_rubric. `facts` holds award_level and rd_institution."""
    problems = validate_rubric(rubric)
    if problems:
        raise RubricError(problems)
    metrics = _metric_details(figures)
    indicator_rows, earned, possible = [], {}, {}
    for indicator in _get(rubric, "indicators"):
        row, points, maximum = _score_indicator(indicator, metrics)
        indicator_rows.append(row)
        earned[row["group"]] = earned.get(row["group"], Decimal(0)) + points
        possible[row["group"]] = possible.get(row["group"], Decimal(0)) + maximum
    group_rows = []
    for group in _get(rubric, "groups"):
        code, minimum = _get(group, "code"), _dec(_get(group, "minimum") or 0)
        points = earned[code].quantize(CENT, ROUND_HALF_UP)  # judged as shown
        group_rows.append(
            {
                "code": code,
                "name": _get(group, "name"),
                "points": _text(points),
                "max_points": _text(possible[code]),
                "minimum": _text(minimum),
                "minimum_met": points >= minimum,
            }
        )
    score = sum(earned.values(), Decimal(0)).quantize(CENT, ROUND_HALF_UP)
    pass_mark = _pass_mark(rubric)
    failed = [row for row in group_rows if not row["minimum_met"]]
    passed = score >= pass_mark and not failed
    rules = [_check_rule(rule, metrics, facts or {}) for rule in _get(rubric, "direct_pass") or []]
    direct_pass = any(rule["matched"] for rule in rules)
    trace = {
        "score": _text(score),
        "max_score": _text(FULL_MARKS),
        "pass_mark": _text(pass_mark),
        "passed": passed,
        "direct_pass": direct_pass,
        "eligible": passed or direct_pass,
        "years": sorted(int(row["year"]) for row in figures),
        "indicators": indicator_rows,
        "groups": group_rows,
        "direct_pass_rules": rules,
    }
    return IndicatorResult(score, passed, direct_pass, passed or direct_pass, trace)
