import json

from django import forms
from django.utils.translation import gettext_lazy as _

from adjustment.models import ProposalKind, ProposalStatus
from adjustment.rules import validate_rules
from registry.choices import Tier


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
    rules = forms.CharField(
        label=_("规则（JSON）"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace", "spellcheck": "false"}),
    )

    def clean_rules(self):
        try:
            rules = json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)s 行第 %(col)s 列附近。"),
                params={"line": exc.lineno, "col": exc.colno},
            ) from None
        if problems := validate_rules(rules):
            raise forms.ValidationError(problems)
        return rules
