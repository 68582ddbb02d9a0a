"""FilterSets of the voucher API lists (a value outside a filter's type or choices is a 400)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from config.filters import IdFilter, StrictBooleanFilter, StrictFilterSet
from vouchers.models import (
    AWAITING_SETTLEMENT_STATES,
    ApplicationStatus,
    Claim,
    Claimant,
    ClaimStatus,
    HubNode,
    LedgerEntry,
    LedgerKind,
    MembershipStatus,
    Product,
    ProgramProvider,
    ProgramStatus,
    Provider,
    RedemptionMode,
    Voucher,
    VoucherApplication,
    VoucherKind,
    VoucherProgram,
    VoucherStatus,
)


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=2000, max_value=2100, **kwargs)


def _choice(label, choices):
    return django_filters.ChoiceFilter(label=label, choices=choices)


class VoucherProgramFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains",
                                  max_length=100)  # fmt: skip
    kind = _choice(_("券种"), VoucherKind.choices)
    status = _choice(_("状态"), ProgramStatus.choices)
    redemption_mode = _choice(_("兑付方式"), RedemptionMode.choices)
    year = YearFilter(label=_("年度"))

    class Meta:
        model = VoucherProgram
        fields = ["q", "kind", "status", "redemption_mode", "year"]


class ProviderFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="organisation__name",
                                  lookup_expr="icontains", max_length=100)  # fmt: skip
    hub_node = _choice(_("算力枢纽节点"), HubNode.choices)
    program = IdFilter(label=_("已入围计划"), method="filter_program")

    class Meta:
        model = Provider
        fields = ["q", "hub_node", "program"]

    def filter_program(self, queryset, name, value):
        return queryset.filter(
            memberships__program_id=value, memberships__status=MembershipStatus.APPROVED
        ).distinct()


class ProductFilter(StrictFilterSet):
    provider = IdFilter(label=_("服务商"), field_name="provider_id")
    kind = _choice(_("券种"), VoucherKind.choices)
    is_active = StrictBooleanFilter(label=_("在售"))

    class Meta:
        model = Product
        fields = ["provider", "kind", "is_active"]


class ProgramProviderFilter(StrictFilterSet):
    program = IdFilter(label=_("券种计划"), field_name="program_id")
    provider = IdFilter(label=_("服务商"), field_name="provider_id")
    status = _choice(_("状态"), MembershipStatus.choices)

    class Meta:
        model = ProgramProvider
        fields = ["program", "provider", "status"]


class VoucherApplicationFilter(StrictFilterSet):
    program = IdFilter(label=_("券种计划"), field_name="program_id")
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    provider = IdFilter(label=_("服务商"), field_name="provider_id")
    status = _choice(_("状态"), ApplicationStatus.choices)

    class Meta:
        model = VoucherApplication
        fields = ["program", "enterprise", "provider", "status"]


class VoucherFilter(StrictFilterSet):
    program = IdFilter(label=_("券种计划"), field_name="program_id")
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    provider = IdFilter(label=_("服务商"), field_name="provider_id")
    status = _choice(_("状态"), VoucherStatus.choices)
    kind = django_filters.ChoiceFilter(
        label=_("券种"), choices=VoucherKind.choices, field_name="program__kind"
    )

    class Meta:
        model = Voucher
        fields = ["program", "enterprise", "provider", "status", "kind"]


class ClaimFilter(StrictFilterSet):
    program = IdFilter(label=_("券种计划"), field_name="program_id")
    voucher = IdFilter(label=_("券"), field_name="voucher_id")
    provider = IdFilter(label=_("服务商"), field_name="provider_id")
    status = _choice(_("状态"), ClaimStatus.choices)
    claimant = _choice(_("申领方"), Claimant.choices)
    overdue = StrictBooleanFilter(label=_("仅看逾期未结算"), method="filter_overdue")

    class Meta:
        model = Claim
        fields = ["program", "voucher", "provider", "status", "claimant", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=AWAITING_SETTLEMENT_STATES, settle_due_on__lt=timezone.localdate())
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class LedgerEntryFilter(StrictFilterSet):
    program = IdFilter(label=_("券种计划"), field_name="program_id")
    voucher = IdFilter(label=_("券"), field_name="voucher_id")
    claim = IdFilter(label=_("兑付申领"), field_name="claim_id")
    kind = _choice(_("类型"), LedgerKind.choices)

    class Meta:
        model = LedgerEntry
        fields = ["program", "voucher", "claim", "kind"]


class ReconciliationFilter(StrictFilterSet):
    kind = _choice(_("券种"), VoucherKind.choices)
    year = YearFilter(label=_("年度"))
    status = _choice(_("状态"), ProgramStatus.choices)

    class Meta:
        model = VoucherProgram
        fields = ["kind", "year", "status"]
