"""Data resources over the API: scoped reads, and one thin action per service."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import valid_body
from config.errors import DomainError
from registry.models import Enterprise
from resources.filters import DataResourceFilter
from resources.models import DataResource
from resources.permissions import can_register_resources, can_review_resources
from resources.serializers import (
    ChangeSerializer,
    DataResourceDetailSerializer,
    DataResourceSerializer,
    DecisionSerializer,
    ReasonSerializer,
    RevisionSerializer,
    ValuesSerializer,
)
from resources.services import changes
from resources.services import registration as svc


class DataResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Data resources (数据资源登记) the caller may see: an enterprise its own, bureau
    staff those of their jurisdiction, admins all.

    Filters: `q` (resource or enterprise name, code prefix), `status`, `security_level`,
    `domain`, `region` (GB/T 2260 code with its subtree), `enterprise`; `ordering` by
    created_at, name, enterprise, code. POST `/` applies (enterprise members); the
    actions `accept`, `review`, `publish-notice`, `code`, `return`, `reject`, `cancel`
    (staff; the last three need `reason`), `propose-change`, `request-cancellation`
    (members) and `decide-change` (staff) call the services of the same names.
    """

    filterset_class = DataResourceFilter

    def get_queryset(self):
        qs = DataResource.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            qs = qs.prefetch_related("revisions")
        return qs

    def get_serializer_class(self):
        return DataResourceDetailSerializer if self.action == "retrieve" else DataResourceSerializer

    def _reply(self, resource, code=status.HTTP_200_OK):
        resource = self.get_queryset().prefetch_related("revisions").get(pk=resource.pk)
        return Response(DataResourceDetailSerializer(resource).data, status=code)

    def _resource(self, predicate):
        resource = self.get_object()  # 404 outside visible_to
        if not predicate(self.request.user, resource.enterprise):
            raise PermissionDenied
        return resource

    @extend_schema(request=ValuesSerializer, responses={201: DataResourceDetailSerializer})
    def create(self, request):
        enterprise = Enterprise.objects.visible_to(request.user).first()
        if enterprise is None or not can_register_resources(request.user, enterprise):
            raise PermissionDenied
        data = ValuesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resource = svc.apply_resource(enterprise, actor=request.user, values=_values(data))
        return self._reply(resource, status.HTTP_201_CREATED)

    def _staff_action(self, call, *, reason=False):
        resource = self._resource(can_review_resources)
        kwargs = {}
        if reason:
            kwargs["reason"] = valid_body(ReasonSerializer, self.request)["reason"]
        return self._reply(call(resource, actor=self.request.user, **kwargs))

    @extend_schema(request=None, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._staff_action(svc.accept_resource)

    @extend_schema(request=None, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._staff_action(svc.review_resource)

    @extend_schema(request=None, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"], url_path="publish-notice")
    def publish_notice(self, request, pk=None):
        return self._staff_action(svc.publish_notice)

    @extend_schema(request=None, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"])
    def code(self, request, pk=None):
        return self._staff_action(svc.code_resource)

    @extend_schema(request=ReasonSerializer, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._staff_action(svc.return_resource, reason=True)

    @extend_schema(request=ReasonSerializer, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._staff_action(svc.reject_resource, reason=True)

    @extend_schema(request=ReasonSerializer, responses=DataResourceDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._staff_action(changes.cancel_resource, reason=True)

    @extend_schema(request=ChangeSerializer(partial=True), responses={201: RevisionSerializer})
    @action(detail=True, methods=["post"], url_path="propose-change")
    def propose_change(self, request, pk=None):
        resource = self._resource(can_register_resources)
        data = ChangeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        revision = changes.propose_change(
            resource,
            actor=request.user,
            values=_values(data),
            reason=data.validated_data.get("reason", ""),
            kind=data.validated_data.get("kind", "change"),
        )
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={201: RevisionSerializer})
    @action(detail=True, methods=["post"], url_path="request-cancellation")
    def request_cancellation(self, request, pk=None):
        resource = self._resource(can_register_resources)
        reason = valid_body(ReasonSerializer, request)["reason"]
        revision = changes.request_cancellation(resource, actor=request.user, reason=reason)
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=RevisionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-change")
    def decide_change(self, request, pk=None):
        resource = self._resource(can_review_resources)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = resource.revisions.pending().first()
        if revision is None:
            raise DomainError(_("该数据资源没有待审核的申请。"))
        reason = data.validated_data["reason"]
        if data.validated_data["decision"] == "approve":
            revision = changes.approve_change(revision, actor=request.user, note=reason)
        else:
            revision = changes.reject_change(revision, actor=request.user, reason=reason)
        return Response(RevisionSerializer(revision).data)


def _values(data) -> dict:
    """The resource values a serializer validated (a change sends only some)."""
    return {k: v for k, v in data.validated_data.items() if k in svc.RESOURCE_FIELDS}
