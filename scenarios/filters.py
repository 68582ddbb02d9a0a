"""FilterSets of the scenario API lists (a value outside a filter's type or choices is a 400)."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from config.filters import BIGGEST, IdFilter, IntegerFilter, StrictBooleanFilter, StrictFilterSet
from registry.choices import Industry
from scenarios.models import (
    FirstPurchase,
    FirstPurchaseDecision,
    Publisher,
    PublisherStatus,
    Response,
    ResponseStatus,
    Scenario,
    ScenarioKind,
    ScenarioNature,
    ScenarioStatus,
)
from scenarios.selectors import search


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": BIGGEST})
class YuanFilter(IntegerFilter):
    """A whole number of yuan, 0 or more."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0, **kwargs)


@extend_schema_field({"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}],
                      "description": "YYYY-MM-DD (empty: no filter)"})  # fmt: skip
class IsoDateFilter(django_filters.DateFilter):
    """A date as YYYY-MM-DD only (Django's other input formats are refused: a 400)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, input_formats=["%Y-%m-%d"], **kwargs)


@extend_schema_field({"type": "string", "pattern": "^([0-9]{6})?$"})
class RegionCodeFilter(django_filters.CharFilter):
    """A GB/T 2260 code of six digits (empty: no filter); anything else is a 400."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validators=[RegexValidator(r"^[0-9]{6}$")], **kwargs)


class ScenarioFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("关键词（中文分词检索，PostgreSQL 上按相关度排序）"),
                                  method="filter_q", max_length=100)  # fmt: skip
    kind = django_filters.ChoiceFilter(label=_("场景类型"), choices=ScenarioKind.choices)
    nature = django_filters.ChoiceFilter(label=_("清单类别"), choices=ScenarioNature.choices)
    industry = django_filters.ChoiceFilter(label=_("所属行业"), choices=Industry.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ScenarioStatus.choices)
    region = RegionCodeFilter(label=_("实施地区代码（含下级）"), method="filter_region")
    deadline_after = IsoDateFilter(
        label=_("截止不早于"),
        field_name="deadline",
        lookup_expr="gte",
    )
    budget_at_least = YuanFilter(
        label=_("预算上限不低于（元）"), field_name="budget_max", lookup_expr="gte"
    )
    scenario_list = IdFilter(label=_("清单编号"), field_name="scenario_list_id")

    class Meta:
        model = Scenario
        fields = ["q", "kind", "nature", "industry", "status", "region", "deadline_after",
                  "budget_at_least", "scenario_list"]  # fmt: skip

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__contains=f"{value}/") if value else queryset


class ResponseFilter(StrictFilterSet):
    scenario = IdFilter(label=_("场景编号"), field_name="scenario_id")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ResponseStatus.choices)

    class Meta:
        model = Response
        fields = ["scenario", "status"]


class PublisherFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PublisherStatus.choices)

    class Meta:
        model = Publisher
        fields = ["status"]


class FirstPurchaseFilter(StrictFilterSet):
    decision = django_filters.ChoiceFilter(label=_("审核结果"),
                                           choices=FirstPurchaseDecision.choices)  # fmt: skip
    eligible = StrictBooleanFilter(label=_("符合补贴条件"))

    class Meta:
        model = FirstPurchase
        fields = ["decision", "eligible"]
