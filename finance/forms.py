"""Forms of the finance pages: types and required values; the rules live in the services,
whose refusals go onto the field they concern."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from conditions.builder import builder_state, parse_builder, parse_json, posted_state
from config.forms import DatePicker
from finance.models import (
    FinancialProduct,
    FinancingNeed,
    Institution,
    ListingCase,
    Offer,
    Stage,
)
from finance.services.needs import NEED_FIELDS
from registry.choices import Industry

ELIGIBILITY_PREFIX = "elig-"
PRODUCT_FORM_FIELDS = [
    "name", "kind", "min_amount", "max_amount", "min_rate", "max_rate", "min_term_months",
    "max_term_months", "description",
]  # fmt: skip


class NeedForm(forms.ModelForm):
    class Meta:
        model = FinancingNeed
        fields = NEED_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "collateral": forms.Textarea(attrs={"rows": 2}),
            "needed_by": DatePicker(),
            "audience": forms.RadioSelect,
        }

    def values(self) -> dict:
        return {f: self.cleaned_data[f] for f in NEED_FIELDS}


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["product", "amount", "rate", "valuation", "term_months", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = FinancialProduct.objects.filter(
            institution=institution, is_active=True
        )

    def values(self) -> dict:
        return dict(self.cleaned_data)


class FundForm(forms.Form):
    amount = forms.DecimalField(label=_("到位金额（元）"), max_digits=16, decimal_places=2)
    funded_on = forms.DateField(label=_("到位日期"), widget=DatePicker())


class MessageForm(forms.Form):
    body = forms.CharField(label=_("留言"), max_length=1000, widget=forms.Textarea({"rows": 2}))
    institution = forms.ModelChoiceField(
        label=_("机构"), queryset=Institution.objects.none(), required=False
    )


class MeetingForm(forms.Form):
    met_on = forms.DateField(label=_("会谈日期"), widget=DatePicker())
    notes = forms.CharField(
        label=_("会谈纪要"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class NameForm(forms.Form):
    institutions = forms.ModelMultipleChoiceField(
        label=_("可查看该需求的机构"),
        queryset=Institution.objects.approved().select_related("organisation"),
        widget=forms.CheckboxSelectMultiple,
    )


class ProductForm(forms.ModelForm):
    stages = forms.MultipleChoiceField(
        label=_("投资阶段"), choices=Stage.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    industries = forms.MultipleChoiceField(
        label=_("关注行业"), choices=Industry.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    # The builder above writes the eligibility (as on the policy and voucher programme
    # forms); this box holds a rule nested deeper than the builder shows and wins if filled.
    conditions = forms.CharField(
        label=_("高级：条件 JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_("条件嵌套超过一层时在此编辑，填写后以此为准；一般请使用上方的条件编辑器。"),
    )

    class Meta:
        model = FinancialProduct
        fields = PRODUCT_FORM_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # a refused form comes back as the person left it
            self.builder = posted_state(self.data, prefix=ELIGIBILITY_PREFIX)
            return
        spec = self.instance.conditions if self.instance.pk else None
        self.builder = builder_state(spec or None, prefix=ELIGIBILITY_PREFIX)
        if self.builder is None:  # deeper than the builder shows: in the JSON box
            self.initial["conditions"] = json.dumps(spec, ensure_ascii=False, indent=2)
            self.builder = builder_state(None, prefix=ELIGIBILITY_PREFIX)

    def clean_conditions(self):
        text = self.cleaned_data["conditions"].strip()
        spec, problems = (
            parse_json(text)
            if text
            else parse_builder(self.data, prefix=ELIGIBILITY_PREFIX, allow_empty=True)
        )
        if problems:
            raise forms.ValidationError(problems)
        return spec or None

    def values(self) -> dict:
        return {
            f: self.cleaned_data[f]
            for f in [*PRODUCT_FORM_FIELDS, "stages", "industries", "conditions"]
        }


class InstitutionForm(forms.Form):
    introduction = forms.CharField(
        label=_("机构简介"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )


class RecommendForm(forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label=_("融资需求"), queryset=FinancingNeed.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    institutions = forms.ModelMultipleChoiceField(
        label=_("推荐给"),
        queryset=Institution.objects.approved().select_related("organisation"),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("推荐说明"), max_length=1000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, needs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs


class ListingForm(forms.ModelForm):
    class Meta:
        model = ListingCase
        fields = ["enterprise", "target_board", "adviser", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class AdvanceForm(forms.Form):
    notes = forms.CharField(label=_("备注"), max_length=2000, required=False)
    listed_on = forms.DateField(label=_("上市日期"), required=False, widget=DatePicker())


class RecommendEnterprisesForm(forms.Form):
    """Staff's batch of registry enterprises (the page's search narrows the choices)."""

    enterprises = forms.ModelMultipleChoiceField(
        label=_("企业"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("推荐给"),
        queryset=Institution.objects.approved().select_related("organisation"),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("推荐说明"), max_length=1000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, enterprises, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = enterprises
        # The choices listed are the search's; a POST is checked against every enterprise
        # the staff may recommend.
        self.fields["enterprises"].choices = [(e.pk, f"{e.name}（{e.region}）") for e in shown]
