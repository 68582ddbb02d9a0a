"""Staff lists of registry entries and service records (their pages, their exports and
the dashboard figures that link to them): the visible rows in the pages' order, and
strict FilterSets (a value outside a filter's type or choices is reported, not ignored
silently)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.filters import IdFilter, IntegerFilter, StrictFilterSet
from registry.choices import EntryStatus, InnovationCategory, Tier
from registry.filters import EnterpriseFilter
from registry.models import AnnualReport, Enterprise, RegistryEntry, ServiceRecord
from registry.models.monitoring import GrowthLabel, ReportStatus, ServiceKind


def entry_rows(user):
    """Registry entries `user` sees, newest admission first."""
    return (
        RegistryEntry.objects.visible_to(user)
        .select_related("enterprise__region", "jurisdiction")
        .order_by("-admitted_on", "id")
    )


def service_rows(user):
    """Service records `user` sees, newest service first."""
    return (
        ServiceRecord.objects.visible_to(user)
        .select_related("enterprise__region", "staff")
        .order_by("-served_on", "-id")
    )


def _search():
    return django_filters.CharFilter(
        label=_("企业名称或统一社会信用代码"), method="filter_q", max_length=100
    )


class EnterpriseSearch:
    """`q`: the enterprise's name or credit code, searched as the enterprise list does."""

    def filter_q(self, queryset, name, value):
        found = EnterpriseFilter.filter_q(None, Enterprise.objects.all(), name, value)
        return queryset.filter(enterprise__in=found.values("pk"))


def YearFilter(**kwargs):  # noqa: N802 (a filter class, read as one)
    return IntegerFilter(min_value=1949, max_value=9999, **kwargs)


def _choice(label, choices, **kwargs):
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=_("全部"), **kwargs
    )


def _in_region(queryset, code, path="enterprise__region__path"):
    region = Region.objects.filter(code=str(code).strip()).first()
    if region is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__startswith": region.path})


class RegistryEntryFilter(EnterpriseSearch, StrictFilterSet):
    q = _search()
    tier = _choice(_("层级"), Tier.choices)
    category = _choice(_("入库类别"), InnovationCategory.choices)
    status = _choice(_("在库状态"), EntryStatus.choices)
    region = django_filters.CharFilter(label=_("地区代码（含下级）"), method="filter_region")
    label = _choice(_("成长称号"), GrowthLabel.choices, method="filter_label")
    reported_for = YearFilter(label=_("已报送年度报告的年度"), method="filter_reported")
    unreported_for = YearFilter(label=_("未报送年度报告的年度"), method="filter_reported")

    class Meta:
        model = RegistryEntry
        fields = ["q", "tier", "category", "status", "region", "label"]

    def filter_reported(self, queryset, name, value):
        """Entries whose enterprise filed (submitted or accepted) its report of that year,
        or, for `unreported_for`, did not."""
        filed = AnnualReport.objects.filter(
            enterprise_id=OuterRef("enterprise_id"),
            year=value,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
        )
        return queryset.filter(Exists(filed) if name == "reported_for" else ~Exists(filed))

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, value)

    def filter_label(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__labels__label=value) & Q(enterprise__labels__revoked_on__isnull=True)
        )


class ServiceRecordFilter(EnterpriseSearch, StrictFilterSet):
    q = _search()
    kind = _choice(_("服务类型"), ServiceKind.choices)
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    pending = django_filters.BooleanFilter(
        label=_("仅看待跟进"),
        method="filter_pending",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = ServiceRecord
        fields = ["q", "kind", "enterprise", "pending"]

    def filter_pending(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Q(follow_up_on__isnull=False, followed_up_at__isnull=True)
        return queryset.filter(pending) if value else queryset.exclude(pending)
