"""Reading back the zh-hans sentences the condition engine used to store (until the
explanations became data), for the data migrations of policy grants and adjustment
proposals. The sentences were generated, so they are regular:

    研发投入强度 6.20% ≥ 5%，满足
    净利润 > 0 元：缺少数据，不满足
    所在地区 杭州市 位于 330000 辖区内，满足
    以下 2 项满足任一即可，成立的是：第 2 项（企业称号 含有 瞪羚企业）

parse_condition returns the item conditions/explain.py renders, or {"legacy_text": ...}
when a sentence cannot be read back. Frozen with the old wording: change it only to read
more old sentences, never to follow a new renderer.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils import translation

from conditions.engine import FIELDS, validate

VERDICTS = {"满足": True, "不满足": False}
WORDS = {  # zh word or symbol before a value -> op
    "不为": "ne",
    "为": "eq",
    "不属于": "not_in",
    "属于": "in",
    "含有任一": "has_any",
    "含有": "has",
    "不含": "has_none",
    "=": "eq",
    "≠": "ne",
    ">": "gt",
    "≥": "gte",
    "<": "lt",
    "≤": "lte",
}
ANY_NONE = re.compile(r"^以下 (\d+) 项满足任一即可，均不成立$")
ANY_HELD = re.compile(r"^以下 (\d+) 项满足任一即可，成立的是：(.*)$", re.S)
ITEM = re.compile(r"^第 (\d+) 项（(.*)）$", re.S)
BETWEEN = re.compile(r"^介于 (.+) 至 (.+)（含）$")
REGION = re.compile(r"^(不位于|位于) (.+) 辖区内$")


class Unreadable(ValueError):
    pass


def _labels():
    with translation.override("zh-hans"):
        return {str(f.label): f for f in FIELDS.values()}


# Names a choice had in sentences stored before it was renamed (one name everywhere since).
FORMER_CHOICE_NAMES = {"准独角兽企业": "prospective_unicorn"}


def _choice_keys(f):
    with translation.override("zh-hans"):
        keys = {str(label): key for key, label in f.choices}
    former = {name: key for name, key in FORMER_CHOICE_NAMES.items() if key in keys.values()}
    return former | keys


def _number(f, text):
    if f.unit == "%":
        if not text.endswith("%"):
            raise Unreadable(text)
        text = text[:-1]
    else:
        suffix = f" {f.unit}"
        if not text.endswith(suffix):
            raise Unreadable(text)
        text = text[: -len(suffix)]
    try:
        return format(Decimal(text.replace(",", "")), "f")
    except InvalidOperation:
        raise Unreadable(text) from None


def _region(text, codes):
    if re.fullmatch(r"\d{6}", text):
        return text
    return codes.get(text, text)  # an ambiguous name stays a name: it is shown as such


def _value(f, text, codes, *, many):
    """A value as the old sentence showed it, back to what the item stores."""
    if text == "无":
        return [] if many else None
    if f.type == "number":
        return _number(f, text)
    parts = text.split("、")
    if f.type == "region":
        values = [_region(part, codes) for part in parts]
    else:
        keys = _choice_keys(f)
        values = [keys[part] for part in parts]  # KeyError: not a label of this field
    if many:
        return values
    if len(values) != 1:
        raise Unreadable(text)
    return values[0]


def _rest(f, text, codes):
    """(op, expected) from the condition after the label, e.g. "≥ 5%"."""
    if text in ("为空", "不为空"):
        return ("is_null" if text == "为空" else "is_not_null"), None
    if match := BETWEEN.match(text):
        return "between", [_number(f, match[1]), _number(f, match[2])]
    if match := REGION.match(text):
        op = "within" if match[1] == "位于" else "not_within"
        return op, _value(f, match[2], codes, many=True)
    word, _space, value = text.partition(" ")
    op = WORDS.get(word)
    if op is None or op not in f.operators:
        raise Unreadable(text)
    many = op in ("in", "not_in", "has_any", "has_none")
    return op, _value(f, value, codes, many=many)


def _split_rest(f, text):
    """Split "actual rest" at the operator word that follows the actual value."""
    for word in ("为空", "不为空"):
        if text.endswith(" " + word):
            return text[: -len(word) - 1], word
    for match in re.finditer(r" ", text):
        head, tail = text[: match.start()], text[match.end() :]
        word = tail.split(" ", 1)[0]
        if word in WORDS or word in ("介于", "位于", "不位于"):
            return head, tail
    raise Unreadable(text)


def _leaf(text, codes):
    label, _space, remainder = text.partition(" ")
    f = _labels()[label]  # KeyError: not a field's label
    if remainder.endswith("：缺少数据，不满足"):
        op, expected = _rest(f, remainder[: -len("：缺少数据，不满足")], codes)
        return {"field": f.name, "op": op, "expected": expected, "actual": None, "held": False}
    body, _comma, verdict = remainder.rpartition("，")
    if verdict not in VERDICTS:
        raise Unreadable(text)
    actual_text, rest = _split_rest(f, body)
    op, expected = _rest(f, rest, codes)
    many = f.type == "set"
    actual = _value(f, actual_text, codes, many=many)
    item = {"field": f.name, "op": op, "expected": expected, "actual": actual}
    item["held"] = VERDICTS[verdict]
    return item


def _leaf_spec(text, codes):
    label, _space, rest = text.partition(" ")
    f = _labels()[label]
    op, expected = _rest(f, rest, codes)
    spec = {"field": f.name, "op": op}
    if expected is not None:
        spec["value"] = expected
    return spec


GROUPS = (("同时满足", "all"), ("满足以下任一", "any"))


def _child_spec(text, codes):
    for head, key in GROUPS:
        for joint in ("且", "或"):
            opening = f"{joint}{head}（"
            if text.startswith(opening) and text.endswith("）"):
                children = _balanced(text[len(opening) : -1], "；")
                return {key: [_child_spec(child, codes) for child in children]}
    return _leaf_spec(text, codes)


def _spec(text, codes):
    """A description ("企业称号 含有 瞪羚企业", "同时满足：…") back to its spec, or None."""
    try:
        spec = None
        for head, key in GROUPS:
            if text.startswith(f"{head}："):
                children = _balanced(text[len(head) + 1 :], "；")
                spec = {key: [_child_spec(child, codes) for child in children]}
        spec = spec or _leaf_spec(text, codes)
    except (Unreadable, KeyError, ValueError):
        return None
    return None if validate(spec) else spec


def _any(match, codes):
    items = _balanced(match[2], "；")
    which, specs = [], []
    for item in items:
        found = ITEM.match(item)
        if not found:
            raise Unreadable(item)
        which.append(int(found[1]))
        specs.append(_spec(found[2], codes))
    if any(spec is None for spec in specs):
        specs = []  # shown without the descriptions rather than with wrong ones
    return {"op": "any", "count": int(match[1]), "held": True, "which": which, "specs": specs}


def _balanced(text, separator):
    """Split at separators outside （…）."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"（": 1, "）": -1}.get(char, 0)
        if char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def split_conditions(text):
    """Sentences joined with "；" (as an adjustment year's failing conditions were)."""
    return _balanced(text, "；")


def parse_condition(text, codes=None) -> dict:
    """One old sentence back to its item; {"legacy_text": text} when it cannot be read.
    `codes` maps region names to codes (names shown in old sentences)."""
    codes = codes or {}
    try:
        if match := ANY_NONE.match(text):
            return {"op": "any", "count": int(match[1]), "held": False, "which": [], "specs": []}
        if match := ANY_HELD.match(text):
            return _any(match, codes)
        return _leaf(text, codes)
    except (Unreadable, KeyError, IndexError, ValueError):
        return {"legacy_text": text}
