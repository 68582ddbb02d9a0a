"""Filters of the exported lists that have no list page of their own (registry entries,
service records, scenario awards): their parameters are those of the API's lists; and
the filters a dashboard figure needs beyond its app's own (grants delivered on time or
late, a publisher's own scenarios)."""

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.filters import IdFilter, IntegerFilter, StrictBooleanFilter, StrictFilterSet
from policies.filters import GrantFilter
from policies.models import GrantStatus
from registry.choices import EntryStatus, InnovationCategory, Tier
from registry.models import AnnualReport, RegistryEntry, ServiceRecord
from registry.models.monitoring import GrowthLabel, ReportStatus, ServiceKind
from scenarios.filters import ScenarioFilter
from scenarios.models import Award, AwardForm, Outcome


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


class RegistryEntryFilter(StrictFilterSet):
    tier = _choice(_("层级"), Tier.choices)
    category = _choice(_("入库类别"), InnovationCategory.choices)
    status = _choice(_("在库状态"), EntryStatus.choices)
    region = django_filters.CharFilter(label=_("地区代码（含下级）"), method="filter_region")
    label = _choice(_("成长称号"), GrowthLabel.choices, method="filter_label")
    reported_for = YearFilter(label=_("已报送年度报告的年度"), method="filter_reported")
    unreported_for = YearFilter(label=_("未报送年度报告的年度"), method="filter_reported")

    class Meta:
        model = RegistryEntry
        fields = ["tier", "category", "status", "region", "label"]

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


class ServiceRecordFilter(StrictFilterSet):
    kind = _choice(_("服务类型"), ServiceKind.choices)
    enterprise = IdFilter(label=_("企业"), field_name="enterprise_id")
    pending = django_filters.BooleanFilter(
        label=_("仅看待跟进"),
        method="filter_pending",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = ServiceRecord
        fields = ["kind", "enterprise", "pending"]

    def filter_pending(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Q(follow_up_on__isnull=False, followed_up_at__isnull=True)
        return queryset.filter(pending) if value else queryset.exclude(pending)


class AwardFilter(StrictFilterSet):
    form = _choice(_("揭榜形式"), AwardForm.choices)
    outcome = _choice(_("实施结果"), Outcome.choices)
    new_product = StrictBooleanFilter(label=_("首次采购的创新产品"))

    class Meta:
        model = Award
        fields = ["form", "outcome", "new_product"]


ON_TIME, LATE = "on_time", "late"
DELIVERED_ON_TIME = Q(status=GrantStatus.DELIVERED) & (
    Q(due_on__isnull=True) | Q(delivered_at__date__lte=F("due_on"))
)
DELIVERED_LATE = Q(status=GrantStatus.DELIVERED, delivered_at__date__gt=F("due_on"))


class DeliveryGrantFilter(GrantFilter):
    """The grant filter and when a delivered grant was delivered: on time is on or before
    the grant's deadline (`due_on`, 兑现期限, set from the policy's delivery period when the
    enterprise is notified), the day taken in Asia/Shanghai; late is after it."""

    delivery = _choice(_("兑现时效"), [(ON_TIME, _("按期兑现")), (LATE, _("逾期兑现"))],
                       method="filter_delivery")  # fmt: skip

    class Meta(GrantFilter.Meta):
        fields = [*GrantFilter.Meta.fields, "delivery"]

    def filter_delivery(self, queryset, name, value):
        return queryset.filter(DELIVERED_ON_TIME if value == ON_TIME else DELIVERED_LATE)


class ScenarioExportFilter(ScenarioFilter):
    """The scenario API's filter and the publisher (a publisher's figures are its own)."""

    publisher = IdFilter(label=_("发布方"), field_name="scenario_list__publisher_id")

    class Meta(ScenarioFilter.Meta):
        fields = [*ScenarioFilter.Meta.fields, "publisher"]
