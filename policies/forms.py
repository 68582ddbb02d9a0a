"""Policy forms and the condition builder (rows of field / operator / value in AND/OR groups).

The builder posts rows named `r<token>-group|field|op|value|delete` and groups named
`g<token>-join`; group "0" is the top level. One nesting level in the page; a deeper rule
(the engine allows MAX_DEPTH) is edited as JSON in the advanced box.
"""

import json
import re
import secrets

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.phone import normalise_contact_phone, validate_contact_phone
from conditions.engine import FIELDS, NULL_OPERATORS, OPERATORS, validate
from config.forms import ConstraintMessagesMixin, DatePicker
from policies.models import Policy, PolicyGrant

LIST_OPERATORS = ("in", "not_in", "has_any", "has_none", "within", "not_within")
SEPARATORS = re.compile(r"[,，、;；\s]+")
ROW_KEY = re.compile(r"^r([0-9a-z]+)-field$")
GROUP_KEY = re.compile(r"^g([0-9a-z]+)-join$")


def new_token() -> str:
    return secrets.token_hex(4)


class PolicyForm(ConstraintMessagesMixin, forms.ModelForm):
    conditions_json = forms.CharField(
        label=_("高级：条件 JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_("填写后以此为准，忽略上方的条件行；适合两层以上的嵌套。"),
    )

    class Meta:
        model = Policy
        fields = [
            "title",
            "department",
            "kind",
            "mode",
            "jurisdiction",
            "benefit_amount",
            "benefit",
            "valid_from",
            "valid_until",
            "beneficiary",
            "contact",
        ]
        widgets = {
            "valid_from": DatePicker(),
            "valid_until": DatePicker(),
            "benefit": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if not user.is_admin:
            regions = regions.filter(path__startswith=user.region.path)
        self.fields["jurisdiction"].queryset = regions

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("有效期止不能早于有效期起。"))
        return cleaned

    def values(self, conditions) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["conditions"] = conditions
        return values


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


def parse_builder(data) -> tuple[dict | None, list[str]]:
    """(rule, problems) from the posted builder; the rule is None when there is none."""
    advanced = (data.get("conditions_json") or "").strip()
    if advanced:
        try:
            spec = json.loads(advanced)
        except ValueError:
            return None, [str(_("条件 JSON 格式不正确。"))]
        return spec, validate(spec)
    joins = {m.group(1): data.get(key) for key in data for m in [GROUP_KEY.match(key)] if m}
    groups: dict[str, list] = {}
    problems = []
    for key in data:
        match = ROW_KEY.match(key)
        if not match or data.get(f"r{match.group(1)}-delete"):
            continue
        token = match.group(1)
        name, op = data.get(key, ""), data.get(f"r{token}-op", "")
        raw = data.get(f"r{token}-value", "")
        if not name and not raw.strip():
            continue  # an untouched empty row
        field = FIELDS.get(name)
        if field is None:
            problems.append(str(_("未知字段“%(f)s”") % {"f": name}))
            continue
        leaf = {"field": name, "op": op}
        if op not in NULL_OPERATORS:
            leaf["value"] = _value(field, op, raw)
        groups.setdefault(data.get(f"r{token}-group", "0"), []).append(leaf)
    if problems:
        return None, problems
    items = list(groups.pop("0", []))
    for token, leaves in groups.items():
        join = joins.get(token) if joins.get(token) in ("all", "any") else "all"
        items.append({join: leaves})
    if not items:
        return None, [str(_("请至少添加一个条件。"))]
    top = data.get("g0-join") if data.get("g0-join") in ("all", "any") else "all"
    spec = {top: items}
    return spec, validate(spec)


def _text(field, leaf):
    value = leaf.get("value")
    if value is None:
        return ""
    if isinstance(value, list):
        return "，".join(str(v) for v in value)
    return str(value)


def builder_state(spec) -> dict | None:
    """The rule as builder groups for the page, or None if it nests deeper than the page
    shows (then the advanced JSON box holds it)."""
    if not spec:
        return {"join": "all", "groups": [{"token": "0", "join": "all", "rows": [blank_row("0")]}]}
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
    return {"join": top, "groups": groups}


def _row(group, leaf):
    return {
        "token": new_token(),
        "group": group,
        "field": leaf["field"],
        "op": leaf["op"],
        "value": _text(FIELDS[leaf["field"]], leaf),
    }


def blank_row(group):
    return {"token": new_token(), "group": group, "field": "", "op": "", "value": ""}


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


class BankDetailsForm(forms.Form):
    account_name = forms.CharField(label=_("开户名称"), max_length=200)
    bank_name = forms.CharField(label=_("开户银行"), max_length=200)
    account_number = forms.CharField(label=_("银行账号"), max_length=40)


class QuickApplicationForm(forms.Form):
    contact_name = forms.CharField(label=_("联系人"), max_length=100)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, validators=[validate_contact_phone]
    )
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    statement = forms.CharField(
        label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def clean_contact_phone(self):
        return normalise_contact_phone(self.cleaned_data["contact_phone"])


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("放弃原因"), max_length=300)


class DeliverForm(forms.Form):
    note = forms.CharField(label=_("兑现说明"), max_length=300, required=False)


class GrantFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *PolicyGrant._meta.get_field("status").choices],
    )
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)
