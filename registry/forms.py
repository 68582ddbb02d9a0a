from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.phone import normalise_contact_phone
from config.errors import DomainError
from config.forms import ConstraintMessagesMixin, DatePicker
from registry.choices import DocumentKind
from registry.models import AnnualReport, Enterprise, EnterpriseRecord, ServiceRecord
from registry.services import PROFILE_FIELDS
from registry.services.reports import JUMP_CHECKED, REPORT_FIELDS
from registry.uscc import validate_uscc


class RegionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("- 请选择 -"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.full_name


class EnterpriseProfileForm(ConstraintMessagesMixin, forms.ModelForm):
    region = RegionChoiceField(
        queryset=Region.objects.exclude(level="country").select_related("parent"),
        label=_("所在地区"),
    )

    class Meta:
        model = Enterprise
        fields = PROFILE_FIELDS
        widgets = {
            "founded_on": DatePicker(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_contact_phone(self):
        """Spaces and a +86 prefix are dropped before the model's phone check."""
        return normalise_contact_phone(self.cleaned_data["contact_phone"])


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("您的姓名"), max_length=100)
    email = forms.EmailField(label=_("电子邮箱"))
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, min_length=8)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data

    def account_data(self):
        return {k: self.cleaned_data[k] for k in ("full_name", "email", "phone", "password")}

    def clean_uscc(self):
        """Check the code with the other fields, so every mistake shows at once."""
        try:
            return validate_uscc(self.cleaned_data["uscc"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


class RegistrationForm(AccountForm, EnterpriseProfileForm):
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18 位，字母不区分大小写"),
    )
    declaration = forms.BooleanField(
        label=_("本人承诺所填信息真实、准确、完整，并有权代表该企业注册。"), required=True
    )

    field_order = ["uscc", "name", *PROFILE_FIELDS[1:]]

    class Meta(EnterpriseProfileForm.Meta):
        fields = PROFILE_FIELDS

    def enterprise_fields(self):
        return [self["uscc"], *(self[name] for name in PROFILE_FIELDS)]


class JoinForm(AccountForm):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=30)
    note = forms.CharField(label=_("申请说明"), max_length=300, required=False)

    field_order = ["uscc", "full_name", "email", "phone", "password", "password2", "note"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("同意")), ("reject", _("拒绝"))])
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class ReportForm(ConstraintMessagesMixin, forms.ModelForm):
    """An annual report; each jump-checked field has a reason box for implausible values."""

    class Meta:
        model = AnnualReport
        fields = REPORT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valuation"].required = False
        for name in JUMP_CHECKED:
            self.fields[f"confirm_{name}"] = forms.CharField(
                label=_("%(f)s 异常说明") % {"f": self.fields[name].label},
                required=False,
                max_length=300,
                initial=(self.instance.confirmations or {}).get(name, ""),
            )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}

    def confirmations(self) -> dict:
        return {name: self.cleaned_data[f"confirm_{name}"] for name in JUMP_CHECKED}


class ServiceRecordForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = ServiceRecord
        fields = ["kind", "served_on", "notes", "follow_up_on"]
        widgets = {
            "served_on": DatePicker(),
            "follow_up_on": DatePicker(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class EnterpriseRecordForm(ConstraintMessagesMixin, forms.ModelForm):
    class Meta:
        model = EnterpriseRecord
        fields = ["kind", "occurred_on", "source", "note"]
        widgets = {
            "occurred_on": DatePicker(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("PDF 文件"),
        help_text=_("PDF，不超过 20 MB；按文件内容检查格式。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class VerificationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("通过认证")), ("return", _("退回"))])
    reason = forms.CharField(label=_("退回理由"), max_length=300, required=False)


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("接收")), ("reject", _("拒绝"))])
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class EnterpriseEditForm(EnterpriseProfileForm):
    """The profile edit page; staff also say why when they move the enterprise out of
    their jurisdiction (that becomes a transfer request)."""

    transfer_reason = forms.CharField(
        label=_("迁移说明"),
        max_length=300,
        required=False,
        help_text=_("迁往本辖区以外的地区时必填：该变更将作为迁移申请，由迁入地数据管理部门接收。"),
    )

    def __init__(self, *args, staff=False, transfer=None, **kwargs):
        """`transfer`: whether a region change may become a transfer request (staff always;
        members when the enterprise is in a jurisdiction's care) — default `staff`."""
        super().__init__(*args, **kwargs)
        if transfer is None:
            transfer = staff
        if not transfer:
            del self.fields["transfer_reason"]
        elif not staff:
            self.fields["transfer_reason"].help_text = _(
                "变更所在地区时必填：该变更将作为迁移申请，由迁入地数据管理部门接收后生效。"
            )
