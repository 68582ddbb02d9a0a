import json

from django import forms
from django.utils.translation import gettext_lazy as _

from adjustment.models import ProposalKind, ProposalStatus
from adjustment.rules import YEARS_RANGE, validate_rules
from registry.choices import ListingStatus, RecordKind, Tier


class StartRunForm(forms.Form):
    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int)

    def __init__(self, *args, latest: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in range(latest, latest - 5, -1)]


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("企业名称"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + ProposalStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("调整类型"), required=False, choices=[("", _("全部"))] + ProposalKind.choices
    )
    year = forms.IntegerField(label=_("报告年度"), required=False)
    appeal = forms.ChoiceField(
        label=_("申诉"), required=False, choices=[("", _("全部")), ("pending", _("申诉待处理"))]
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AmendForm(ReasonForm):
    kind = forms.ChoiceField(label=_("调整类型"), choices=ProposalKind.choices)
    tier = forms.ChoiceField(
        label=_("目标层级"), required=False, choices=[("", _("（退出或毕业不选）"))] + Tier.choices
    )


class AppealDecisionForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("结论"),
        coerce=lambda v: v == "1",
        choices=[("1", _("申诉成立，恢复原层级")), ("0", _("申诉不成立"))],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))


class RulesForm(forms.Form):
    """The rule set's numbers and choices; each tier's condition comes from its own
    condition builder (conditions/builder.py, prefix "<tier>-"). A JSON box holds a rule set
    nested deeper than the builder shows, and wins when it is filled."""

    downgrade_after_years = forms.IntegerField(
        label=_("降级所需连续不达标年数"),
        min_value=YEARS_RANGE.start,
        max_value=YEARS_RANGE.stop - 1,
        required=False,  # the JSON box may hold the whole set; validate_rules checks it
    )
    exit_after_missing_years = forms.IntegerField(
        label=_("连续未报送即退出的年数"),
        min_value=YEARS_RANGE.start,
        max_value=YEARS_RANGE.stop - 1,
        required=False,
    )
    graduate_listing = forms.MultipleChoiceField(
        label=_("毕业：上市状态为以下之一"),
        choices=ListingStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exit_records = forms.MultipleChoiceField(
        label=_("退出：有以下记录之一"),
        choices=RecordKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rules_json = forms.CharField(
        label=_("高级：整套规则 JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_("填写后以此为准，忽略上方的条件行和选项；适合两层以上的嵌套。"),
    )

    def clean_rules_json(self):
        text = self.cleaned_data["rules_json"].strip()
        if not text:
            return None
        try:
            rules = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)s 行第 %(col)s 列附近。"),
                params={"line": exc.lineno, "col": exc.colno},
            ) from None
        if problems := validate_rules(rules):
            raise forms.ValidationError(problems)
        return rules

    def rules(self, tiers: dict) -> dict:
        """The whole rule set: the JSON box if filled, else the tiers and these fields."""
        if self.cleaned_data["rules_json"] is not None:
            return self.cleaned_data["rules_json"]
        names = ("downgrade_after_years", "exit_after_missing_years", "graduate_listing",
                 "exit_records")  # fmt: skip
        return {"tiers": tiers, **{name: self.cleaned_data[name] for name in names}}
