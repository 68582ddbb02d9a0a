from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from accounts.models import Region
from registry import selectors
from registry.filters import EnterpriseFilter
from registry.models import AnnualReport, LabelAward, ServiceRecord
from registry.serializers import (
    AnnualReportSerializer,
    EnterpriseDetailSerializer,
    EnterpriseSerializer,
    LabelAwardSerializer,
    RegionSerializer,
    ServiceRecordSerializer,
)


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises the caller may see: same filters, order and scope as the list page.

    Filters: `q` (name or USCC), `region` (GB/T 2260 code, includes its subtree),
    `industry`, `category`, `tier` (`none` = not in the registry), `size`;
    `ordering` by name, uscc, region, founded_on, created_at, tier (prefix `-` to reverse).
    """

    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return selectors.enterprise_list(self.request.user)

    def get_serializer_class(self):
        return EnterpriseDetailSerializer if self.action == "retrieve" else EnterpriseSerializer


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
    """Annual monitoring reports of the enterprises the caller may see."""

    serializer_class = AnnualReportSerializer
    filterset_fields = ["year", "status", "enterprise"]

    def get_queryset(self):
        return AnnualReport.objects.visible_to(self.request.user).select_related("enterprise")


class ServiceRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Services given to the enterprises the caller may see."""

    serializer_class = ServiceRecordSerializer
    filterset_fields = ["kind", "enterprise"]

    def get_queryset(self):
        return ServiceRecord.objects.visible_to(self.request.user).select_related("staff")


class LabelAwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Growth labels (current and past) of the enterprises the caller may see."""

    serializer_class = LabelAwardSerializer
    filterset_fields = ["label", "enterprise"]

    def get_queryset(self):
        return LabelAward.objects.visible_to(self.request.user).order_by("-granted_on", "id")
