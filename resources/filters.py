"""One FilterSet for the staff review queue of data resources and its API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.filters import IdFilter, StrictFilterSet
from resources.models import DataDomain, DataResource, ResourceStatus, SecurityLevel


class DataResourceFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("资源、企业名称或登记编号"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ResourceStatus.choices, empty_label=_("全部")
    )
    security_level = django_filters.ChoiceFilter(
        label=_("安全级别"), choices=SecurityLevel.choices, empty_label=_("全部")
    )
    domain = django_filters.ChoiceFilter(
        label=_("数据领域"), choices=DataDomain.choices, empty_label=_("全部")
    )
    region = django_filters.CharFilter(label=_("地区代码（含下级）"), method="filter_region")
    # An id, not a choice list: a list of every enterprise would show names out of scope.
    enterprise = IdFilter(label=_("企业编号"), field_name="enterprise_id")
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("created_at", "created_at"),
            ("name", "name"),
            ("enterprise__name", "enterprise"),
            ("code", "code"),
        ),
    )

    class Meta:
        model = DataResource
        fields = ["q", "status", "security_level", "domain", "region", "enterprise"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(code__startswith=value.upper())
        )

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(enterprise__region__path__startswith=region.path)
