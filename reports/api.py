"""Documents over the API: the same services, scopes and refusals as the pages.

PDF downloads answer `application/pdf` (errors stay JSON); certificate verification is
public (no token), like its page.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import PageNumberPagination
from registry.models import Enterprise, RegistryEntry
from reports import selectors
from reports.models import AnnualReportRun, Certificate
from reports.permissions import can_read_round_documents
from reports.responses import annual_report_file, pdf_response
from reports.serializers import (
    AnnualReportRequestSerializer,
    AnnualReportRunSerializer,
    VerificationSerializer,
)
from reports.services import annual, certificates, documents
from selection.models import SelectionRound

PDF_RESPONSE = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)}


class PDFRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; errors are still JSON bytes."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class JsonErrors:
    """Errors answer JSON even to a client that asked for `application/pdf`."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class DocumentView(JsonErrors, APIView):
    renderer_classes = [JSONRenderer, PDFRenderer]


def _documented_round(request, pk):
    """The round if the user sees it (else 404) and may have its documents (else 403)."""
    selection_round = get_object_or_404(SelectionRound.objects.visible_to(request.user), pk=pk)
    if not can_read_round_documents(request.user, selection_round):
        raise PermissionDenied
    return selection_round


class RoundResultsDocument(DocumentView):
    """The round's result list with scores (staff of the round's jurisdiction)."""

    @extend_schema(responses=PDF_RESPONSE, operation_id="document_round_results")
    def get(self, request, pk):
        selection_round = _documented_round(request, pk)
        return pdf_response(
            documents.round_results_pdf(selection_round, public=False),
            f"round-{pk}-results.pdf",
        )


class RoundNoticeDocument(DocumentView):
    """The public result list (公示名单) of a round on notice or closed: no token needed."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PDF_RESPONSE, operation_id="document_round_notice")
    def get(self, request, pk):
        selection_round = get_object_or_404(
            SelectionRound.objects.filter(status__in=documents.PUBLIC_ROUND_STATES), pk=pk
        )
        return pdf_response(
            documents.round_results_pdf(selection_round, public=True),
            f"round-{pk}-notice.pdf",
        )


class RoundMinutesDocument(DocumentView):
    """Panel minutes: scores per panelist per criterion, panelists numbered in a blind round."""

    @extend_schema(responses=PDF_RESPONSE, operation_id="document_round_minutes")
    def get(self, request, pk):
        selection_round = get_object_or_404(SelectionRound.objects.visible_to(request.user), pk=pk)
        if not can_read_round_documents(request.user, selection_round):
            raise PermissionDenied
        return pdf_response(documents.minutes_pdf(selection_round), f"round-{pk}-minutes.pdf")


class EnterpriseProfileDocument(DocumentView):
    """An enterprise's profile: its own members and staff whose jurisdiction covers it."""

    @extend_schema(responses=PDF_RESPONSE, operation_id="document_enterprise_profile")
    def get(self, request, pk):
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
        return pdf_response(
            documents.enterprise_profile_pdf(enterprise), f"enterprise-{pk}-profile.pdf"
        )


class CertificateDocument(DocumentView):
    """The enterprise's current registry certificate (404 until one is issued, and once the
    enterprise has left the registry)."""

    @extend_schema(responses=PDF_RESPONSE, operation_id="document_certificate")
    def get(self, request, pk):
        entry = get_object_or_404(
            RegistryEntry.objects.visible_to(request.user).active(), enterprise_id=pk
        )
        certificate = get_object_or_404(
            Certificate.objects.current().select_related("entry__enterprise", "jurisdiction"),
            entry=entry,
        )
        return pdf_response(certificates.certificate_pdf(certificate), f"{certificate.code}.pdf")


class CertificateVerify(APIView):
    """Whether a certificate is valid now (public: no token). An unknown code is a 404."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: VerificationSerializer}, operation_id="certificate_verify")
    def get(self, request, code):
        result = certificates.verify(code)
        if result.certificate is None:
            raise Http404
        return Response(VerificationSerializer(result.public_fields()).data)


class StrictPagination(PageNumberPagination):
    """`page_size` that is not a whole number is a 400, as the schema says (the shared
    pagination ignores it); a whole number out of range falls back as usual."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not raw.lstrip("-").isdigit():
            raise ValidationError({self.page_size_query_param: [_("请填写整数。")]})
        return super().get_page_size(request)


class AnnualReportRunViewSet(
    JsonErrors,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Annual cultivation reports: staff request one for a jurisdiction they cover and a
    year (a job; follow `status` and `percent`), then download it when `status` is done."""

    serializer_class = AnnualReportRunSerializer
    pagination_class = StrictPagination

    def get_queryset(self):
        return AnnualReportRun.objects.visible_to(self.request.user).select_related("jurisdiction")

    @extend_schema(
        request=AnnualReportRequestSerializer, responses={201: AnnualReportRunSerializer}
    )
    def create(self, request, *args, **kwargs):
        if not request.user.is_staff_reviewer:
            raise PermissionDenied
        serializer = AnnualReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        jurisdiction = get_object_or_404(
            selectors.report_jurisdictions(request.user),
            code=serializer.validated_data["jurisdiction"],
        )
        run = annual.start_annual_report(
            jurisdiction, serializer.validated_data["year"], actor=request.user
        )
        run = self.get_queryset().get(pk=run.pk)
        return Response(AnnualReportRunSerializer(run).data, status=201)

    @extend_schema(responses=PDF_RESPONSE)
    @action(detail=True, renderer_classes=[JSONRenderer, PDFRenderer])
    def download(self, request, pk=None):
        return annual_report_file(request.user, self.get_object())
