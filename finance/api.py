"""The finance REST API: the pages' actions and scoping (every object through
`visible_to`, 404 outside it; a role outside the flow 403). Actions look their object up
before reading the body (config.api.valid_body)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import valid_body
from finance import filters
from finance import serializers as s
from finance.models import (
    CreditScore,
    FinancialProduct,
    FinancingNeed,
    Institution,
    InstitutionStatus,
    ListingCase,
    Offer,
)
from finance.permissions import (
    acts_for_enterprise,
    acts_for_institution,
    can_decide_institution,
    can_serve_enterprise,
    takes_part_in_finance,
)
from finance.services import institutions as institution_services
from finance.services import listing as listing_services
from finance.services import needs as need_services
from finance.services import talks
from registry.models import Enterprise


class FinanceParty(permissions.BasePermission):
    """Staff, admins, enterprise members and institution users; everyone else 403."""

    def has_permission(self, request, view):
        return takes_part_in_finance(request.user)


class StaffOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.is_staff_reviewer


def _institution(user):
    institution = talks.institution_of(user)
    if institution is None or user.role != "institution":
        raise PermissionDenied
    return institution


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """Financial institutions: staff all, an institution its own, an enterprise the
    approved ones. Staff of the institution's jurisdiction `approve` or `suspend` (with
    `reason`). Filters: `status`, `kind`."""

    serializer_class = s.InstitutionSerializer
    permission_classes = [FinanceParty]
    filterset_class = filters.InstitutionFilter

    def get_queryset(self):
        return (
            Institution.objects.visible_to(self.request.user)
            .select_related("organisation__region")
            .order_by("organisation__name", "id")
        )

    def _decide(self, request, new_status):
        institution = self.get_object()
        if not can_decide_institution(request.user, institution):
            raise PermissionDenied
        reason = valid_body(s.InstitutionReasonSerializer, request)["reason"]
        institution = institution_services.set_institution_status(
            institution, new_status, actor=request.user, reason=reason
        )
        return Response(s.InstitutionSerializer(institution).data)

    @extend_schema(request=s.InstitutionReasonSerializer, responses=s.InstitutionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, InstitutionStatus.APPROVED)

    @extend_schema(request=s.InstitutionReasonSerializer, responses=s.InstitutionSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._decide(request, InstitutionStatus.SUSPENDED)


class FinancialProductViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Financial products: an institution its own (it adds them, POST /, edits them,
    PATCH, and takes them off sale or back on: `deactivate`, `reactivate`); staff and
    enterprises the active products of approved institutions (and may not change them:
    403). Another institution's product is 404. Filters: `kind`, `institution`."""

    serializer_class = s.FinancialProductSerializer
    permission_classes = [FinanceParty]
    filterset_class = filters.ProductFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return FinancialProduct.objects.visible_to(self.request.user).order_by("name", "id")

    def create(self, request, *args, **kwargs):
        _institution(request.user)  # 403 before the body is read
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        institution = _institution(self.request.user)
        serializer.instance = institution_services.add_product(
            institution, actor=self.request.user, **serializer.validated_data
        )

    def _own(self):
        product = self.get_object()
        if not acts_for_institution(self.request.user, product.institution):
            raise PermissionDenied
        return product

    def partial_update(self, request, *args, **kwargs):
        product = self._own()
        serializer = self.get_serializer(product, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        product = institution_services.update_product(
            product, actor=request.user, **serializer.validated_data
        )
        return Response(s.FinancialProductSerializer(product).data)

    def _set_active(self, active):
        product = institution_services.set_product_active(
            self._own(), actor=self.request.user, active=active
        )
        return Response(s.FinancialProductSerializer(product).data)

    @extend_schema(request=None, responses=s.FinancialProductSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self._set_active(False)

    @extend_schema(request=None, responses=s.FinancialProductSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._set_active(True)


class FinancingNeedViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Financing needs: the enterprise its own (and it drafts them, POST /), staff those of
    their jurisdiction, an institution only those shared with it. The enterprise
    `publish`es and `withdraw`s; an institution says `interest`, makes an `offer`; either
    side posts a `message`. Filters: `status`, `kind`, `enterprise`."""

    serializer_class = s.FinancingNeedSerializer
    permission_classes = [FinanceParty]
    filterset_class = filters.NeedFilter

    def get_queryset(self):
        return (
            FinancingNeed.objects.visible_to(self.request.user)
            .select_related("enterprise")
            .order_by("-created_at", "-id")
        )

    def _own_enterprise(self):
        user = self.request.user
        enterprise = Enterprise.objects.visible_to(user).first() if user.is_enterprise else None
        if enterprise is None:
            raise PermissionDenied
        return enterprise

    def create(self, request, *args, **kwargs):
        self._own_enterprise()  # 403 before the body is read
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        user = self.request.user
        enterprise = self._own_enterprise()
        serializer.instance = need_services.create_need(
            enterprise, actor=user, **serializer.validated_data
        )

    def _member_action(self, request, service):
        need = self.get_object()
        if not acts_for_enterprise(request.user, need.enterprise):
            raise PermissionDenied
        need = service(need, actor=request.user)
        return Response(s.FinancingNeedSerializer(need).data)

    @extend_schema(request=None, responses=s.FinancingNeedSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._member_action(request, need_services.publish_need)

    @extend_schema(request=None, responses=s.FinancingNeedSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._member_action(request, need_services.withdraw_need)

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"])
    def interest(self, request, pk=None):
        need = self.get_object()
        institution = _institution(request.user)
        talks.express_interest(need, actor=request.user, institution=institution)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MakeFinancingOfferSerializer, responses={201: s.FinancingOfferSerializer}
    )
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        need = self.get_object()
        institution = _institution(request.user)
        body = valid_body(s.MakeFinancingOfferSerializer, request)
        product = None
        product_id = body.pop("product")
        if product_id is not None:
            product = institution.products.filter(pk=product_id).first()
            if product is None:
                raise Http404
        offer = talks.make_offer(
            need, actor=request.user, institution=institution, product=product, **body
        )
        return Response(s.FinancingOfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NeedMessageSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def message(self, request, pk=None):
        need = self.get_object()
        if request.user.is_staff_reviewer:
            raise PermissionDenied
        body = valid_body(s.NeedMessageSerializer, request)
        if request.user.role == "institution":
            institution = _institution(request.user)
        else:
            institution = Institution.objects.filter(pk=body["institution"]).first()
            if institution is None:
                raise Http404
        talks.post_message(need, actor=request.user, institution=institution, body=body["body"])
        return Response(status=status.HTTP_201_CREATED)


class FinancingOfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Offers: an institution its own, the enterprise and staff every offer on the needs
    they see. The enterprise `accept`s (one per need: a second is 409) or `decline`s; the
    institution records `fund`ing (amount, date: it flows into the enterprise's financing
    figures). Filters: `status`, `need`."""

    serializer_class = s.FinancingOfferSerializer
    permission_classes = [FinanceParty]
    filterset_class = filters.OfferFilter

    def get_queryset(self):
        return (
            Offer.objects.visible_to(self.request.user)
            .select_related("need__enterprise", "institution")
            .order_by("-created_at", "-id")
        )

    def _enterprise_action(self, request, service):
        offer = self.get_object()
        if not acts_for_enterprise(request.user, offer.need.enterprise):
            raise PermissionDenied
        return Response(s.FinancingOfferSerializer(service(offer, actor=request.user)).data)

    @extend_schema(request=None, responses=s.FinancingOfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._enterprise_action(request, talks.accept_offer)

    @extend_schema(request=None, responses=s.FinancingOfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._enterprise_action(request, talks.decline_offer)

    @extend_schema(request=s.OfferFundingSerializer, responses=s.FinancingOfferSerializer)
    @action(detail=True, methods=["post"])
    def fund(self, request, pk=None):
        offer = self.get_object()
        if talks.institution_of(request.user) != offer.institution:
            raise PermissionDenied
        body = valid_body(s.OfferFundingSerializer, request)
        offer = talks.record_funding(offer, actor=request.user, **body)
        return Response(s.FinancingOfferSerializer(offer).data)


class RecommendationViewSet(viewsets.GenericViewSet):
    """Staff recommend open needs of their jurisdiction to approved institutions in one
    batch with a note (POST /)."""

    permission_classes = [StaffOnly]
    serializer_class = s.RecommendSerializer

    def get_queryset(self):
        return FinancingNeed.objects.none()

    @extend_schema(request=s.RecommendSerializer, responses={201: s.RecommendationSerializer})
    def create(self, request):
        body = valid_body(s.RecommendSerializer, request)
        needs = list(FinancingNeed.objects.visible_to(request.user).filter(pk__in=body["needs"]))
        institutions = list(Institution.objects.filter(pk__in=body["institutions"]))
        if len(needs) != len(set(body["needs"])) or len(institutions) != len(
            set(body["institutions"])
        ):
            raise Http404
        batch = need_services.recommend_needs(
            actor=request.user, needs=needs, institutions=institutions, note=body["note"]
        )
        return Response({"id": batch.pk, "note": batch.note}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.RecommendEnterprisesSerializer, responses={201: s.RecommendationSerializer}
    )
    @action(detail=False, methods=["post"])
    def enterprises(self, request):
        """Recommend registry enterprises (not needs): the institutions then see their
        profile and credit score (`credit-scores`)."""
        body = valid_body(s.RecommendEnterprisesSerializer, request)
        enterprises = list(Enterprise.objects.visible_to(request.user).filter(
            pk__in=body["enterprises"]))  # fmt: skip
        institutions = list(Institution.objects.filter(pk__in=body["institutions"]))
        if len(enterprises) != len(set(body["enterprises"])) or len(institutions) != len(
            set(body["institutions"])
        ):
            raise Http404
        batch = need_services.recommend_enterprises(
            actor=request.user, enterprises=enterprises, institutions=institutions,
            note=body["note"],
        )  # fmt: skip
        return Response({"id": batch.pk, "note": batch.note}, status=status.HTTP_201_CREATED)


class CreditScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Credit scores with each factor's contribution: the enterprise its own, staff their
    jurisdiction's, an institution those of enterprises whose needs are shared with it.
    Filters: `grade`, `enterprise`."""

    serializer_class = s.CreditScoreSerializer
    permission_classes = [FinanceParty]
    filterset_class = filters.CreditScoreFilter

    def get_queryset(self):
        return (
            CreditScore.objects.visible_to(self.request.user)
            .filter(Q(scorecard__is_current=True))
            .select_related("scorecard")
            .order_by("enterprise_id")
        )


class ListingCaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The listing pipeline (staff of the enterprise's jurisdiction): add an enterprise
    (POST /), `advance` it a stage (上市 needs `listed_on`). Filters: `stage`."""

    serializer_class = s.ListingCaseSerializer
    permission_classes = [StaffOnly]
    filterset_class = filters.ListingCaseFilter

    def get_queryset(self):
        return ListingCase.objects.visible_to(self.request.user).order_by("-updated_at", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        enterprise = (
            Enterprise.objects.visible_to(self.request.user)
            .filter(pk=data["enterprise"].pk)
            .first()
        )
        if enterprise is None:
            raise Http404
        serializer.instance = listing_services.open_listing_case(
            enterprise, actor=self.request.user, target_board=data["target_board"],
            adviser=data["adviser"], notes=data.get("notes", ""),
        )  # fmt: skip

    @extend_schema(request=s.ListingAdvanceSerializer, responses=s.ListingCaseSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        case = self.get_object()
        if not can_serve_enterprise(request.user, case.enterprise):
            raise PermissionDenied
        body = valid_body(s.ListingAdvanceSerializer, request)
        case = listing_services.advance_listing(case, actor=request.user, **body)
        return Response(s.ListingCaseSerializer(case).data)
