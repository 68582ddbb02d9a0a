"""One FilterSet for the enterprise list page, the API and the exports."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.filters import IdFilter, IntegerFilter, StrictBooleanFilter, StrictFilterSet
from registry.choices import EnterpriseSize, EntryStatus, Industry, InnovationCategory, Tier
from registry.models import AnnualReport, Enterprise, ServiceRecord
from registry.models.monitoring import GrowthLabel, ReportStatus, ServiceKind
from registry.uscc import normalise_uscc

NOT_IN_REGISTRY = "none"
IN_REGISTRY = "registry"


class EnterpriseFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("名称或统一社会信用代码"), method="filter_q")
    region = django_filters.CharFilter(label=_("地区代码（含下级）"), method="filter_region")
    industry = django_filters.ChoiceFilter(
        label=_("所属行业"), choices=Industry.choices, empty_label=_("全部")
    )
    category = django_filters.ChoiceFilter(
        label=_("创新类型"), choices=InnovationCategory.choices, empty_label=_("全部")
    )
    tier = django_filters.ChoiceFilter(
        label=_("层级"),
        choices=[
            *Tier.choices,
            (IN_REGISTRY, _("在库（任一层级）")),
            (NOT_IN_REGISTRY, _("未入库")),
        ],
        method="filter_tier",
        empty_label=_("全部"),
    )
    size = django_filters.ChoiceFilter(
        label=_("企业规模"), choices=EnterpriseSize.choices, empty_label=_("全部")
    )
    label = django_filters.ChoiceFilter(
        label=_("成长称号"), choices=GrowthLabel.choices, method="filter_label",
        empty_label=_("全部"),
    )  # fmt: skip
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("uscc", "uscc"),
            ("region__code", "region"),
            ("founded_on", "founded_on"),
            ("created_at", "created_at"),
            ("registry_entry__tier", "tier"),
        ),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "industry", "category", "tier", "size", "label"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        code = normalise_uscc(value)
        if len(code) == 18:
            return queryset.filter(uscc=code)
        return queryset.filter(Q(name__icontains=value) | Q(uscc__startswith=code))

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=region.path)

    def filter_tier(self, queryset, name, value):
        if value == NOT_IN_REGISTRY:
            return queryset.exclude(registry_entry__status=EntryStatus.ACTIVE)
        if value == IN_REGISTRY:
            return queryset.filter(registry_entry__status=EntryStatus.ACTIVE)
        return queryset.filter(
            registry_entry__tier=value, registry_entry__status=EntryStatus.ACTIVE
        )

    def filter_label(self, queryset, name, value):
        """Enterprises holding the growth label now (a label is held at most once)."""
        return queryset.filter(labels__label=value, labels__revoked_on__isnull=True)


def region_choices_for(user):
    """Regions a user may filter by: their jurisdiction's subtree."""
    qs = Region.objects.exclude(level="country")
    if user.is_bureau:
        qs = qs.filter(path__startswith=user.region.path)
    return qs


class ReportQueueFilter(StrictFilterSet):
    """Staff's queue of annual reports (page and API): year, state, region, flagged jumps."""

    year = IntegerFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[c for c in ReportStatus.choices if c[0] != ReportStatus.DRAFT],
        empty_label=_("全部"),
    )
    region = django_filters.CharFilter(label=_("地区代码（含下级）"), method="filter_region")
    flagged = StrictBooleanFilter(label=_("含异常增长说明"), method="filter_flagged")

    class Meta:
        model = AnnualReport
        fields = ["year", "status", "region", "flagged"]

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(enterprise__region__path__startswith=region.path)

    def filter_flagged(self, queryset, name, value):
        if value is None:
            return queryset
        clean = Q(confirmations={})
        return queryset.exclude(clean) if value else queryset.filter(clean)


class AnnualReportFilter(ReportQueueFilter):
    """The API's report list: the queue's filters, every state (an enterprise sees its
    drafts), and one enterprise by id."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices)
    enterprise = IdFilter(label=_("企业 ID"), field_name="enterprise_id")

    class Meta:
        model = AnnualReport
        fields = ["year", "status", "enterprise", "region", "flagged"]


FOLLOW_UP_WINDOWS = [
    ("week", _("7 天内到期（含逾期）")),
    ("overdue", _("已逾期")),
    ("open", _("全部未跟进")),
]
DEFAULT_FOLLOW_UP_WINDOW = "week"


class FollowUpFilter(StrictFilterSet):
    """Staff's queue of service follow-ups (page and API): due window and kind."""

    due = django_filters.ChoiceFilter(
        label=_("到期"), choices=FOLLOW_UP_WINDOWS, method="filter_due", empty_label=None
    )
    kind = django_filters.ChoiceFilter(
        label=_("服务类型"), choices=ServiceKind.choices, empty_label=_("全部")
    )

    class Meta:
        model = ServiceRecord
        fields = ["due", "kind"]

    def __init__(self, data=None, *args, **kwargs):
        # No window asked for: the week's (page and API alike).
        if data is not None and not data.get("due"):
            data = data.copy()
            data["due"] = DEFAULT_FOLLOW_UP_WINDOW
        super().__init__(data, *args, **kwargs)

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(follow_up_on__lt=today)
        if value == "open":
            return queryset
        return queryset.filter(follow_up_on__lte=today + timedelta(days=7))
