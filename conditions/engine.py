"""The condition language: eligibility written as data, read by policy matching
(惠企政策自动适配、免申即享), dynamic adjustment and, later, vouchers, scenarios and finance.

A condition is JSON: leaves ``{"field", "op", "value"}`` combined by
``{"all": [...]}`` / ``{"any": [...]}`` groups, nested at most MAX_DEPTH groups deep.
Only the whitelisted FIELDS and OPERATORS are understood: nothing is eval'd, and no
attribute is ever looked up by a name taken from the rule.
"""

import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext_noop  # labels marked for the UI, kept zh here

from registry.choices import EnterpriseSize, Industry, InnovationCategory, ListingStatus, Tier

MAX_DEPTH = 4
LABELS = (
    ("gazelle", gettext_noop("瞪羚企业")),
    ("prospective_unicorn", gettext_noop("潜在独角兽企业")),
    ("unicorn", gettext_noop("独角兽企业")),
)
TYPE_OPERATORS = {
    "number": ("eq", "ne", "gt", "gte", "lt", "lte", "between"),
    "choice": ("eq", "ne", "in", "not_in"),
    "region": ("within", "not_within"),
    "set": ("has", "has_any", "has_none"),
}
NULL_OPERATORS = ("is_null", "is_not_null")
# op -> its symbol in validation messages (explanations read conditions/explain.py).
OPERATORS = {
    "eq": "=",
    "ne": "≠",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "between": "介于",
    "in": "属于",
    "not_in": "不属于",
    "within": "位于",
    "not_within": "不位于",
    "has": "含有",
    "has_any": "含有任一",
    "has_none": "不含",
    "is_null": "为空",
    "is_not_null": "不为空",
}
_TESTS = {
    "eq": lambda a, e: a == e,
    "ne": lambda a, e: a != e,
    "gt": lambda a, e: a > e,
    "gte": lambda a, e: a >= e,
    "lt": lambda a, e: a < e,
    "lte": lambda a, e: a <= e,
    "between": lambda a, e: e[0] <= a <= e[1],
    "in": lambda a, e: a in e,
    "not_in": lambda a, e: a not in e,
    # A region path lists every ancestor's code: "000000/330000/330100/".
    "within": lambda a, e: any(code in a.split("/") for code in e),
    "not_within": lambda a, e: not any(code in a.split("/") for code in e),
    "has": lambda a, e: e in a,
    "has_any": lambda a, e: bool(set(a) & set(e)),
    "has_none": lambda a, e: not set(a) & set(e),
}
_ABSENT = object()


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str  # number | choice | region | set
    choices: tuple = ()  # (value, label) pairs, for choice and set fields
    unit: str = ""
    integer: bool = False
    nullable: bool = False

    @property
    def operators(self) -> tuple[str, ...]:
        return TYPE_OPERATORS[self.type] + (NULL_OPERATORS if self.nullable else ())


def _number(name, label, unit, integer=False):
    return Field(name, label, "number", unit=unit, integer=integer)


FIELDS = {
    f.name: f
    for f in (
        Field("region", gettext_noop("所在地区"), "region"),
        Field("industry", gettext_noop("所属行业"), "choice", tuple(Industry.choices)),
        Field("category", gettext_noop("创新类型"), "choice", tuple(InnovationCategory.choices)),
        Field("size", gettext_noop("企业规模"), "choice", tuple(EnterpriseSize.choices)),
        Field("listing_status", gettext_noop("上市状态"), "choice", tuple(ListingStatus.choices)),
        _number("age_years", gettext_noop("成立年限"), "年", integer=True),
        Field("tier", gettext_noop("培育层级"), "choice", tuple(Tier.choices), nullable=True),
        Field("labels", gettext_noop("企业称号"), "set", LABELS),
        _number("revenue", gettext_noop("营业收入"), "元"),
        _number("net_profit", gettext_noop("净利润"), "元"),
        _number("rd_expense", gettext_noop("研发投入"), "元"),
        _number("rd_intensity", gettext_noop("研发投入强度"), "%"),
        _number("employees", gettext_noop("从业人员"), "人", integer=True),
        _number("rd_staff", gettext_noop("研发人员"), "人", integer=True),
        _number("invention_patents", gettext_noop("发明专利"), "件", integer=True),
        _number("software_copyrights", gettext_noop("软件著作权"), "件", integer=True),
        _number("data_resources_registered", gettext_noop("登记数据资源"), "项", integer=True),
        _number("financing_this_year", gettext_noop("本年度融资额"), "元"),
        _number("valuation", gettext_noop("企业估值"), "元"),
    )
}


class InvalidSpec(ValueError):
    def __init__(self, problems):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ConditionResult:
    field: str  # "" for an `any` group's summary (op "any")
    op: str
    expected: object  # for "any": how many items the group has
    actual: object  # for "any": the 1-based numbers of the items that hold
    ok: bool | None  # None: the enterprise has no value for the field
    names: dict | None = None  # {region code: name} for the codes it mentions
    specs: tuple = ()  # for "any": the specs of the items that hold

    @property
    def data(self) -> dict:
        """What a job stores: keys and values only (conditions/explain.py renders it)."""
        if self.op == "any":
            item = {"op": "any", "count": self.expected, "held": bool(self.ok),
                    "which": list(self.actual), "specs": list(self.specs)}  # fmt: skip
        else:
            actual = self.actual
            if actual is not None and FIELDS[self.field].type == "region":
                actual = actual.rstrip("/").rsplit("/", 1)[-1]
            item = {"field": self.field, "op": self.op, "expected": _data(self.expected),
                    "actual": _data(actual), "held": bool(self.ok)}  # fmt: skip
        if self.names:
            item["names"] = self.names
        return item

    @property
    def text(self) -> str:
        """The sentence in the active language."""
        from conditions.explain import render_condition

        return render_condition(self.data)


def _data(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return [_data(v) for v in value]
    return value


@dataclass(frozen=True)
class Evaluation:
    matched: bool
    explanation: list[ConditionResult]
    missing: list[ConditionResult]


@functools.cache
def _zh_choices():
    with translation.override("zh-hans"):
        return {f.name: {v: str(label) for v, label in f.choices} for f in FIELDS.values()}


def _num(f, v):
    if isinstance(v, bool) or not isinstance(v, int | str | Decimal):
        raise ValueError(f'“{f.label}”的值必须是数字（整数，或写成字符串的小数如 "5.5"）')
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise ValueError(f"“{f.label}”的值“{v}”不是数字") from None
    if not d.is_finite():
        raise ValueError(f"“{f.label}”的值“{v}”不是有限的数字")
    if f.integer and d != d.to_integral_value():
        raise ValueError(f"“{f.label}”的值必须是整数")
    return d


def _choice(f, v):
    if not isinstance(v, str) or v not in _zh_choices()[f.name]:
        allowed = "、".join(_zh_choices()[f.name])
        raise ValueError(f"“{v}”不是“{f.label}”的可选值（可选：{allowed}）")
    return v


def _region(f, v):
    if not (isinstance(v, str) and len(v) == 6 and v.isascii() and v.isdigit()):
        raise ValueError(f"“{v}”不是 6 位行政区划代码")
    return v


def _many(f, v, one):
    if not isinstance(v, list | tuple) or not v:
        raise ValueError(f"“{f.label}”的值必须是非空列表")
    return tuple(one(f, x) for x in v)


def _expected(f, op, v):
    """The rule's value, checked and normalised; raises ValueError (zh-hans) if wrong."""
    if op in NULL_OPERATORS:
        if v is not _ABSENT and v is not None:
            raise ValueError(f"运算符“{op}”不需要值")
        return None
    if v is _ABSENT:
        raise ValueError("缺少“value”")
    if op == "between":
        if not isinstance(v, list | tuple) or len(v) != 2:
            raise ValueError(f"“between”的值必须是 [下限, 上限] 两个数字（{f.label}）")
        low, high = _num(f, v[0]), _num(f, v[1])
        if low > high:
            raise ValueError(f"“{f.label}”的下限不能大于上限")
        return (low, high)
    if f.type == "number":
        return _num(f, v)
    if f.type == "region":
        return _many(f, v, _region) if isinstance(v, list | tuple) else (_region(f, v),)
    if op in ("in", "not_in", "has_any", "has_none"):
        return _many(f, v, _choice)
    return _choice(f, v)


def _fact(f, v):
    """The enterprise's value for a field, normalised; None when it has none."""
    if v is None:
        return None
    if f.type == "number":
        if type(v) is Decimal and v.is_finite():
            return v  # what the database gives: the common case, checked cheaply
        if type(v) is int:
            return Decimal(v)
        if isinstance(v, float):
            v = str(v)
        try:
            return _num(Field(f.name, f.label, "number"), v)
        except ValueError as exc:
            raise ValueError(f"企业数据有误：{exc}") from None
    if f.type == "set":
        if isinstance(v, str):
            raise ValueError(f"企业数据有误：“{f.label}”应是集合")
        return tuple(sorted({str(x) for x in v}))
    return str(v)


def validate(spec) -> list[str]:
    """Every problem with the rule, in zh-hans; [] when it is valid."""
    problems = []
    _check(spec, "", 0, problems)
    return problems


def _valid(spec):
    if problems := validate(spec):
        raise InvalidSpec(problems)


def _check(node, loc, depth, out):
    def bad(msg):
        out.append(f"{loc or '规则'}：{msg}")

    if not isinstance(node, dict):
        return bad(f"条件必须是对象（JSON 对象），实际为 {type(node).__name__}")
    key = next((k for k in ("all", "any") if k in node), None)
    extra = set(node) - ({key} if key else {"field", "op", "value"})
    if extra:
        return bad("不允许的键：" + "、".join(f"“{k}”" for k in sorted(map(str, extra))))
    if key:
        items = node[key]
        if depth >= MAX_DEPTH:
            return bad(f"嵌套超过 {MAX_DEPTH} 层")
        if not isinstance(items, list):
            return bad(f"“{key}”的值必须是列表")
        if not items:
            return bad("条件组不能为空")
        for i, child in enumerate(items):
            _check(child, f"{loc}.{key}[{i}]" if loc else f"{key}[{i}]", depth + 1, out)
        return
    name, op = node.get("field"), node.get("op")
    f = FIELDS.get(name) if isinstance(name, str) else None
    if f is None:
        return bad(f"未知字段“{name}”" if "field" in node else "缺少“field”")
    if not isinstance(op, str) or op not in OPERATORS:
        return bad(f"未知运算符“{op}”" if "op" in node else "缺少“op”")
    if op not in f.operators:
        return bad(f"字段“{f.label}”不支持运算符“{op}”（可用：{'、'.join(f.operators)}）")
    try:
        _expected(f, op, node.get("value", _ABSENT))
    except ValueError as exc:
        bad(str(exc))


def expected_of(spec):
    """A leaf's value, normalised as the engine compares it (the spec is valid)."""
    return _expected(FIELDS[spec["field"]], spec["op"], spec.get("value", _ABSENT))


def _names_of(f, codes, names):
    if f.type != "region" or not names:
        return None
    return {code: names[code] for code in codes if code in names} or None


def _region_codes(node):
    if "field" in node:
        if FIELDS[node["field"]].type == "region":
            yield from expected_of(node)
        return
    for child in next(iter(node.values())):
        yield from _region_codes(child)


def _leaf(node, facts, names):
    f, op = FIELDS[node["field"]], node["op"]
    e = _expected(f, op, node.get("value", _ABSENT))
    a = _fact(f, facts.get(f.name))
    if f.type == "region" and names:
        shown = (*e, a.rstrip("/").rsplit("/", 1)[-1]) if a else e
        names = _names_of(f, shown, names)
    else:
        names = None
    if op in NULL_OPERATORS:
        ok = (a is None) == (op == "is_null")
    elif a is None:
        return ConditionResult(f.name, op, e, None, None, names)
    else:
        ok = _TESTS[op](a, e)
    return ConditionResult(f.name, op, e, a, ok, names)


def _eval(node, facts, out, names):
    """Whether node holds, and the cheapest list of failing leaves that would make it hold."""
    if "field" in node:
        r = _leaf(node, facts, names)
        out.append(r)
        return r.ok is True, ([] if r.ok else [r])
    key, items = next(iter(node.items()))
    at = len(out)
    results = [_eval(child, facts, out, names) for child in items]
    if key == "all":
        return all(ok for ok, _ in results), [r for _, fix in results for r in fix]
    held = tuple(i for i, (ok, _) in enumerate(results, 1) if ok)
    specs = tuple(items[i - 1] for i in held)
    shown = {code for spec in specs for code in _region_codes(spec)} if names else ()
    shown = {code: names[code] for code in shown if code in names} or None
    out.insert(at, ConditionResult("", "any", len(items), held, bool(held), shown, specs))
    return bool(held), ([] if held else min((fix for _, fix in results), key=len))


def _run(spec, facts, names):
    _valid(spec)
    out = []
    matched, fix = _eval(spec, facts, out, names)
    return Evaluation(matched, out, [r for r in out if r.ok is None]), fix


def evaluate(spec, facts: dict, *, region_names=None) -> Evaluation:
    """Match an enterprise's facts against the rule; raises InvalidSpec (a ValueError)."""
    return _run(spec, facts, region_names)[0]


def nearly(spec, facts: dict, *, region_names=None) -> list[ConditionResult] | None:
    """The one failing leaf whose flipping would make an unmatched rule match, else None."""
    evaluation, fix = _run(spec, facts, region_names)
    return None if evaluation.matched or len(fix) != 1 else fix


def describe(spec, *, region_names=None, language=None) -> str:
    """The whole rule in words, in the active language (or `language`)."""
    from conditions.explain import describe_spec

    _valid(spec)
    return describe_spec(spec, language, names=region_names)


class Rule:
    """A rule validated once, for jobs that test it against many enterprises: `holds` is the
    yes/no answer without the explanation (cheap); `evaluate` explains, like evaluate()."""

    def __init__(self, spec):
        _valid(spec)
        self.spec = spec
        self.holds = _compile(spec)

    def evaluate(self, facts: dict, *, region_names=None) -> Evaluation:
        out = []
        matched, _fix = _eval(self.spec, facts, out, region_names)
        return Evaluation(matched, out, [r for r in out if r.ok is None])


def _compile(node):
    """A predicate over facts with the same answer as _eval (tested to agree)."""
    if "field" in node:
        f, op = FIELDS[node["field"]], node["op"]
        expected = _expected(f, op, node.get("value", _ABSENT))
        if op in NULL_OPERATORS:
            wanted_none = op == "is_null"
            return lambda facts: (_fact(f, facts.get(f.name)) is None) == wanted_none
        test = _TESTS[op]

        def leaf(facts):
            actual = _fact(f, facts.get(f.name))
            return actual is not None and test(actual, expected)

        return leaf
    key, items = next(iter(node.items()))
    parts = [_compile(child) for child in items]
    if key == "all":
        return lambda facts: all(part(facts) for part in parts)
    return lambda facts: any(part(facts) for part in parts)
