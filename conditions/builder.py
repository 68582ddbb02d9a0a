"""The condition builder of the pages: rows of field / operator / value in AND/OR groups.

Every page that lets staff write a condition (a policy's eligibility, the adjustment rules'
tier conditions, later a voucher programme's eligibility) posts the same names:
rows `<prefix>r<token>-group|field|op|value|delete` and groups `<prefix>g<token>-join`;
group "0" is the top level. The prefix lets one form hold several builders. One nesting
level in the page; a deeper rule (the engine allows MAX_DEPTH) is edited as JSON.
"""

import json
import re
import secrets

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from conditions.engine import FIELDS, NULL_OPERATORS, OPERATORS, validate

LIST_OPERATORS = ("in", "not_in", "has_any", "has_none", "within", "not_within")
SEPARATORS = re.compile(r"[,，、;；\s]+")
PREFIX = re.compile(r"^[a-z0-9_]{0,16}-?$")
TOKEN = re.compile(r"^[0-9a-z]+$")


def new_token() -> str:
    return secrets.token_hex(4)


def _keys(prefix):
    p = re.escape(prefix)
    return re.compile(rf"^{p}r([0-9a-z]+)-field$"), re.compile(rf"^{p}g([0-9a-z]+)-join$")


def _value(field, op, raw: str):
    """The typed text as the engine's value: lists split on commas, labels to keys."""
    if op in NULL_OPERATORS:
        return None
    labels = {str(label): key for key, label in field.choices}
    parts = [p for p in SEPARATORS.split(raw.strip()) if p]
    if field.type in ("choice", "set"):
        parts = [labels.get(p, p) for p in parts]
    if op in LIST_OPERATORS or op == "between":
        return parts
    return parts[0] if len(parts) == 1 else raw.strip()


def parse_builder(data, *, prefix="", allow_empty=False) -> tuple[dict | None, list[str]]:
    """(rule, problems) from the posted builder; the rule is None when there is none, or
    `{}` (no condition at all) when `allow_empty` and no row was filled."""
    row_key, group_key = _keys(prefix)
    joins = {m.group(1): data.get(key) for key in data for m in [group_key.match(key)] if m}
    groups: dict[str, list] = {}
    problems = []
    for key in data:
        match = row_key.match(key)
        if not match or data.get(f"{prefix}r{match.group(1)}-delete"):
            continue
        token = match.group(1)
        name, op = data.get(key, ""), data.get(f"{prefix}r{token}-op", "")
        raw = data.get(f"{prefix}r{token}-value", "")
        if not name and not raw.strip():
            continue  # an untouched empty row
        field = FIELDS.get(name)
        if field is None:
            problems.append(str(_("未知字段“%(f)s”") % {"f": name}))
            continue
        leaf = {"field": name, "op": op}
        if op not in NULL_OPERATORS:
            leaf["value"] = _value(field, op, raw)
        groups.setdefault(data.get(f"{prefix}r{token}-group", "0"), []).append(leaf)
    if problems:
        return None, problems
    items = list(groups.pop("0", []))
    for token, leaves in groups.items():
        join = joins.get(token) if joins.get(token) in ("all", "any") else "all"
        items.append({join: leaves})
    if not items:
        return ({}, []) if allow_empty else (None, [str(_("请至少添加一个条件。"))])
    top = joins.get("0") if joins.get("0") in ("all", "any") else "all"
    spec = {top: items}
    return spec, validate(spec)


def parse_json(text: str) -> tuple[dict | None, list[str]]:
    """(rule, problems) from the JSON box that holds a rule deeper than the builder shows."""
    try:
        spec = json.loads(text)
    except ValueError:
        return None, [str(_("条件 JSON 格式不正确。"))]
    return spec, validate(spec)


def posted_state(data, *, prefix="") -> dict:
    """The builder as posted, so that a refused form comes back as the person left it."""
    row_key, group_key = _keys(prefix)
    groups = {"0": {"token": "0", "join": data.get(f"{prefix}g0-join", "all"), "rows": []}}
    for key in data:
        match = group_key.match(key)
        if match and match.group(1) != "0":
            token = match.group(1)
            groups[token] = {"token": token, "join": data.get(key), "rows": []}
    for key in data:
        match = row_key.match(key)
        if not match or data.get(f"{prefix}r{match.group(1)}-delete"):
            continue
        token = match.group(1)
        group = data.get(f"{prefix}r{token}-group", "0")
        if not TOKEN.match(group):
            group = "0"
        groups.setdefault(group, {"token": group, "join": "all", "rows": []})
        groups[group]["rows"].append(
            {
                "token": token,
                "group": group,
                "field": data.get(key),
                "op": data.get(f"{prefix}r{token}-op"),
                "value": data.get(f"{prefix}r{token}-value", ""),
            }
        )
    return {"prefix": prefix, "join": groups["0"]["join"], "groups": list(groups.values())}


def _text(leaf):
    value = leaf.get("value")
    if value is None:
        return ""
    if isinstance(value, list):
        return "，".join(str(v) for v in value)
    return str(value)


def builder_state(spec, *, prefix="") -> dict | None:
    """The rule as builder groups for the page, or None if it nests deeper than the page
    shows (then a JSON box holds it)."""
    if not spec:
        root = {"token": "0", "join": "all", "rows": [blank_row("0")]}
        return {"prefix": prefix, "join": "all", "groups": [root]}
    top, items = next(iter(spec.items()))
    root = {"token": "0", "join": top, "rows": []}
    groups = [root]
    for item in items:
        if "field" in item:
            root["rows"].append(_row("0", item))
            continue
        join, leaves = next(iter(item.items()))
        if any("field" not in leaf for leaf in leaves):
            return None
        token = new_token()
        groups.append({"token": token, "join": join, "rows": [_row(token, x) for x in leaves]})
    return {"prefix": prefix, "join": top, "groups": groups}


def _row(group, leaf):
    return {
        "token": new_token(),
        "group": group,
        "field": leaf["field"],
        "op": leaf["op"],
        "value": _text(leaf),
    }


def blank_row(group):
    return {"token": new_token(), "group": group, "field": "", "op": "", "value": ""}


def blank_group():
    token = new_token()
    return {"token": token, "join": "all", "rows": [blank_row(token)]}


# The engine's units (zh-hans) as the picker shows them; "年" here is years, not "yearly".
UNITS = {
    "年": pgettext_lazy("unit", "年"),
    "元": pgettext_lazy("unit", "元"),
    "人": pgettext_lazy("unit", "人"),
    "件": pgettext_lazy("unit", "件"),
    "项": pgettext_lazy("unit", "项"),
}


def field_options():
    """Fields with their operators and the choices a person may type, for the page."""
    return [
        {
            "name": f.name,
            "label": gettext(f.label),  # the engine's labels are zh-hans; the picker follows the UI
            "unit": UNITS.get(f.unit, f.unit),
            "operators": [(op, OPERATORS[op]) for op in f.operators],
            "choices": [(key, gettext(str(label))) for key, label in f.choices],
        }
        for f in FIELDS.values()
    ]
