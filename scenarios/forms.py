"""The forms of the scenario pages; the services check everything again."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel
from conditions.builder import parse_json
from config.forms import ConstraintMessagesMixin
from scenarios.models import (
    AwardForm,
    Benefit,
    Outcome,
    PublisherKind,
    Response,
    Scenario,
    ScenarioList,
)
from scenarios.services.responses import RESPONSE_FIELDS

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


def _regions():
    return Region.objects.exclude(level=RegionLevel.COUNTRY).order_by("code")


class PublisherApplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("发布方类型"), choices=PublisherKind.choices)
    jurisdiction = forms.ModelChoiceField(label=_("所属辖区"), queryset=_regions())


class ScenarioListForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = ScenarioList
        fields = ["title", "version", "issued_on"]
        widgets = {"issued_on": DATE}


class ScenarioForm(ConstraintMessagesMixin, forms.ModelForm):
    benefits = forms.MultipleChoiceField(
        label=_("揭榜方可获得"), choices=Benefit.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    conditions_json = forms.CharField(
        label=_("资格条件（条件语言 JSON，可留空）"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control font-monospace"}),
        help_text=_('例如 {"field": "tier", "op": "in", "value": ["growth", "leading"]}：'
                    "仅成长型及以上的在库企业可响应。"),
    )  # fmt: skip

    class Meta:
        model = Scenario
        fields = [
            "title", "description", "kind", "nature", "demand_side", "industry", "region",
            "budget_min", "budget_max", "deadline", "requirements", "benefits", "co_building",
            "contact_name", "contact_phone", "attachment",
        ]  # fmt: skip
        widgets = {"deadline": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()
        if self.instance.pk and self.instance.conditions:
            self.initial["conditions_json"] = json.dumps(
                self.instance.conditions, ensure_ascii=False
            )

    def clean_conditions_json(self):
        text = self.cleaned_data["conditions_json"].strip()
        if not text:
            return {}
        spec, problems = parse_json(text)
        if problems:
            raise forms.ValidationError(problems)
        return spec

    def values(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["conditions"] = self.cleaned_data["conditions_json"]
        if not data["attachment"]:
            data.pop("attachment")
        return data


class ResponseForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = Response
        fields = RESPONSE_FIELDS

    def values(self) -> dict:
        data = {f: self.cleaned_data[f] for f in RESPONSE_FIELDS}
        if not data["attachment"]:
            data.pop("attachment")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class MessageForm(forms.Form):
    body = forms.CharField(label=_("留言"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class AwardEntryForm(forms.Form):
    """One response on the award page: tick it to award it, with the terms."""

    chosen = forms.BooleanField(label=_("中选"), required=False)
    form = forms.ChoiceField(label=_("揭榜形式"), choices=AwardForm.choices)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=16,
                                decimal_places=2)  # fmt: skip
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    product_name = forms.CharField(label=_("产品或服务名称"), max_length=200, required=False)
    new_product = forms.BooleanField(label=_("首次采购的创新产品（首购首用）"), required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("实施结果"), choices=Outcome.choices)
    progress = forms.CharField(label=_("进展说明"), max_length=1000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class TypicalCaseForm(forms.Form):
    title = forms.CharField(label=_("案例标题"), max_length=200)
    summary = forms.CharField(label=_("案例摘要"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
