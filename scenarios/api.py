"""Scenarios over the API (/api/v1/): scoped reads (an object outside `visible_to` is a
404) and one thin action per service; the services decide and refuse."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as Reply

from config.api import valid_body
from registry.models import Enterprise
from scenarios import filters
from scenarios import serializers as s
from scenarios.matching import enterprise_pool, recommend_enterprises, recommend_scenarios
from scenarios.models import (
    CatalogueEntry,
    FirstPurchase,
    Publisher,
    Response,
    Scenario,
    TypicalCase,
    is_publisher_user,
)
from scenarios.permissions import (
    acts_for_enterprise,
    acts_for_publisher,
    can_decide_first_purchase,
    can_decide_publisher,
    can_review_scenario,
    can_see_recommended_enterprises,
)
from scenarios.selectors import ROW_RELATED
from scenarios.services import awards as award_services
from scenarios.services import publishers as publisher_services
from scenarios.services import responses as response_services
from scenarios.services import scenarios as scenario_services


class ScenarioParty(permissions.BasePermission):
    """Staff, admins, publisher users and enterprise members; panelists, institutions and
    providers have no part in scenarios (403)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.is_staff_reviewer or user.is_enterprise or is_publisher_user(user)


def _reply(view, obj, code=status.HTTP_200_OK):
    fresh = view.get_queryset().get(pk=obj.pk)
    return Reply(view.get_serializer(fresh).data, status=code)


class ScenarioViewSet(viewsets.ReadOnlyModelViewSet):
    """Scenarios (应用场景清单、机会清单) the caller may see: the published ones for every
    party; a publisher also its own in every state; staff those of their jurisdiction.

    The publisher `submit`s a draft, `close`s a published one early, `cancel`s one (with a
    reason) and `award`s a closed one; staff of the list's jurisdiction `publish` or
    `return` a submitted one (with a reason); an enterprise `respond`s once (POST) to a
    published one before its deadline. Filters: `q` (Chinese word search; ranked by
    relevance on PostgreSQL), `kind`, `nature`, `industry`, `status`, `region` (a GB/T
    2260 code, with the regions under it), `deadline_after`, `budget_at_least`,
    `scenario_list`."""

    serializer_class = s.ScenarioSerializer
    permission_classes = [ScenarioParty]
    filterset_class = filters.ScenarioFilter

    def get_queryset(self):
        return (
            Scenario.objects.visible_to(self.request.user)
            .select_related(*ROW_RELATED)
            .order_by("deadline", "id")
        )

    def _as(self, check):
        scenario = self.get_object()
        if not check(self.request.user, scenario):
            raise PermissionDenied
        return scenario

    @staticmethod
    def _owner(user, scenario):
        return acts_for_publisher(user, scenario.scenario_list.publisher)

    @extend_schema(responses=s.RecommendedScenarioSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def recommended(self, request):
        """为我推荐: open scenarios for the caller's enterprise, best first, with reasons
        (enterprise members only; anyone else 403)."""
        if not request.user.is_enterprise:
            raise PermissionDenied
        enterprise = Enterprise.objects.visible_to(request.user).order_by("pk").first()
        if enterprise is None:
            raise PermissionDenied
        matches = recommend_scenarios(enterprise)
        return Reply(s.RecommendedScenarioSerializer(matches, many=True).data)

    @extend_schema(responses=s.RecommendedEnterpriseSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="recommended-enterprises",
            filterset_class=None, pagination_class=None)  # fmt: skip
    def recommended_enterprises(self, request, pk=None):
        """推荐企业: registry enterprises for the scenario, best first, with reasons (its
        publisher and staff whose jurisdiction holds it; others 403, or 404 unseen)."""
        scenario = self._as(can_see_recommended_enterprises)
        matches = recommend_enterprises(scenario, pool=enterprise_pool(request.user))
        return Reply(s.RecommendedEnterpriseSerializer(matches, many=True).data)

    @extend_schema(request=None, responses=s.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        scenario = self._as(self._owner)
        return _reply(self, scenario_services.submit_scenario(scenario, actor=request.user))

    @extend_schema(request=None, responses=s.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        scenario = self._as(can_review_scenario)
        return _reply(self, scenario_services.publish_scenario(scenario, actor=request.user))

    @extend_schema(request=s.ScenarioReasonSerializer, responses=s.ScenarioSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        scenario = self._as(can_review_scenario)
        reason = valid_body(s.ScenarioReasonSerializer, request)["reason"]
        return _reply(
            self, scenario_services.return_scenario(scenario, actor=request.user, reason=reason)
        )

    @extend_schema(request=None, responses=s.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        scenario = self._as(self._owner)
        return _reply(self, scenario_services.close_scenario(scenario, actor=request.user))

    @extend_schema(request=s.ScenarioReasonSerializer, responses=s.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        scenario = self._as(self._owner)
        reason = valid_body(s.ScenarioReasonSerializer, request)["reason"]
        return _reply(
            self, scenario_services.cancel_scenario(scenario, actor=request.user, reason=reason)
        )

    @extend_schema(
        request=s.ScenarioResponseInputSerializer, responses={201: s.ScenarioResponseSerializer}
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The caller's enterprise answers the scenario (one response per enterprise)."""
        scenario = self.get_object()
        if not request.user.is_enterprise:
            raise PermissionDenied
        values = valid_body(s.ScenarioResponseInputSerializer, request)
        enterprises = Enterprise.objects.visible_to(request.user).order_by("pk")
        wanted = values.pop("enterprise", None)
        enterprise = enterprises.filter(pk=wanted).first() if wanted else enterprises.first()
        if enterprise is None:
            raise Http404
        made = response_services.respond(
            scenario, actor=request.user, enterprise=enterprise, **values
        )
        return Reply(s.ScenarioResponseSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AwardInputSerializer, responses=s.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        """Award one or more open responses of the closed scenario; the others are told."""
        scenario = self._as(self._owner)
        entries = valid_body(s.AwardInputSerializer, request)["awards"]
        responses = {r.pk: r for r in scenario.responses.all()}
        awards = []
        for entry in entries:
            response = responses.get(entry.pop("response"))
            if response is None:
                raise Http404
            awards.append({"response": response, **entry})
        award_services.award_responses(scenario, actor=request.user, awards=awards)
        return _reply(self, scenario)


class ResponseViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Responses (揭榜方案): only the responding enterprise, the scenario's publisher and
    staff of its jurisdiction see one (anyone else 404). The enterprise edits it (PATCH)
    until the deadline and may `withdraw`; the publisher `shortlist`s it and reports the
    award's `outcome`; the parties talk in `messages`. Filters: `scenario`, `status`."""

    serializer_class = s.ScenarioResponseSerializer
    permission_classes = [ScenarioParty]
    filterset_class = filters.ResponseFilter
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return (
            Response.objects.visible_to(self.request.user)
            .select_related("scenario__scenario_list__publisher", "enterprise", "award")
            .order_by("-updated_at", "-id")
        )

    @extend_schema(
        request=s.ScenarioResponseChangesSerializer, responses=s.ScenarioResponseSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        response = self.get_object()
        if not acts_for_enterprise(request.user, response.enterprise):
            raise PermissionDenied
        changes = valid_body(s.ScenarioResponseChangesSerializer, request)
        updated = response_services.update_response(response, actor=request.user, **changes)
        return _reply(self, updated)

    def _publisher_only(self):
        response = self.get_object()
        if not acts_for_publisher(self.request.user, response.scenario.scenario_list.publisher):
            raise PermissionDenied
        return response

    @extend_schema(request=None, responses=s.ScenarioResponseSerializer)
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        response = self._publisher_only()
        return _reply(self, response_services.shortlist_response(response, actor=request.user))

    @extend_schema(request=None, responses=s.ScenarioResponseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        response = self.get_object()
        if not acts_for_enterprise(request.user, response.enterprise):
            raise PermissionDenied
        return _reply(self, response_services.withdraw_response(response, actor=request.user))

    @extend_schema(request=s.ScenarioOutcomeSerializer, responses=s.ScenarioResponseSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        response = self._publisher_only()
        values = valid_body(s.ScenarioOutcomeSerializer, request)
        award = getattr(response, "award", None)
        if award is None:
            raise Http404
        award_services.report_outcome(award, actor=request.user, **values)
        return _reply(self, response)

    @extend_schema(methods=["get"], request=None, responses=s.ScenarioMessageSerializer(many=True))
    @extend_schema(methods=["post"], request=s.ScenarioMessageSerializer,
                   responses={201: s.ScenarioMessageSerializer})  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, pk=None):
        """The question thread of the response (GET), or a new message (POST)."""
        response = self.get_object()
        if request.method == "GET":
            rows = response.messages.select_related("author")[:200]
            return Reply(s.ScenarioMessageSerializer(rows, many=True).data)
        if not response_services.can_post_message(request.user, response):
            raise PermissionDenied
        body = valid_body(s.ScenarioMessageSerializer, request)["body"]
        message = response_services.post_message(response, actor=request.user, body=body)
        return Reply(s.ScenarioMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class PublisherViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Scenario publishers: staff see their jurisdiction's, a publisher user its own,
    everyone the approved ones. A publisher user applies (POST /) for its organisation;
    staff of the jurisdiction `approve` or `reject` (with a reason). Filter: `status`."""

    serializer_class = s.PublisherSerializer
    permission_classes = [ScenarioParty]
    filterset_class = filters.PublisherFilter

    def get_queryset(self):
        return Publisher.objects.visible_to(self.request.user).select_related(
            "organisation", "jurisdiction"
        )

    def create(self, request, *args, **kwargs):
        if not is_publisher_user(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = publisher_services.apply_publisher(
            actor=self.request.user, **serializer.validated_data
        )

    def _decider(self):
        publisher = self.get_object()
        if not can_decide_publisher(self.request.user, publisher):
            raise PermissionDenied
        return publisher

    @extend_schema(request=None, responses=s.PublisherSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        publisher = self._decider()
        return _reply(self, publisher_services.approve_publisher(publisher, actor=request.user))

    @extend_schema(request=s.ScenarioReasonSerializer, responses=s.PublisherSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        publisher = self._decider()
        reason = valid_body(s.ScenarioReasonSerializer, request)["reason"]
        return _reply(
            self,
            publisher_services.reject_publisher(publisher, actor=request.user, reason=reason),
        )


class FirstPurchaseViewSet(viewsets.ReadOnlyModelViewSet):
    """First purchases (首购首用) of the awards the caller may see, each with the subsidy
    rule it was checked against and the explanation; staff of the buyer's jurisdiction
    `confirm` an eligible one (the product enters the catalogue) or `reject` it.
    Filters: `decision`, `eligible`."""

    serializer_class = s.FirstPurchaseSerializer
    permission_classes = [ScenarioParty]
    filterset_class = filters.FirstPurchaseFilter

    def get_queryset(self):
        return (
            FirstPurchase.objects.visible_to(self.request.user)
            .select_related("enterprise", "buyer__organisation")
            .order_by("-created_at", "-id")
        )

    def _decider(self):
        purchase = self.get_object()
        if not can_decide_first_purchase(self.request.user, purchase):
            raise PermissionDenied
        return purchase

    @extend_schema(request=None, responses=s.FirstPurchaseSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        purchase = self._decider()
        return _reply(
            self,
            award_services.decide_first_purchase(purchase, actor=request.user, confirm=True),
        )

    @extend_schema(request=s.ScenarioReasonSerializer, responses=s.FirstPurchaseSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        purchase = self._decider()
        reason = valid_body(s.ScenarioReasonSerializer, request)["reason"]
        return _reply(
            self,
            award_services.decide_first_purchase(
                purchase, actor=request.user, confirm=False, reason=reason
            ),
        )


class CatalogueEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """创新产品推荐目录: the innovative products first bought through a scenario."""

    serializer_class = s.CatalogueEntrySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            CatalogueEntry.objects.visible_to(self.request.user)
            .select_related("enterprise")
            .order_by("-listed_at", "-id")
        )


class TypicalCaseViewSet(viewsets.ReadOnlyModelViewSet):
    """典型案例: published typical cases, for everyone (no login too); staff also see the
    unpublished ones of their jurisdiction."""

    serializer_class = s.TypicalCaseSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return (
            TypicalCase.objects.visible_to(self.request.user)
            .select_related("enterprise", "award__response__scenario")
            .order_by("-published_at", "-id")
        )
