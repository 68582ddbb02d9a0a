"""The condition engine's rules as SQL: a pre-filter that picks the candidate enterprises in
the database, so that the Python engine (conditions/engine.py, still the source of
truth for the explanation) only runs on the enterprises that match.

Only the whitelisted FIELDS map to ORM expressions, through the tables below; the rule
supplies values, never names. Semantics follow the engine exactly: a leaf on a value the
enterprise does not have is false (is_null/is_not_null aside), and groups are never negated,
so SQL's NULL behaves as false. tests/registry/test_policy_matching.py checks that both agree.
"""

import datetime
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import NullIf, Round

from conditions.engine import FIELDS, _expected, validate
from registry.facts import COUNTED, REPORT_FIGURES
from registry.models import AnnualReport, LabelAward

# Engine field -> the Enterprise lookup holding it.
COLUMNS = {
    "region": "region__path",
    "industry": "industry",
    "category": "category",
    "size": "size",
    "listing_status": "listing_status",
    "tier": "registry_entry__tier",
}
ALWAYS = ~Q(pk=None)
NEVER = Q(pk=None)
_NUMBER_LOOKUPS = {"eq": "exact", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


def _alias(name):
    return f"_pf_{name}"


def _report_annotations(fields: set, as_of: datetime.date) -> dict:
    """The latest counted report's figures (as facts.facts_for picks it), one subquery each."""
    latest = AnnualReport.objects.filter(
        enterprise=OuterRef("pk"), status__in=COUNTED, year__lte=as_of.year
    ).order_by("-year")
    money = DecimalField(max_digits=24, decimal_places=6)
    annotations = {}
    wanted = set(fields) & set(REPORT_FIGURES)
    if "rd_intensity" in fields:
        wanted |= {"rd_expense", "revenue"}
    for name in sorted(wanted):
        annotations[_alias(name)] = Subquery(latest.values(name)[:1])
    if "rd_intensity" in fields:
        # Rounded half-up to 0.01, as facts.report_facts does; no revenue -> NULL.
        annotations[_alias("rd_intensity")] = Round(
            ExpressionWrapper(
                F(_alias("rd_expense"))
                * Value(Decimal("100.0"))
                / NullIf(F(_alias("revenue")), Value(Decimal("0"))),
                output_field=money,
            ),
            2,
            output_field=money,
        )
    return annotations


def _used_fields(node, out):
    if "field" in node:
        out.add(node["field"])
    else:
        for child in next(iter(node.values())):
            _used_fields(child, out)
    return out


def _latest_founding(as_of: datetime.date, years: int) -> datetime.date:
    """The latest founding date at which an enterprise is `years` complete years old."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February in a year that has none
        return datetime.date(as_of.year - years, 2, 28)


def _age_at_least(n, as_of):
    n = int(n)
    return ALWAYS if n <= 0 else Q(founded_on__lte=_latest_founding(as_of, n))


def _age(op, e, as_of):
    """facts.completed_years compared with whole numbers, as conditions on founded_on."""
    if op == "between":
        return _age_at_least(e[0], as_of) & ~_age_at_least(e[1] + 1, as_of)
    at_least = {"gte": e, "gt": e + 1}.get(op)
    if at_least is not None:
        return _age_at_least(at_least, as_of)
    at_most = {"lte": e, "lt": e - 1}.get(op)
    if at_most is not None:
        return ~_age_at_least(at_most + 1, as_of) if at_most >= 0 else NEVER
    exact = _age_at_least(e, as_of) & ~_age_at_least(e + 1, as_of) if e >= 0 else NEVER
    return exact if op == "eq" else ~exact


def _labels(op, e):
    current = LabelAward.objects.current().filter(enterprise=OuterRef("pk"))
    labels = (e,) if op == "has" else e
    held = Exists(current.filter(label__in=labels))
    return Q(held) if op in ("has", "has_any") else ~Q(held)


def _region(op, codes):
    within = Q()
    for code in codes:
        # Paths are six-digit codes each ending in "/": "<code>/" only matches a whole one.
        within |= Q(region__path__contains=f"{code}/")
    return within if op == "within" else ~within


def _plain(column, op, e):
    """A comparison on a column that may be NULL: NULL never satisfies a leaf."""
    present = Q(**{f"{column}__isnull": False})
    if op == "is_null":
        return Q(**{f"{column}__isnull": True})
    if op == "is_not_null":
        return present
    if op in _NUMBER_LOOKUPS:
        return present & Q(**{f"{column}__{_NUMBER_LOOKUPS[op]}": e})
    if op == "ne":
        return present & ~Q(**{column: e})
    if op == "between":
        return present & Q(**{f"{column}__range": e})
    if op == "in":
        return present & Q(**{f"{column}__in": e})
    if op == "not_in":
        return present & ~Q(**{f"{column}__in": e})
    raise ValueError(op)  # unreachable for a validated rule


def _leaf(node, as_of):
    f, op = FIELDS[node["field"]], node["op"]
    e = _expected(f, op, node.get("value"))
    if f.name == "age_years":
        return _age(op, e, as_of)
    if f.name == "labels":
        return _labels(op, e)
    if f.name == "region":
        return _region(op, e)
    return _plain(COLUMNS.get(f.name) or _alias(f.name), op, e)


def _compile(node, as_of):
    if "field" in node:
        return _leaf(node, as_of)
    key, items = next(iter(node.items()))
    parts = [_compile(child, as_of) for child in items]
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if key == "all" else (combined | part)
    return combined


def prefilter(queryset, spec, *, as_of: datetime.date):
    """`queryset` (of Enterprise) narrowed to those the rule matches on `as_of`."""
    if problems := validate(spec):
        raise ValueError("；".join(problems))
    annotations = _report_annotations(_used_fields(spec, set()), as_of)
    return queryset.alias(**annotations).filter(_compile(spec, as_of))
