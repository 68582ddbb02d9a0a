"""Filters of the exported lists that have no list page of their own (scenario awards),
and the filters a dashboard figure needs beyond its app's own (grants delivered on time or
late, a publisher's own scenarios)."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.filters import IdFilter, StrictBooleanFilter, StrictFilterSet
from policies.filters import GrantFilter
from policies.models import GrantStatus
from scenarios.filters import ScenarioFilter
from scenarios.models import Award, AwardForm, Outcome


def _choice(label, choices, **kwargs):
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=_("全部"), **kwargs
    )


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
