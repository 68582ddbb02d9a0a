from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import DatePicker, DateTimePicker
from selection.choices import ReviewOutcome
from selection.models import (
    Application,
    ApplicationFigures,
    ChecklistItem,
    PanelCriterion,
    SelectionRound,
    TierRule,
)
from selection.services.applications import APPLICATION_FIELDS, FIGURE_FIELDS
from selection.services.rounds import ROUND_FIELDS


class RoundForm(forms.ModelForm):
    class Meta:
        model = SelectionRound
        fields = ROUND_FIELDS
        widgets = {
            "application_opens_at": DateTimePicker(),
            "application_closes_at": DateTimePicker(),
            "review_opens_on": DatePicker(),
            "review_closes_on": DatePicker(),
        }


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = APPLICATION_FIELDS
        widgets = {
            "innovation_summary": forms.Textarea(attrs={"rows": 5}),
            "data_practice": forms.Textarea(attrs={"rows": 5}),
            "growth_plan": forms.Textarea(attrs={"rows": 5}),
        }


class FiguresForm(forms.ModelForm):
    """One year's figures; the year is fixed by the round, not typed."""

    class Meta:
        model = ApplicationFigures
        fields = FIGURE_FIELDS

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["valuation"].required = False


class AttachmentForm(forms.Form):
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


class CriterionForm(forms.ModelForm):
    class Meta:
        model = PanelCriterion
        fields = ["name", "guidance", "weight", "max_score"]
        widgets = {"guidance": forms.TextInput()}


class TierRuleForm(forms.ModelForm):
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


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text"]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)
ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=1, can_delete=True)
TierRuleFormSet = forms.formset_factory(TierRuleForm, extra=1, can_delete=True)
