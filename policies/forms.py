"""Policy forms; the condition builder they post is conditions/builder.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.phone import normalise_contact_phone, validate_contact_phone
from config.forms import ConstraintMessagesMixin, DatePicker
from policies.models import Policy, PolicyGrant


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
