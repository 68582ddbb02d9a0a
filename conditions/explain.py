"""Condition explanations as data, and their sentences in the reader's language.

A job that tests a condition stores one item per leaf it evaluated, keys only:

    {"field": "rd_intensity", "op": "gte", "expected": "5", "actual": "3.2", "held": false}

(numbers as strings, lists for several values, `actual` null when the enterprise has no
value; a region leaf carries `names`, {code: name}, the proper names of its codes). An
`any` group that was evaluated adds a summary item before its leaves:

    {"op": "any", "count": 3, "held": true, "which": [2], "specs": [<the held item's spec>]}

`render_condition(item)` turns an item into a sentence in the active language (or
`language`); `describe_spec(spec)` reads a whole rule. An item a migration could not
parse is {"legacy_text": "..."} and is shown as it was written.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from conditions.engine import FIELDS, NULL_OPERATORS, expected_of

# op -> how it reads after a value (choice eq/ne read 为/不为, see _symbol).
OPERATOR_WORDS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "in": pgettext_lazy("condition", "属于"),
    "not_in": pgettext_lazy("condition", "不属于"),
    "has": pgettext_lazy("condition", "含有"),
    "has_any": pgettext_lazy("condition", "含有任一"),
    "has_none": pgettext_lazy("condition", "不含"),
    "is_null": pgettext_lazy("condition", "为空"),
    "is_not_null": pgettext_lazy("condition", "不为空"),
}


def _word(op):
    return str(OPERATOR_WORDS[op])


def _join(values):
    return pgettext("list separator", "、").join(values)


def _format(f, value, names):
    """One value (or a list of them) as the reader reads it."""
    if value is None or value == [] or value == ():
        return pgettext("condition", "无")
    if isinstance(value, list | tuple):
        return _join(_format(f, v, names) for v in value)
    if f.type == "number":
        shown = format(Decimal(value), ",f")
        if f.unit == "%":
            return shown + "%"
        return f"{shown} {pgettext('unit', f.unit)}"
    if f.type == "region":
        return (names or {}).get(value, value)
    labels = dict(f.choices)
    return _(str(labels[value])) if value in labels else value


def _symbol(f, op):
    if f.type == "choice" and op in ("eq", "ne"):
        return pgettext("condition", "为") if op == "eq" else pgettext("condition", "不为")
    return _word(op)


def _rest(f, op, expected, names):
    """The condition after the field's label, e.g. "≥ 5%"."""
    if op in NULL_OPERATORS:
        return _word(op)
    if op == "between":
        low, high = expected
        return _("介于 %(low)s 至 %(high)s（含）") % {
            "low": _format(f, low, names),
            "high": _format(f, high, names),
        }
    if op == "within":
        return _("位于 %(regions)s 辖区内") % {"regions": _format(f, expected, names)}
    if op == "not_within":
        return _("不位于 %(regions)s 辖区内") % {"regions": _format(f, expected, names)}
    return f"{_symbol(f, op)} {_format(f, expected, names)}"


def _verdict(held):
    return pgettext("condition", "满足") if held else pgettext("condition", "不满足")


def _label(f):
    return _(f.label)


def render_condition(item: dict, language: str | None = None, *, names=None) -> str:
    """One stored item as a sentence: 研发投入强度 3.2% ≥ 5%，不满足."""
    if language:
        with translation.override(language):
            return render_condition(item, names=names)
    if "legacy_text" in item:
        return item["legacy_text"]
    names = {**(names or {}), **item.get("names", {})}
    if item.get("op") == "any":
        return _render_any(item, names)
    f, op = FIELDS[item["field"]], item["op"]
    rest = _rest(f, op, item.get("expected"), names)
    if op not in NULL_OPERATORS and item.get("actual") is None:
        return _("%(field)s %(condition)s：缺少数据，不满足") % {
            "field": _label(f),
            "condition": rest,
        }
    return _("%(field)s %(actual)s %(condition)s，%(verdict)s") % {
        "field": _label(f),
        "actual": _format(f, item.get("actual"), names),
        "condition": rest,
        "verdict": _verdict(item.get("held")),
    }


def _render_any(item, names):
    count = item["count"]
    if not item.get("held"):
        return _("以下 %(n)s 项满足任一即可，均不成立") % {"n": count}
    specs = item.get("specs") or []
    parts = []
    for position, number in enumerate(item.get("which", [])):
        if position < len(specs):
            description = describe_spec(specs[position], names=names)
            parts.append(_("第 %(i)s 项（%(what)s）") % {"i": number, "what": description})
        else:  # migrated from a sentence whose description could not be read back
            parts.append(_("第 %(i)s 项") % {"i": number})
    return _("以下 %(n)s 项满足任一即可，成立的是：%(which)s") % {
        "n": count,
        "which": pgettext("clause separator", "；").join(parts),
    }


def render_conditions(items, language: str | None = None, *, names=None) -> list[str]:
    """Every stored item as a sentence (a grant's 符合情况, a proposal's conditions)."""
    if language:
        with translation.override(language):
            return render_conditions(items, names=names)
    return [render_condition(item, names=names) for item in items or []]


def describe_spec(spec, language: str | None = None, *, names=None, parent=None) -> str:
    """A rule (validated) as words: 同时满足：营业收入 ≥ 10,000,000 元；…"""
    if language:
        with translation.override(language):
            return describe_spec(spec, names=names, parent=parent)
    if "field" in spec:
        f, op = FIELDS[spec["field"]], spec["op"]
        return f"{_label(f)} {_rest(f, op, as_data(expected_of(spec)), names)}"
    key, items = next(iter(spec.items()))
    head = _("同时满足") if key == "all" else _("满足以下任一")
    separator = pgettext("clause separator", "；")
    body = separator.join(describe_spec(child, names=names, parent=key) for child in items)
    if parent is None:
        return _("%(head)s：%(body)s") % {"head": head, "body": body}
    joined = _("且%(head)s（%(body)s）") if parent == "all" else _("或%(head)s（%(body)s）")
    return joined % {"head": head, "body": body}


def as_data(value):
    """A value as JSON keeps it: Decimals as plain strings, tuples as lists."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [as_data(v) for v in value]
    return value
