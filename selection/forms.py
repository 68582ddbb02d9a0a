from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import ConstraintMessagesMixin, DatePicker, DateTimePicker
from selection.choices import AttachmentKind, ReviewOutcome
from selection.models import (
    Application,
    ApplicationFigures,
    ChecklistItem,
    PanelCriterion,
    SelectionRound,
    TierRule,
)
from selection.services.applications import APPLICATION_FIELDS, FIGURE_FORM_FIELDS
from selection.services.round_checks import settings_problems, tier_rule_problems
from selection.services.rounds import ROUND_FIELDS


class RoundForm(ConstraintMessagesMixin, forms.ModelForm):
    """A round's dates and settings, validated together (as the service will)."""

    class Meta:
        model = SelectionRound
        fields = ROUND_FIELDS
        widgets = {
            "application_opens_at": DateTimePicker(),
            "application_closes_at": DateTimePicker(),
            "review_opens_on": DatePicker(),
            "review_closes_on": DatePicker(),
        }

    def clean(self):
        data = super().clean()
        values = {f: getattr(self.instance, f, None) for f in ROUND_FIELDS}
        values.update({f: data[f] for f in ROUND_FIELDS if f in data})
        for field, message in settings_problems(SimpleNamespace(**values)):
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ApplicationForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        widgets = {
            "innovation_summary": forms.Textarea(attrs={"rows": 5}),
            "data_practice": forms.Textarea(attrs={"rows": 5}),
            "growth_plan": forms.Textarea(attrs={"rows": 5}),
        }


class FiguresForm(ConstraintMessagesMixin, forms.ModelForm):
    """One year's figures; the year is fixed by the round, not typed."""

    class Meta:
        model = ApplicationFigures
        fields = FIGURE_FORM_FIELDS

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["valuation"].required = False


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类型"),
        choices=[("", _("- 请选择 -")), *AttachmentKind.choices],
        help_text=_("营业执照、身份证明和授权委托书不会提供给评审专家。"),
    )
    file = forms.FileField(
        label=_("PDF 附件"),
        help_text=_("营业执照、财务报表或审计报告、知识产权证明等，单个不超过 20 MB"),
    )


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("本企业承诺所填报的信息和提交的材料真实、准确、完整，如有不实，愿承担相应责任。")
    )


class ReviewForm(forms.Form):
    """One pass/fail + note per checklist item, then an outcome."""

    outcome = forms.ChoiceField(label=_("审查结论"), choices=ReviewOutcome.choices)
    reason = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)
        for item in self.checklist:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text,
                choices=[("1", _("符合")), ("0", _("不符合"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("问题说明"), required=False, max_length=500
            )

    def item_rows(self):
        return [(self[f"item_{i.pk}"], self[f"note_{i.pk}"]) for i in self.checklist]

    def items(self) -> dict:
        return {
            i.pk: (self.cleaned_data[f"item_{i.pk}"], self.cleaned_data[f"note_{i.pk}"])
            for i in self.checklist
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=300)


class CriterionForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = PanelCriterion
        fields = ["name", "guidance", "weight", "max_score"]
        widgets = {"guidance": forms.TextInput()}


class TierRuleForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = TierRule
        fields = [
            "tier",
            "category",
            "min_final_score",
            "min_revenue",
            "min_age_years",
            "max_age_years",
            "quota",
        ]

    def clean(self):
        data = super().clean()
        if {"tier", "min_final_score"} <= set(data):
            row = {f: data.get(f) for f in self.Meta.fields}
            for message in tier_rule_problems([row]):
                self.add_error(None, message)
        return data


class ChecklistItemForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text"]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)
ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=1, can_delete=True)
TierRuleFormSet = forms.formset_factory(TierRuleForm, extra=1, can_delete=True)


class RubricForm(forms.Form):
    """The pass mark, each group's minimum and each indicator's bands, one band per line:
    "lower, upper, points" (an empty bound is open), e.g. "10, , 20" means ≥ 10 → 20."""

    pass_mark = forms.DecimalField(label=_("指标及格线"), max_digits=6, decimal_places=2)

    def __init__(self, *args, selection_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(selection_round.groups.prefetch_related("indicators"))
        self.fields["pass_mark"].initial = selection_round.pass_mark
        for group in self.groups:
            self.fields[f"group_{group.code}"] = forms.DecimalField(
                label=_("%(g)s最低得分") % {"g": group.name}, max_digits=6, decimal_places=2,
                initial=group.minimum,
            )  # fmt: skip
            for indicator in group.indicators.all():
                self.fields[f"bands_{indicator.code}"] = forms.CharField(
                    label=indicator.name,
                    initial="\n".join(_band_line(b) for b in indicator.bands),
                    widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
                )

    def rows(self):
        """[(group minimum field, [indicator bands fields])] for the template."""
        return [
            (self[f"group_{g.code}"], [self[f"bands_{i.code}"] for i in g.indicators.all()])
            for g in self.groups
        ]

    def clean(self):
        data = super().clean()
        self.bands, self.minimums = {}, {}
        for name, value in list(data.items()):
            if name.startswith("group_"):
                self.minimums[name.removeprefix("group_")] = value
            elif name.startswith("bands_"):
                try:
                    self.bands[name.removeprefix("bands_")] = _parse_bands(value)
                except ValueError as exc:
                    self.add_error(name, str(exc))
        return data


def _band_line(band) -> str:
    return ", ".join("" if v is None else str(v) for v in band)


def _parse_bands(text: str) -> list:
    from decimal import Decimal, InvalidOperation

    bands = []
    for n, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 3 or not parts[2]:
            raise ValueError(
                _("第 %(n)s 行应为“下限, 上限, 分值”（下限或上限可留空）。") % {"n": n}
            )
        try:
            bands.append(tuple(Decimal(p) if p else None for p in parts))
        except InvalidOperation:
            raise ValueError(_("第 %(n)s 行含有不是数字的内容。") % {"n": n}) from None
    if not bands:
        raise ValueError(_("至少需要一档。"))
    return bands
