"""Forms of the voucher pages. The rules live in the services (vouchers/services/): a form
checks types and required values, the service's refusals go onto the field they concern."""

import json
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from conditions.builder import builder_state, parse_builder, posted_state
from config.forms import DatePicker
from vouchers.models import HubNode, Provider, RelationKind, VoucherKind, VoucherProgram
from vouchers.services.programs import PROGRAM_FIELDS

ELIGIBILITY_PREFIX = "elig-"


class ProgramForm(forms.ModelForm):
    """A draft programme (or the values of a new version). Staff of a jurisdiction run the
    programmes of their own region: the jurisdiction field is there for admins only."""

    # The builder above the form writes the conditions; this box holds a rule nested deeper
    # than the builder shows and wins when it is filled (as on the policy form).
    conditions = forms.CharField(
        label=_("高级：条件 JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_(
            "条件嵌套超过一层时在此编辑，填写后以此为准；一般请使用上方的条件编辑器。"
            "不设任何条件表示辖区内已认证企业均可申请。"
        ),
    )

    class Meta:
        model = VoucherProgram
        fields = PROGRAM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opens_on": DatePicker(),
            "closes_on": DatePicker(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_admin:
            del self.fields["jurisdiction"]
        else:
            self.fields["jurisdiction"].queryset = Region.objects.order_by("path")
        if self.is_bound:  # a refused form comes back as the person left it
            self.builder = posted_state(self.data, prefix=ELIGIBILITY_PREFIX)
        else:
            self._show_conditions(self.instance.conditions if self.instance.pk else None)

    def _show_conditions(self, spec):
        """In the builder when it can show them; else in the JSON box."""
        self.builder = builder_state(spec or None, prefix=ELIGIBILITY_PREFIX)
        if self.builder is None:
            self.initial["conditions"] = json.dumps(spec, ensure_ascii=False, indent=2)
            self.builder = builder_state(None, prefix=ELIGIBILITY_PREFIX)

    def clean_conditions(self):
        text = (self.cleaned_data.get("conditions") or "").strip()
        if not text:
            spec, problems = parse_builder(self.data, prefix=ELIGIBILITY_PREFIX, allow_empty=True)
            if problems:
                raise forms.ValidationError(problems)
            return spec
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("申请条件不是有效的 JSON。")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("申请条件应为一个 JSON 对象。"))
        return value

    def validate_constraints(self):
        """The service checks the rules and answers with a sentence per field."""

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROGRAM_FIELDS if name in self.fields}


class ApplyForm(forms.Form):
    """The enterprise's application: the provider (chosen first: its catalogue gives the
    product lines), the signed contract, the products and quantities, the amount sought."""

    provider = forms.ModelChoiceField(label=_("服务商"), queryset=Provider.objects.none())
    contract_number = forms.CharField(label=_("合同编号"), max_length=64)
    contract_signed_on = forms.DateField(label=_("合同签订日期"), widget=DatePicker())
    contract_starts_on = forms.DateField(label=_("合同开始日期"), widget=DatePicker())
    contract_ends_on = forms.DateField(
        label=_("合同结束日期"), widget=DatePicker(), help_text=_("合同期限不超过 1 年。")
    )
    contract_amount = forms.DecimalField(
        label=_("合同金额（元）"), max_digits=16, decimal_places=2, min_value=0
    )
    amount_sought = forms.DecimalField(
        label=_("申请金额（元）"), max_digits=16, decimal_places=2, min_value=0
    )
    contract_file = forms.FileField(
        label=_("合同（PDF）"), help_text=_("已签订合同的扫描件，PDF 格式，按内容核验。")
    )
    this_program = forms.BooleanField(
        label=_("仍在本计划申请（一份合同只能在一个计划中使用）"), required=False
    )

    def __init__(self, *args, providers, products=(), show_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.products = list(products)
        for product in self.products:
            self.fields[f"qty_{product.pk}"] = forms.DecimalField(
                label=_("%(p)s 数量（%(u)s，单价 %(price)s 元）")
                % {"p": product.name, "u": product.unit, "price": product.unit_price},
                required=False,
                min_value=0,
                max_digits=16,
                decimal_places=3,
            )
        if not show_choice:
            del self.fields["this_program"]

    def quantity_fields(self):
        return [self[f"qty_{p.pk}"] for p in self.products]

    def clean(self):
        data = super().clean()
        if self.products and not any(data.get(f"qty_{p.pk}") for p in self.products):
            first = f"qty_{self.products[0].pk}"
            if first not in self.errors:
                self.add_error(first, _("请至少填写一项服务产品及数量。"))
        return data

    def items(self) -> list[dict]:
        return [
            {"product": p.pk, "quantity": self.cleaned_data[f"qty_{p.pk}"]}
            for p in self.products
            if self.cleaned_data.get(f"qty_{p.pk}")
        ]

    def values(self) -> dict:
        names = (
            "provider", "contract_number", "contract_signed_on", "contract_starts_on",
            "contract_ends_on", "contract_amount", "amount_sought", "contract_file",
        )  # fmt: skip
        return {n: self.cleaned_data[n] for n in names} | {"items": self.items()}


class ClaimForm(forms.Form):
    """A claim against a voucher. The idempotency key is drawn when the form is shown and
    travels hidden: a double submit or a retry files one claim."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    invoice_number = forms.CharField(label=_("发票号码"), max_length=64)
    amount = forms.DecimalField(
        label=_("申领金额（元）"), max_digits=16, decimal_places=2, min_value=0
    )
    usage_quantity = forms.DecimalField(
        label=_("使用量"), max_digits=16, decimal_places=3, min_value=0
    )
    usage_unit = forms.CharField(
        label=_("使用量单位"), max_length=20, help_text=_("如卡时、次调用、GB。")
    )
    proof = forms.FileField(label=_("交付证明（PDF）"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class ProviderForm(forms.Form):
    service_kinds = forms.MultipleChoiceField(
        label=_("服务类型"),
        choices=VoucherKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种有效的服务类型。")},
    )
    hub_node = forms.ChoiceField(
        label=_("算力枢纽节点"),
        choices=[("", "—"), *HubNode.choices],
        required=False,
        help_text=_("提供算力服务的，填写算力所在的全国一体化算力网络枢纽节点。"),
    )
    group_name = forms.CharField(label=_("所属集团"), max_length=200, required=False)


class ProductForm(forms.Form):
    kind = forms.ChoiceField(label=_("券种"), choices=VoucherKind.choices)
    name = forms.CharField(label=_("产品名称"), max_length=200)
    unit = forms.CharField(label=_("计量单位"), max_length=20)
    unit_price = forms.DecimalField(
        label=_("单价（元）"), max_digits=16, decimal_places=2, min_value=0
    )
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)


class RelatedPartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("关联类型"), choices=RelationKind.choices)
    uscc = forms.CharField(label=_("关联企业统一社会信用代码"), max_length=18)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("券号"), max_length=40)
