from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.models import Region
from config.api import valid_body
from registry import selectors, services
from registry.filters import AnnualReportFilter, EnterpriseFilter, FollowUpFilter
from registry.models import AnnualReport, LabelAward, ServiceRecord
from registry.permissions import (
    StaffReviewerApi,
    can_decide_transfer,
    can_edit_enterprise,
    can_withdraw_transfer,
    is_member,
)
from registry.serializers import (
    AnnualReportSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    EnterpriseDetailSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    LabelAwardSerializer,
    ReasonSerializer,
    RegionSerializer,
    ServiceRecordSerializer,
    TransferRequestSerializer,
)
from registry.services import transfers, verification


class EnterpriseViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Enterprises the caller may see: same filters, order and scope as the list page.

    Filters: `q` (name or USCC), `region` (GB/T 2260 code, includes its subtree),
    `industry`, `category`, `tier` (`none` = not in the registry), `size`;
    `ordering` by name, uscc, region, founded_on, created_at, tier (prefix `-` to reverse).

    PATCH edits the profile (members and the jurisdiction's staff); staff moving it out of
    their jurisdiction, and members moving a verified (or under review, or admitted)
    enterprise, give `transfer_reason` and a transfer request is made instead.
    Verification: `documents` (GET; POST `kind`, `file` as multipart, members),
    `submit-verification` (members), `approve-verification`, `return-verification`
    (`reason`; staff of its jurisdiction).
    """

    filterset_class = EnterpriseFilter
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return selectors.enterprise_list(self.request.user)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return EnterpriseUpdateSerializer
        return EnterpriseSerializer if self.action == "list" else EnterpriseDetailSerializer

    @extend_schema(request=EnterpriseUpdateSerializer, responses=EnterpriseDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        if not can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied
        data = EnterpriseUpdateSerializer(enterprise, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("transfer_reason", "")
        services.update_enterprise(
            enterprise, actor=request.user, transfer_reason=reason, **changes
        )
        return Response(EnterpriseDetailSerializer(self.get_queryset().get(pk=enterprise.pk)).data)

    def _as_member(self):
        enterprise = self.get_object()
        if not is_member(self.request.user, enterprise):
            raise PermissionDenied
        return enterprise

    @extend_schema(methods=["GET"], request=None, responses=DocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses=DocumentSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        enterprise = self.get_object()
        if request.method == "POST":
            enterprise = self._as_member()
            data = DocumentUploadSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            verification.upload_document(
                enterprise,
                actor=request.user,
                kind=data.validated_data["kind"],
                upload=data.validated_data["file"],
            )
        documents = selectors.documents_of(enterprise, request.user)
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(request=None, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="submit-verification")
    def submit_verification(self, request, pk=None):
        enterprise = verification.submit_verification(self._as_member(), actor=request.user)
        return Response(EnterpriseDetailSerializer(enterprise).data)

    @extend_schema(request=None, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="approve-verification")
    def approve_verification(self, request, pk=None):
        enterprise = verification.approve_verification(self.get_object(), actor=request.user)
        return Response(EnterpriseDetailSerializer(enterprise).data)

    @extend_schema(request=ReasonSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return-verification")
    def return_verification(self, request, pk=None):
        enterprise = self.get_object()
        reason = valid_body(ReasonSerializer, request)["reason"]
        enterprise = verification.return_verification(enterprise, actor=request.user, reason=reason)
        return Response(EnterpriseDetailSerializer(enterprise).data)


class TransferRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Transfer requests into or out of the caller's jurisdiction (staff), or of the
    caller's enterprise (members). Staff of the receiving jurisdiction `accept` or `reject`
    (with `reason`) a pending one; whoever asked, or a member, may `withdraw` it."""

    serializer_class = TransferRequestSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.transfers_for(self.request.user)

    def _decidable(self):
        transfer = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not can_decide_transfer(self.request.user, transfer):
            raise PermissionDenied
        return transfer

    @extend_schema(request=None, responses=TransferRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        transfer = transfers.accept_transfer(self._decidable(), actor=request.user)
        return Response(self.get_serializer(transfer).data)

    @extend_schema(request=None, responses=TransferRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        transfer = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not can_withdraw_transfer(request.user, transfer):
            raise PermissionDenied
        transfer = transfers.withdraw_transfer(transfer, actor=request.user)
        return Response(self.get_serializer(transfer).data)

    @extend_schema(request=ReasonSerializer, responses=TransferRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        transfer = self._decidable()
        reason = valid_body(ReasonSerializer, request)["reason"]
        transfer = transfers.reject_transfer(transfer, actor=request.user, reason=reason)
        return Response(self.get_serializer(transfer).data)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 2260 regions (public reference data)."""

    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    pagination_class = None
    filterset_fields = ["level"]

    def get_queryset(self):
        return Region.objects.select_related("parent")


class AnnualReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual monitoring reports of the enterprises the caller may see; staff filter them
    like their review queue (year, state, region with its subregions, flagged jumps)."""

    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilter

    def get_queryset(self):
        return (
            AnnualReport.objects.visible_to(self.request.user)
            .select_related("enterprise")
            .order_by("enterprise_id", "-year")
        )


class ServiceRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Services given to the enterprises the caller may see."""

    serializer_class = ServiceRecordSerializer
    filterset_fields = ["kind", "enterprise"]

    def get_queryset(self):
        return ServiceRecord.objects.visible_to(self.request.user).select_related(
            "staff", "enterprise__region"
        )


class FollowUpViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Staff's queue of service follow-ups not yet done across their jurisdiction, earliest
    due first, filtered like the page (`due`: week — the default —, overdue or open;
    `kind`)."""

    serializer_class = ServiceRecordSerializer
    filterset_class = FollowUpFilter
    permission_classes = [StaffReviewerApi]

    def get_queryset(self):
        return selectors.follow_ups(self.request.user)


class LabelAwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Growth labels (current and past) of the enterprises the caller may see."""

    serializer_class = LabelAwardSerializer
    filterset_fields = ["label", "enterprise"]

    def get_queryset(self):
        return LabelAward.objects.visible_to(self.request.user).order_by("-granted_on", "id")
