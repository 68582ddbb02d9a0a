"""Reads of the scenario pages and the API: the search, the public filters, the queues."""

import django_filters
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from registry.choices import Industry
from scenarios.models import (
    FirstPurchase,
    FirstPurchaseDecision,
    Publisher,
    PublisherStatus,
    Scenario,
    ScenarioKind,
    ScenarioNature,
    ScenarioStatus,
)
from scenarios.search import ranked, words

# What a row of a scenario table shows (publisher's name, region with its province).
ROW_RELATED = ("scenario_list__publisher__organisation", "region__parent")


def search(queryset, text: str):
    """Scenarios whose title, description or industry share a word with `text` (jieba
    search mode on both sides, so 智能 finds 人工智能 and 人工智能 finds 智能 决策): on
    PostgreSQL ranked by ts_rank over the tsvector, best first; elsewhere a containment
    match on the segmented words."""
    query_words = words(text)
    if not query_words:
        return queryset
    if connection.vendor == "postgresql":
        return ranked(queryset, query_words)
    return contained(queryset, query_words)


def contained(queryset, query_words: list[str]):
    """The plain path (SQLite): scenarios whose segmented words contain any query word."""
    match = Q()
    for word in query_words:
        match |= Q(search_text__contains=word)
    return queryset.filter(match)


class PublicScenarioFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("场景类型"), choices=ScenarioKind.choices, empty_label=_("全部")
    )
    nature = django_filters.ChoiceFilter(
        label=_("清单类别"), choices=ScenarioNature.choices, empty_label=_("全部")
    )
    industry = django_filters.ChoiceFilter(
        label=_("所属行业"), choices=Industry.choices, empty_label=_("全部")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("实施地区"), queryset=Region.objects.provinces(), method="filter_region",
        empty_label=_("全部"),
    )  # fmt: skip
    deadline_after = django_filters.DateFilter(
        label=_("截止不早于"), field_name="deadline", lookup_expr="gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    budget_at_least = django_filters.NumberFilter(
        label=_("预算上限不低于（元）"), field_name="budget_max", lookup_expr="gte", min_value=0
    )

    class Meta:
        model = Scenario
        fields = ["q", "kind", "nature", "industry", "region", "deadline_after", "budget_at_least"]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path) if value else queryset


def review_queue(user):
    """What staff decide: submitted scenarios, applied publishers, eligible first
    purchases awaiting a decision — each within their jurisdiction (and below)."""
    scenarios = (
        Scenario.objects.visible_to(user)
        .filter(status=ScenarioStatus.SUBMITTED)
        .select_related(*ROW_RELATED)
        .order_by("updated_at", "id")
    )
    publishers = (
        Publisher.objects.visible_to(user)
        .filter(status=PublisherStatus.APPLIED)
        .select_related("organisation", "jurisdiction__parent")
        .order_by("created_at", "id")
    )
    purchases = (
        FirstPurchase.objects.visible_to(user)
        .filter(eligible=True, decision=FirstPurchaseDecision.PENDING)
        .select_related("enterprise", "buyer__organisation")
        .order_by("created_at", "id")
    )
    return scenarios, publishers, purchases


def home_figures(user) -> dict | None:
    """The home page's scenario card: what waits for this user, in a few counts."""
    from scenarios.models import Response, ResponseStatus, is_publisher_user
    from scenarios.services.publishers import own_publisher

    if user.is_admin or user.is_bureau:
        scenarios, publishers, purchases = review_queue(user)
        return {"party": "staff", "to_review": scenarios.count(),
                "publishers": publishers.count(), "purchases": purchases.count()}  # fmt: skip
    if is_publisher_user(user):
        publisher = own_publisher(user)
        if publisher is None:
            return {"party": "publisher", "publisher": None}
        mine = Scenario.objects.filter(scenario_list__publisher=publisher)
        return {
            "party": "publisher",
            "publisher": publisher,
            "published": mine.filter(status=ScenarioStatus.PUBLISHED).count(),
            "to_award": mine.filter(status=ScenarioStatus.CLOSED).count(),
            "responses": Response.objects.filter(
                scenario__in=mine, status=ResponseStatus.SUBMITTED
            ).count(),
        }
    if user.is_enterprise:
        from registry.models import Enterprise
        from scenarios.matching import recommend_scenarios

        enterprise = Enterprise.objects.visible_to(user).order_by("pk").first()
        return {
            "party": "enterprise",
            "open": Scenario.objects.filter(status=ScenarioStatus.PUBLISHED).count(),
            "mine": Response.objects.visible_to(user).count(),
            # The best three of "为我推荐", with the page one click away.
            "recommended": recommend_scenarios(enterprise, limit=3) if enterprise else [],
        }
    return None
