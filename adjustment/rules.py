"""Dynamic adjustment (动态调整): the rules as data, and the decision for one registry entry.

Pure Python (no database). A jurisdiction's rules are a dict (stored per region in
`AdjustmentRules`, defaults below); tier conditions use the policy condition engine
(conditions/engine.py), so staff write them in the same vocabulary as policies.

Defaults, and why (modelled on MIIT's 优质中小企业梯度培育管理暂行办法, 2022, whose three
levels map onto our ladder; figures are the latest report's, amounts in yuan):

- **potential 潜力型** holds while the enterprise shows any innovation: R&D intensity ≥ 3%,
  or ≥ 1 invention patent, or ≥ 2 software copyrights.
- **growth 成长型**: revenue ≥ 10 million, R&D intensity ≥ 3%, and ≥ 1 invention patent
  or ≥ 5 software copyrights (the 专精特新 thresholds).
- **leading 领军型**: revenue ≥ 100 million, R&D intensity ≥ 3% and ≥ 5 invention patents
  (the 小巨人 scale) — or a growth label: a (prospective) unicorn leads by valuation.

Decisions, in order (the first that applies is the proposal; all reasons are kept):

1. **exit** (退出) when: a deregistration, serious-violation or dishonesty record is in
   force; the enterprise is registered outside the jurisdiction that cultivates it; or
   no report was submitted for `exit_after_missing_years` consecutive years, counting
   only years whose report fell due (30 April of the next year) after admission.
2. **graduate** (毕业) when it is listed on an exchange (`graduate_listing`; the NEEQ is
   not an exchange listing).
3. **upgrade** to the highest tier above the current one whose conditions the year's
   report meets (a jump of two levels is allowed: the figures are what they are).
4. **downgrade** when the current tier's conditions failed in each of the last
   `downgrade_after_years` reports (all of them present: a missing report is judged by
   the exit rule, not guessed), to the highest lower tier the year's report meets, else
   the lowest tier. The lowest tier is never downgraded (failing it leads nowhere).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from conditions import engine as conditions
from registry.choices import ListingStatus, RecordKind, Tier

LADDER = tuple(Tier.values)  # lowest first
MILLION = 1_000_000


def _gte(name, value):
    return {"field": name, "op": "gte", "value": value}


DEFAULT_RULES = {
    "tiers": {
        Tier.POTENTIAL.value: {
            "any": [
                _gte("rd_intensity", 3),
                _gte("invention_patents", 1),
                _gte("software_copyrights", 2),
            ]
        },
        Tier.GROWTH.value: {
            "all": [
                _gte("revenue", 10 * MILLION),
                _gte("rd_intensity", 3),
                {"any": [_gte("invention_patents", 1), _gte("software_copyrights", 5)]},
            ]
        },
        Tier.LEADING.value: {
            "any": [
                {
                    "all": [
                        _gte("revenue", 100 * MILLION),
                        _gte("rd_intensity", 3),
                        _gte("invention_patents", 5),
                    ]
                },
                {"field": "labels", "op": "has_any", "value": ["unicorn", "prospective_unicorn"]},
            ]
        },
    },
    "downgrade_after_years": 2,
    "exit_after_missing_years": 2,
    "graduate_listing": [
        ListingStatus.MAIN_BOARD.value,
        ListingStatus.STAR.value,
        ListingStatus.CHINEXT.value,
        ListingStatus.BSE.value,
        ListingStatus.HKEX.value,
        ListingStatus.OVERSEAS.value,
    ],
    "exit_records": list(RecordKind.values),
}
YEARS_RANGE = range(1, 6)


def validate_rules(rules) -> list[str]:
    """Every problem with a rule set, in zh-hans; [] when it can be used."""
    if not isinstance(rules, dict):
        return ["规则必须是 JSON 对象"]
    problems = []
    tiers = rules.get("tiers")
    if not isinstance(tiers, dict) or set(tiers) != set(LADDER):
        names = "、".join(str(label) for label in Tier.labels)
        problems.append(f"必须为每个层级（{names}）各写一组条件")
    else:
        for tier, spec in tiers.items():
            label = Tier(tier).label
            problems += [f"{label}：{p}" for p in conditions.validate(spec)]
    for key, label in (("downgrade_after_years", "降级所需连续年数"),
                       ("exit_after_missing_years", "未报送退出年数")):  # fmt: skip
        value = rules.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value not in YEARS_RANGE:
            problems.append(f"{label}必须是 1 至 5 的整数")
    for key, allowed, label in (
        ("graduate_listing", ListingStatus.values, "毕业的上市状态"),
        ("exit_records", RecordKind.values, "退出的记录类型"),
    ):
        value = rules.get(key)
        if not isinstance(value, list) or not set(value) <= set(allowed):
            problems.append(f"{label}只能从以下选择：{'、'.join(allowed)}")
    extra = set(rules) - set(DEFAULT_RULES)
    if extra:
        problems.append("不允许的键：" + "、".join(sorted(map(str, extra))))
    return problems


@dataclass(frozen=True)
class Record:
    kind: str
    occurred_on: date
    source: str


@dataclass(frozen=True)
class EntryState:
    """What the decision reads about one registry entry."""

    tier: str
    admitted_on: date
    region_path: str
    jurisdiction_path: str | None
    jurisdiction_name: str
    listing_status: str
    records: tuple[Record, ...] = ()
    # year -> the engine's facts from that year's counted report, or None (no report)
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    kind: str  # upgrade | downgrade | exit | graduate
    to_tier: str  # "" for exit and graduate
    reasons: tuple[dict, ...]  # keys and figures; adjustment/explanations.py renders them
    figures: dict  # year -> {field: value as text} behind the reasons


def report_due(year: int) -> date:
    return date(year + 1, 4, 30)


class Prepared:
    """A rule set with its tier conditions validated and compiled once (for the job)."""

    def __init__(self, rules: dict):
        self.rules = rules
        self.tiers = {tier: conditions.Rule(spec) for tier, spec in rules["tiers"].items()}

    def __getitem__(self, key):
        return self.rules[key]


def decide(state: EntryState, rules, *, year: int) -> Finding | None:
    """The proposal the rules make for this entry for report year `year`, or None.
    `rules` is a rule-set dict or, in a job, its `Prepared` form."""
    if not isinstance(rules, Prepared):
        rules = Prepared(rules)
    exit_reasons = _exit_reasons(state, rules, year)
    if exit_reasons:
        return Finding("exit", "", tuple(exit_reasons), {})
    if state.listing_status in rules["graduate_listing"]:
        return Finding(
            "graduate", "", ({"key": "graduate.listed", "listing": state.listing_status},), {}
        )
    return _tier_move(state, rules, year)


def _exit_reasons(state, rules, year):
    reasons = [
        {
            "key": "exit.record",
            "record": r.kind,
            "on": r.occurred_on.isoformat(),
            "source": r.source,
        }  # fmt: skip
        for r in state.records
        if r.kind in rules["exit_records"]
    ]
    if state.jurisdiction_path and not state.region_path.startswith(state.jurisdiction_path):
        reasons.append({"key": "exit.moved", "jurisdiction": state.jurisdiction_name})
    n = rules["exit_after_missing_years"]
    owed = [y for y in range(year - n + 1, year + 1) if report_due(y) > state.admitted_on]
    if len(owed) == n and all(state.facts.get(y) is None for y in owed):
        reasons.append({"key": "exit.missing_reports", "years": owed})
    return reasons


def _conditions(rule, facts):
    """The tier condition's items (conditions/explain.py), one per leaf evaluated."""
    return [r.data for r in rule.evaluate(facts).explanation]


def _figures(spec_list, facts_by_year):
    names = sorted({leaf for spec in spec_list for leaf in _fields(spec)})
    return {
        str(year): {name: _text(facts.get(name)) for name in names}
        for year, facts in sorted(facts_by_year.items())
        if facts is not None
    }


def _fields(node):
    if "field" in node:
        yield node["field"]
    else:
        for child in next(iter(node.values())):
            yield from _fields(child)


def _text(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return "、".join(map(str, value)) or "无"
    return None if value is None else str(value)


def _tier_move(state, rules, year):
    """Yes/no answers first (cheap); the explanation only for the finding made."""
    facts = state.facts.get(year)
    if facts is None or state.tier not in LADDER:
        return None
    tiers, here = rules.tiers, LADDER.index(state.tier)
    for higher in reversed(LADDER[here + 1 :]):
        if tiers[higher].holds(facts):
            reasons = (
                {"key": "upgrade.meets", "year": year, "tier": higher},
                *_conditions(tiers[higher], facts),
            )
            figures = _figures([tiers[higher].spec], {year: facts})
            return Finding("upgrade", higher, reasons, figures)
    if here == 0:
        return None
    n = rules["downgrade_after_years"]
    years = list(range(year - n + 1, year + 1))
    current = tiers[state.tier]
    if any(state.facts.get(y) is None or current.holds(state.facts[y]) for y in years):
        return None
    target = next((t for t in reversed(LADDER[:here]) if tiers[t].holds(facts)), LADDER[0])
    failing = [
        {"key": "downgrade.year", "year": y, "conditions": _conditions(current, state.facts[y])}
        for y in years
    ]
    reasons = ({"key": "downgrade.failing_years", "tier": state.tier, "years": years}, *failing)
    figures = _figures([current.spec], {y: state.facts[y] for y in years})
    return Finding("downgrade", target, reasons, figures)
