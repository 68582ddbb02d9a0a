"""Dynamic adjustment over the API: the same services and scopes as the pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from adjustment.models import AdjustmentProposal, AdjustmentRun
from adjustment.serializers import (
    AmendSerializer,
    AppealDecisionSerializer,
    AppealSerializer,
    BulkSerializer,
    ProposalSerializer,
    ReasonSerializer,
    RunSerializer,
)
from adjustment.services import decisions
from adjustment.services import job as services
from config.api import valid_body
from config.errors import DomainError


def _require_staff(user):
    if not user.is_staff_reviewer:
        raise PermissionDenied


BULK_CONFIRMED = inline_serializer(
    "BulkConfirmed",
    {
        "confirmed": serializers.IntegerField(),
        "problems": serializers.ListField(child=serializers.CharField()),
    },
)


class AdjustmentProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Adjustment proposals: staff see those of their jurisdiction and decide them;
    an enterprise sees only what took effect for it (and its own exit request).

    Actions: `confirm`, `reject` {reason}, `amend` {kind, tier, reason},
    `bulk-confirm` {ids}, `appeal` {reason} (enterprise), `decide-appeal` {uphold, reply}.
    """

    serializer_class = ProposalSerializer
    filterset_fields = ["status", "kind", "year", "origin"]

    def get_queryset(self):
        return (
            AdjustmentProposal.objects.visible_to(self.request.user)
            .select_related("entry__enterprise", "appeal")
            .order_by("-year", "-id")
        )

    def _decided(self, proposal):
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        _require_staff(request.user)
        proposal = self.get_object()
        return self._decided(decisions.confirm_proposal(proposal, actor=request.user))

    @extend_schema(request=ReasonSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        _require_staff(request.user)
        proposal, data = self.get_object(), valid_body(ReasonSerializer, request)
        return self._decided(
            decisions.reject_proposal(proposal, actor=request.user, reason=data["reason"])
        )

    @extend_schema(request=AmendSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        _require_staff(request.user)
        proposal, data = self.get_object(), valid_body(AmendSerializer, request)
        return self._decided(
            decisions.amend_proposal(
                proposal,
                actor=request.user,
                kind=data["kind"],
                tier=data["tier"],
                reason=data["reason"],
            )  # fmt: skip
        )

    @extend_schema(request=BulkSerializer, responses=BULK_CONFIRMED)
    @action(detail=False, methods=["post"], url_path="bulk-confirm")
    def bulk_confirm(self, request):
        _require_staff(request.user)
        data = valid_body(BulkSerializer, request)
        chosen = self.get_queryset().filter(pk__in=data["ids"], status="pending")
        done, problems = decisions.bulk_confirm(chosen, actor=request.user)
        return Response({"confirmed": done, "problems": problems})

    @extend_schema(request=ReasonSerializer, responses={201: AppealSerializer})
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        proposal, data = self.get_object(), valid_body(ReasonSerializer, request)
        appeal = decisions.file_appeal(proposal, actor=request.user, reason=data["reason"])
        return Response(AppealSerializer(appeal).data, status=201)

    @extend_schema(request=AppealDecisionSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"], url_path="decide-appeal")
    def decide_appeal(self, request, pk=None):
        _require_staff(request.user)
        proposal, data = self.get_object(), valid_body(AppealDecisionSerializer, request)
        appeal = getattr(proposal, "appeal", None)
        if appeal is None:
            raise DomainError(_("该调整没有申诉。"))
        decided = decisions.decide_appeal(appeal, actor=request.user, uphold=data["uphold"],
                                          reply=data["reply"])  # fmt: skip
        return Response(AppealSerializer(decided).data)


class AdjustmentRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Runs of the adjustment job (staff). POST {year} starts one over the caller's
    jurisdiction; poll the run for `processed`/`total`."""

    serializer_class = RunSerializer

    def get_queryset(self):
        return AdjustmentRun.objects.visible_to(self.request.user).select_related("region")

    @extend_schema(request=RunSerializer, responses={201: RunSerializer})
    def create(self, request, *args, **kwargs):
        _require_staff(request.user)
        serializer = RunSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.start_adjustment(
            actor=request.user,
            region=services.scope_of(request.user),
            year=serializer.validated_data["year"],
        )
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=201)
