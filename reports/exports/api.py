"""Exports over the API: ask for one (always a job), follow it, download it (owner only)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reports.exports import services
from reports.exports.serializers import ExportRequestSerializer, ExportSerializer
from reports.exports.spec import spec_named
from reports.exports.views import CONTENT_TYPES, file_response
from reports.models import Export


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Exports of any list, scoped exactly like the list's page.

    POST {list, filter (the page's query string), columns, format} starts a job and answers
    202 with its status; GET one to follow it; `download` serves the file to its owner.
    Anyone else's export answers 404.
    """

    serializer_class = ExportSerializer

    def get_queryset(self):
        return Export.objects.visible_to(self.request.user)

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportSerializer})
    def create(self, request):
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        export = services.start_export(
            spec_named(values["list"]),
            actor=request.user,
            query=values["filter"],
            columns=values["columns"],
            fmt=values["format"],
            background=True,
        )
        export.refresh_from_db()
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, content_type.split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY)
            for content_type in CONTENT_TYPES.values()
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return file_response(self.get_object())
