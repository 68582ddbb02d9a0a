"""The credit scorecard's arithmetic, over data only (no database): a version's factors
with banded points and weights, an enterprise's values → each factor's contribution, the
total 0–100, the grade, and what would raise the total most.

A factor: {"key", "weight", "bands"}. Bands of a number factor are [{"min", "points"}]
(the first, highest `min` the value reaches counts); of a choice factor [{"value",
"points"}]. Points run 0–100; weights sum to 100; contribution = points × weight / 100.
A value missing scores 0 points ("missing").
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# The factors the scorecard may use, and whether each is a number or a choice.
FACTOR_KINDS = {
    "tier": "choice",
    "labels": "number",
    "revenue_growth": "number",
    "rd_intensity": "number",
    "invention_patents": "number",
    "software_copyrights": "number",
    "data_resources": "number",
    "age_years": "number",
    "report_punctuality": "number",
    "compliance_records": "number",
    "vouchers_awards": "number",  # vouchers granted + scenario awards won (from version 2)
}


def _dec(value) -> Decimal:
    return Decimal(str(value))


def _ordered(factor):
    if FACTOR_KINDS[factor["key"]] == "number":
        return sorted(factor["bands"], key=lambda b: _dec(b["min"]), reverse=True)
    return factor["bands"]


def band_of(factor, value):
    """(index into the factor's bands, band) the value falls in, or (None, None)."""
    if value is None:
        return None, None
    number = FACTOR_KINDS[factor["key"]] == "number"
    for band in _ordered(factor):
        if (number and _dec(value) >= _dec(band["min"])) or (not number and value == band["value"]):
            return factor["bands"].index(band), band
    return None, None


def validate_factors(factors, grades) -> list[str]:
    """Problems with a version's data (empty: it can be published)."""
    problems = []
    keys = [f.get("key") for f in factors]
    if len(set(keys)) != len(keys):
        problems.append("duplicate factor")
    for factor in factors:
        if factor.get("key") not in FACTOR_KINDS:
            problems.append(f"unknown factor {factor.get('key')!r}")
            continue
        field = "min" if FACTOR_KINDS[factor["key"]] == "number" else "value"
        bands = factor.get("bands") or []
        if not bands or any(field not in b or not 0 <= b.get("points", -1) <= 100 for b in bands):
            problems.append(f"{factor['key']}: bands need {field} and points 0–100")
        if not 0 < factor.get("weight", 0) <= 100:
            problems.append(f"{factor['key']}: weight must be 1–100")
    if sum(f.get("weight", 0) for f in factors) != 100:
        problems.append("weights must sum to 100")
    if not grades or _dec(grades[-1]["min"]) != 0:
        problems.append("the lowest grade must start at 0")
    return problems


def score(factors, grades, values: dict) -> tuple[Decimal, str, list[dict]]:
    """(total, grade, contributions) of one enterprise's `values` {factor key: value}."""
    contributions = []
    total = Decimal(0)
    for factor in factors:
        value = values.get(factor["key"])
        index, band = band_of(factor, value)
        points = band["points"] if band else 0
        contribution = (_dec(points) * _dec(factor["weight"]) / 100).quantize(CENT, ROUND_HALF_UP)
        total += contribution
        contributions.append(
            {
                "factor": factor["key"],
                "value": None if value is None else str(value),
                "band": index,
                "points": points,
                "weight": factor["weight"],
                "contribution": str(contribution),
            }
        )
    total = min(total, Decimal(100))
    return total, grade_of(grades, total), contributions


def grade_of(grades, total) -> str:
    for grade in sorted(grades, key=lambda g: _dec(g["min"]), reverse=True):
        if total >= _dec(grade["min"]):
            return grade["grade"]
    return grades[-1]["grade"]


def raise_most(factors, contributions, *, limit=3) -> list[dict]:
    """The next band up of each factor that has one, by the points it would add to the
    total, most first: [{"factor", "target", "gain"}] (target: the band's min or value)."""
    by_key = {c["factor"]: c for c in contributions}
    steps = []
    for factor in factors:
        current = by_key.get(factor["key"], {}).get("points", 0)
        better = [b for b in factor["bands"] if b["points"] > current]
        if not better:
            continue
        number = FACTOR_KINDS[factor["key"]] == "number"
        # The nearest band that adds points: the lowest threshold (numbers), the most
        # points (choices: there is no "nearer").
        band = (
            min(better, key=lambda b: _dec(b["min"]))
            if number
            else max(better, key=lambda b: b["points"])
        )
        gain = (_dec(band["points"] - current) * _dec(factor["weight"]) / 100).quantize(CENT)
        steps.append(
            {
                "factor": factor["key"],
                "target": str(band["min" if number else "value"]),
                "gain": str(gain),
            }  # fmt: skip
        )
    steps.sort(key=lambda s: _dec(s["gain"]), reverse=True)
    return steps[:limit]


DEFAULT_GRADES = [
    {"min": 90, "grade": "AAA"},
    {"min": 80, "grade": "AA"},
    {"min": 70, "grade": "A"},
    {"min": 60, "grade": "BBB"},
    {"min": 50, "grade": "BB"},
    {"min": 40, "grade": "B"},
    {"min": 0, "grade": "C"},
]
DEFAULT_FACTORS = [
    {"key": "tier", "weight": 15, "bands": [
        {"value": "leading", "points": 100}, {"value": "growth", "points": 75},
        {"value": "potential", "points": 50},
    ]},
    {"key": "labels", "weight": 5, "bands": [{"min": 1, "points": 100}, {"min": 0, "points": 0}]},
    {"key": "revenue_growth", "weight": 15, "bands": [
        {"min": 30, "points": 100}, {"min": 15, "points": 75}, {"min": 0, "points": 50},
        {"min": -1000, "points": 0},
    ]},
    {"key": "rd_intensity", "weight": 15, "bands": [
        {"min": 10, "points": 100}, {"min": 5, "points": 75}, {"min": 3, "points": 50},
        {"min": 0, "points": 0},
    ]},
    {"key": "invention_patents", "weight": 10, "bands": [
        {"min": 10, "points": 100}, {"min": 3, "points": 70}, {"min": 1, "points": 40},
        {"min": 0, "points": 0},
    ]},
    {"key": "software_copyrights", "weight": 5, "bands": [
        {"min": 10, "points": 100}, {"min": 3, "points": 60}, {"min": 0, "points": 0},
    ]},
    {"key": "data_resources", "weight": 10, "bands": [
        {"min": 3, "points": 100}, {"min": 1, "points": 60}, {"min": 0, "points": 0},
    ]},
    {"key": "age_years", "weight": 10, "bands": [
        {"min": 5, "points": 100}, {"min": 3, "points": 70}, {"min": 1, "points": 40},
        {"min": 0, "points": 10},
    ]},
    {"key": "report_punctuality", "weight": 10, "bands": [
        {"min": 100, "points": 100}, {"min": 50, "points": 50}, {"min": 0, "points": 0},
    ]},
    {"key": "compliance_records", "weight": 5, "bands": [
        {"min": 1, "points": 0}, {"min": 0, "points": 100},
    ]},
]  # fmt: skip

# Version 2 (数据/算力券与揭榜奖励): the vouchers an enterprise was granted and the scenario
# awards it won count 10 %, taken from tier (15 → 10) and revenue growth (15 → 10).
VOUCHER_AWARD_FACTORS = [
    {**f, "weight": 10} if f["key"] in ("tier", "revenue_growth") else f for f in DEFAULT_FACTORS
] + [
    {"key": "vouchers_awards", "weight": 10, "bands": [
        {"min": 3, "points": 100}, {"min": 1, "points": 60}, {"min": 0, "points": 0},
    ]},
]  # fmt: skip
