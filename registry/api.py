from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from accounts.models import Region
from registry import selectors
from registry.filters import EnterpriseFilter
from registry.serializers import EnterpriseDetailSerializer, EnterpriseSerializer, RegionSerializer


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
