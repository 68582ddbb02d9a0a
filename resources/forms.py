"""Forms for data-resource registration; the rules themselves live in the service
(`value_problems`), so the form and the API refuse exactly the same values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import ConstraintMessagesMixin
from resources.models import DataResource, DataSource, RevisionKind, UsageRight
from resources.services.registration import RESOURCE_FIELDS, value_problems


class DataResourceForm(ConstraintMessagesMixin, forms.ModelForm):
    sources = forms.MultipleChoiceField(
        label=_("数据来源"),
        choices=DataSource.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种数据来源。")},
    )
    usage_rights = forms.MultipleChoiceField(
        label=_("权利类型"),
        choices=UsageRight.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("依据“数据二十条”的数据资源持有权、数据加工使用权、数据产品经营权，可多选。"),
        error_messages={"required": _("请至少选择一种权利类型。")},
    )

    class Meta:
        model = DataResource
        fields = RESOURCE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "security_measures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "security_measures": _("安全级别为重要数据或核心数据时必填。"),
            "volume": _("数值，单位在右侧选择。"),
        }
        error_messages = {
            "name": {"required": _("请填写资源名称。")},
            "description": {"required": _("请填写资源描述。")},
            "volume": {"required": _("请填写数据规模。"), "invalid": _("数据规模必须是数字。")},
        }

    def clean(self):
        data = super().clean()
        # The service's rules, shown on each field that passed its own checks (so a
        # missing value is reported once, in the field's own words).
        for field, message in value_problems(self.values()).items():
            if field in self.cleaned_data:
                self.add_error(field, message)
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RESOURCE_FIELDS}


class ChangeForm(DataResourceForm):
    """New values for a coded record, with the reason (a change, a correction)."""

    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请说明变更或更正的理由。")},
    )


class EnterpriseChangeForm(ChangeForm):
    kind = forms.ChoiceField(
        label=_("申请类型"),
        choices=[(RevisionKind.CHANGE, _("变更（登记内容发生变化）")),
                 (RevisionKind.CORRECTION, _("更正（原登记内容有误）"))],
        widget=forms.RadioSelect,
        initial=RevisionKind.CHANGE,
    )  # fmt: skip
