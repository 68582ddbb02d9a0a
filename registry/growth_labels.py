"""Growth labels (瞪羚 / 潜在独角兽 / 独角兽) recognised from monitoring data.

Pure Python (no Django, no database). Rules are data: ``LabelRules``, defaults from
``default_rules()``, so a jurisdiction can change thresholds. Each decision explains
itself: one reason per condition, as data with the value and the threshold (keys and
figures; registry/label_explanations.py renders them in the reader's language).

Definitions and boundary choices (defaults):

- **Age**: completed years from ``founded_on`` to ``as_of`` (founded 2015-07-01: 9 on
  2025-06-30, 10 on 2025-07-01; founded 29 Feb: a year completes on 1 Mar in common years).
  ``as_of`` before ``founded_on`` grants no age-dependent label.
- **Valuation**: post-money, yuan. USD thresholds are converted with ``usd_cny`` (yuan per
  dollar, a parameter, never part of the rules) and compared exactly in yuan:
  ``valuation_yuan >= threshold_usd * usd_cny``.
- **unicorn**: age ≤ 10, listing status "unlisted", valuation ≥ US$1bn.
- **prospective_unicorn**: (age ≤ 5 and valuation ≥ US$50m) or (5 < age ≤ 9 and
  US$100m ≤ valuation < US$1bn); no overlap at 5. No listing condition by default (the
  issue names none); ``unlisted_only=True`` adds one.
- At most one label of ``rules.exclusive`` is held; the first listed wins (unicorn).
- **gazelle**: base-year revenue ≥ 10,000,000 yuan and 3-year revenue CAGR ≥ 20%. The
  latest year is the latest year ≤ ``as_of.year`` with a revenue, the base year 3 years
  earlier (years between are not needed). CAGR = (latest / base)^(1/3) − 1 as a percentage
  rounded to 2 places ROUND_HALF_UP (computed exactly with Decimal); the rounded value is
  compared, so 19.995% counts as 20.00%. A missing latest or base year, base ≤ 0 or a
  negative latest revenue is "not computable": not granted, with the reason. gazelle can
  be held together with either unicorn label.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

UNICORN, PROSPECTIVE_UNICORN, GAZELLE = "unicorn", "prospective_unicorn", "gazelle"
LABEL_NAMES = {UNICORN: "独角兽", PROSPECTIVE_UNICORN: "潜在独角兽", GAZELLE: "瞪羚"}
CENT, HALF_CENT = Decimal("0.01"), Decimal("0.005")
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Band:
    """One age-and-valuation branch: age_over < age ≤ age_at_most and
    valuation_at_least_usd ≤ valuation < valuation_below_usd (None: no bound)."""

    age_at_most: int
    valuation_at_least_usd: Decimal
    age_over: int | None = None
    valuation_below_usd: Decimal | None = None


@dataclass(frozen=True)
class ValuationRule:
    """Granted when the listing condition holds and any one band matches."""

    bands: tuple[Band, ...]
    unlisted_only: bool = False
    unlisted_statuses: frozenset[str] = frozenset({"unlisted"})


@dataclass(frozen=True)
class GazelleRule:
    years: int = 3
    min_cagr_percent: Decimal = Decimal("20")
    min_base_revenue_yuan: Decimal = Decimal("10000000")


@dataclass(frozen=True)
class LabelRules:
    unicorn: ValuationRule = ValuationRule((Band(10, 1000 * MILLION),), unlisted_only=True)
    prospective_unicorn: ValuationRule = ValuationRule(
        (Band(5, 50 * MILLION), Band(9, 100 * MILLION, 5, valuation_below_usd=1000 * MILLION))
    )
    gazelle: GazelleRule = field(default_factory=GazelleRule)
    exclusive: tuple[str, ...] = (UNICORN, PROSPECTIVE_UNICORN)  # precedence order


@dataclass(frozen=True)
class EnterpriseFacts:
    founded_on: date
    listing_status: str = "unlisted"
    valuation_yuan: Decimal | None = None
    revenues: dict[int, Decimal] = field(default_factory=dict)  # year -> revenue, yuan


@dataclass(frozen=True)
class LabelDecision:
    label: str
    granted: bool
    reasons: list[dict]


def default_rules() -> LabelRules:
    return LabelRules()


def age_in_years(founded_on: date, as_of: date) -> int:
    """Completed years from founded_on to as_of (negative if as_of is earlier)."""
    before_anniversary = (as_of.month, as_of.day) < (founded_on.month, founded_on.day)
    return as_of.year - founded_on.year - before_anniversary


def cagr_percent(base: Decimal, latest: Decimal, years: int) -> Decimal:
    """(latest / base)^(1/years) − 1 in percent, rounded to 2 places half-up, exactly.

    An approximation from Decimal powers is corrected by exact integer-power checks:
    r is right when base·(1 + (r − 0.005)/100)^n ≤ latest < base·(1 + (r + 0.005)/100)^n.
    """
    with localcontext() as ctx:
        ctx.prec = 60 + 10 * years  # enough for the integer powers to be exact
        approx = ((latest / base) ** (Decimal(1) / years) - 1) * 100
        rate = approx.quantize(CENT, rounding=ROUND_HALF_UP)

        def grown(percent: Decimal) -> Decimal:
            return base * (1 + percent / 100) ** years

        while rate > -100 and grown(rate - HALF_CENT) > latest:
            rate -= CENT
        while grown(rate + HALF_CENT) <= latest:
            rate += CENT
        return rate + 0  # +0 turns −0.00 into 0.00


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _valuation_decision(label, rule, facts, age, as_of, usd_cny) -> LabelDecision:
    reasons, listing_ok = [], True
    if rule.unlisted_only:
        listing_ok = facts.listing_status in rule.unlisted_statuses
        reasons.append({"key": "listing", "status": facts.listing_status,
                        "allowed": sorted(rule.unlisted_statuses), "held": listing_ok})  # fmt: skip
    value = facts.valuation_yuan
    band_oks = []
    for number, band in enumerate(rule.bands, 1):
        shown = number if len(rule.bands) > 1 else None
        age_ok = age >= 0 and (band.age_over is None or age > band.age_over)
        age_ok = age_ok and age <= band.age_at_most
        reasons.append(
            {
                "key": "age",
                "band": shown,
                "age": age,
                "founded_on": facts.founded_on.isoformat(),
                "as_of": as_of.isoformat(),
                "over": band.age_over,
                "at_most": band.age_at_most,
                "held": age_ok,
            }
        )
        low = band.valuation_at_least_usd * usd_cny
        value_ok = value is not None and value >= low
        if band.valuation_below_usd is not None:
            value_ok = value_ok and value < band.valuation_below_usd * usd_cny
        reasons.append(
            {
                "key": "valuation",
                "band": shown,
                "value": _plain(value),
                "rate": _plain(usd_cny),
                "at_least_usd": _plain(band.valuation_at_least_usd),
                "below_usd": _plain(band.valuation_below_usd),
                "held": value_ok,
            }
        )
        band_oks.append(age_ok and value_ok)
    return LabelDecision(label, listing_ok and any(band_oks), reasons)


def _gazelle_decision(rule: GazelleRule, facts: EnterpriseFacts, as_of: date) -> LabelDecision:
    def refuse(key: str, **figures) -> LabelDecision:
        return LabelDecision(GAZELLE, False, [{"key": key, **figures}])

    known = {y: v for y, v in facts.revenues.items() if v is not None and y <= as_of.year}
    if not known:
        return refuse("gazelle.no_revenue", year=as_of.year)
    latest_year = max(known)
    base_year = latest_year - rule.years
    if base_year not in known:
        return refuse("gazelle.no_base", latest=latest_year, base=base_year)
    base, latest = known[base_year], known[latest_year]
    if base <= 0:
        return refuse("gazelle.base_not_positive", year=base_year, revenue=_plain(base))
    if latest < 0:
        return refuse("gazelle.latest_negative", year=latest_year, revenue=_plain(latest))
    base_ok = base >= rule.min_base_revenue_yuan
    cagr = cagr_percent(base, latest, rule.years)
    cagr_ok = cagr >= rule.min_cagr_percent
    reasons = [
        {"key": "gazelle.base", "year": base_year, "revenue": _plain(base),
         "min": _plain(rule.min_base_revenue_yuan), "held": base_ok},
        {"key": "gazelle.cagr", "base_year": base_year, "latest_year": latest_year,
         "base": _plain(base), "latest": _plain(latest), "years": rule.years,
         "cagr": _plain(cagr), "min": _plain(rule.min_cagr_percent), "held": cagr_ok},
    ]  # fmt: skip
    return LabelDecision(GAZELLE, base_ok and cagr_ok, reasons)


def evaluate(
    facts: EnterpriseFacts, *, as_of: date, usd_cny: Decimal, rules: LabelRules | None = None
) -> dict[str, LabelDecision]:
    """A decision for every label, with reasons. Raises ValueError on bad rules or rate."""
    rules = rules or default_rules()
    problems = validate_rules(rules)
    if problems:
        raise ValueError("；".join(problems))
    if not isinstance(usd_cny, Decimal) or usd_cny <= 0:
        raise ValueError(f"汇率应为正的 Decimal，收到 {usd_cny!r}")
    age = age_in_years(facts.founded_on, as_of)
    decisions = {
        UNICORN: _valuation_decision(UNICORN, rules.unicorn, facts, age, as_of, usd_cny),
        PROSPECTIVE_UNICORN: _valuation_decision(
            PROSPECTIVE_UNICORN, rules.prospective_unicorn, facts, age, as_of, usd_cny
        ),
        GAZELLE: _gazelle_decision(rules.gazelle, facts, as_of),
    }
    winner = None
    for label in rules.exclusive:
        decision = decisions[label]
        if winner is None:
            winner = label if decision.granted else None
        elif decision.granted:
            note = {"key": "exclusive", "winner": winner, "order": list(rules.exclusive)}
            decisions[label] = replace(decision, granted=False, reasons=[*decision.reasons, note])
    return decisions


def labels_held(
    facts: EnterpriseFacts, *, as_of: date, usd_cny: Decimal, rules: LabelRules | None = None
) -> set[str]:
    decisions = evaluate(facts, as_of=as_of, usd_cny=usd_cny, rules=rules)
    return {label for label, decision in decisions.items() if decision.granted}


def _band_problems(name: str, rule: ValuationRule) -> list[str]:
    problems = [] if rule.bands else [f"{name}：至少需要一个年龄与估值条件"]
    if rule.unlisted_only and not rule.unlisted_statuses:
        problems.append(f"{name}：要求未上市时，未上市状态列表不能为空")
    for number, band in enumerate(rule.bands, 1):
        where = f"{name}条件{number}"
        if band.age_at_most < 0 or (band.age_over is not None and band.age_over < 0):
            problems.append(f"{where}：年龄门槛不能为负数")
        if band.age_over is not None and band.age_over >= band.age_at_most:
            problems.append(f"{where}：年龄下限 {band.age_over} 应小于上限 {band.age_at_most}")
        if band.valuation_at_least_usd < 0:
            problems.append(f"{where}：估值下限不能为负数")
        below = band.valuation_below_usd
        if below is not None and below <= band.valuation_at_least_usd:
            problems.append(
                f"{where}：估值上限 {_money(below)} 美元应大于下限 "
                f"{_money(band.valuation_at_least_usd)} 美元"
            )
    return problems


def validate_rules(rules: LabelRules) -> list[str]:
    """Problems with a rule set, in zh-hans; an empty list means the rules are usable."""
    problems = _band_problems("独角兽", rules.unicorn)
    problems += _band_problems("潜在独角兽", rules.prospective_unicorn)
    gazelle = rules.gazelle
    if gazelle.years < 1:
        problems.append(f"瞪羚：复合增长率的年数应至少为 1，当前为 {gazelle.years}")
    if gazelle.min_base_revenue_yuan < 0:
        problems.append("瞪羚：基期营业收入门槛不能为负数")
    if gazelle.min_cagr_percent < 0:
        problems.append("瞪羚：复合增长率门槛不能为负数")
    unknown = [label for label in rules.exclusive if label not in (UNICORN, PROSPECTIVE_UNICORN)]
    if unknown or len(set(rules.exclusive)) != len(rules.exclusive):
        problems.append(f"互斥标签只能是独角兽、潜在独角兽且不重复，当前为 {rules.exclusive}")
    return problems
