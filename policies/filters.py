"""FilterSets for policies and grants: one each for the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.filters import IdFilter, StrictBooleanFilter, StrictFilterSet
from policies.models import (
    PENDING_DELIVERY,
    GrantStatus,
    Policy,
    PolicyGrant,
    PolicyKind,
    PolicyMode,
    PolicyStatus,
)


class PolicyFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("政策名称或发布部门"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=PolicyStatus.choices, empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        label=_("政策类型"), choices=PolicyKind.choices, empty_label=_("全部")
    )
    mode = django_filters.ChoiceFilter(
        label=_("兑现方式"), choices=PolicyMode.choices, empty_label=_("全部")
    )

    class Meta:
        model = Policy
        fields = ["q", "status", "kind", "mode"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(department__icontains=value))


class GrantFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=GrantStatus.choices, empty_label=_("全部")
    )
    policy = IdFilter(label=_("政策"), field_name="policy_id")
    overdue = StrictBooleanFilter(label=_("仅看逾期"), method="filter_overdue")

    class Meta:
        model = PolicyGrant
        fields = ["status", "policy", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=PENDING_DELIVERY, due_on__lt=timezone.localdate())
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
