"""Tier proposals from final scores: pure rules, no database (the job feeds them).

Candidates are ranked by final score, ties broken by R&D intensity and then by the
earlier submission. Each gets the highest tier whose minimum score and hard
conditions it meets and whose quota is not yet used up; otherwise it is not
selected. A rule for a (tier, category) pair takes precedence over the tier's
general rule for that category; a general rule's quota is shared by all categories.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from registry.choices import Tier

TIER_ORDER = [Tier.LEADING, Tier.GROWTH, Tier.POTENTIAL]  # highest first


@dataclass(frozen=True, slots=True)  # slots: a job holds one per application
class Candidate:
    id: int
    category: str
    final_score: Decimal
    rd_intensity: Decimal | None
    submitted_at: datetime
    revenue: Decimal
    age_years: int
    eligible: bool  # indicator pass mark and group minimums met, or a direct pass
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Rule:
    id: int
    tier: str
    category: str  # "" = every category
    min_final_score: Decimal
    min_revenue: Decimal | None = None
    min_age_years: int | None = None
    max_age_years: int | None = None
    quota: int | None = None


def rank_key(candidate: Candidate):
    rd = candidate.rd_intensity if candidate.rd_intensity is not None else Decimal("-1")
    return (-candidate.final_score, -rd, candidate.submitted_at, candidate.id)


def _rule_for(rules_by_key, tier, category):
    return rules_by_key.get((tier, category)) or rules_by_key.get((tier, ""))


def _item(check, required, actual, ok) -> dict:
    return {"check": check, "required": required, "actual": actual, "ok": ok}


def _check(rule: Rule, candidate: Candidate, used: Counter) -> list[dict]:
    score, revenue, age = candidate.final_score, candidate.revenue, candidate.age_years
    checks = [
        _item(
            "min_final_score", str(rule.min_final_score), str(score), score >= rule.min_final_score
        )
    ]
    if rule.min_revenue is not None:
        checks.append(
            _item("min_revenue", str(rule.min_revenue), str(revenue), revenue >= rule.min_revenue)
        )
    if rule.min_age_years is not None:
        checks.append(_item("min_age_years", rule.min_age_years, age, age >= rule.min_age_years))
    if rule.max_age_years is not None:
        checks.append(_item("max_age_years", rule.max_age_years, age, age <= rule.max_age_years))
    if rule.quota is not None:
        checks.append(_item("quota", rule.quota, used[rule.id], used[rule.id] < rule.quota))
    return checks


def propose(candidates: list[Candidate], rules: list[Rule]) -> dict[int, tuple[str, dict]]:
    """candidate id -> (tier or "", decision trace). The trace is data: `outcome` is
    not_eligible | proposed | no_tier (selection/explanations.py says it in words)."""
    return {c.id: (tier, trace) for c, tier, trace in decide(candidates, rules)}


def decide(candidates, rules: list[Rule], extra=None):
    """propose() one candidate at a time, in rank order: yields (candidate, tier or "",
    decision trace), so that a job can write each chunk and let its traces go. `extra`,
    a function of the candidate, gives the trace's extra part (default: candidate.extra).
    """
    rules_by_key = {(r.tier, r.category): r for r in rules}
    used: Counter = Counter()
    rank_in_category: dict[str, int] = defaultdict(int)
    for position, candidate in enumerate(sorted(candidates, key=rank_key), start=1):
        rank_in_category[candidate.category] += 1
        trace = {
            "rank": position,
            "rank_in_category": rank_in_category[candidate.category],
            "final_score": str(candidate.final_score),
            "rd_intensity": None if candidate.rd_intensity is None else str(candidate.rd_intensity),
            "tiers": [],
            **(candidate.extra if extra is None else extra(candidate)),
        }
        chosen = ""
        if not candidate.eligible:
            trace["outcome"] = "not_eligible"
        else:
            for tier in TIER_ORDER:
                rule = _rule_for(rules_by_key, tier, candidate.category)
                if rule is None:
                    continue
                checks = _check(rule, candidate, used)
                passed = all(c["ok"] for c in checks)
                trace["tiers"].append(
                    {"tier": tier, "rule": rule.id, "checks": checks, "ok": passed}
                )
                if passed:
                    used[rule.id] += 1
                    chosen = tier
                    break
            trace["outcome"] = "proposed" if chosen else "no_tier"
        trace["result"] = chosen
        yield candidate, chosen, trace
