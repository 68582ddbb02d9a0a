"""Vouchers over the API (/api/v1/): scoped reads (an object outside `visible_to` is a
404), and one thin action per service; the services decide and refuse."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from conditions.explain import render_conditions
from config.errors import DomainError
from config.pagination import PageNumberPagination
from registry.models import Enterprise
from vouchers import filters
from vouchers import serializers as s
from vouchers.models import (
    Claim,
    Claimant,
    EnterpriseYearCap,
    LedgerEntry,
    Product,
    ProgramProvider,
    Provider,
    Voucher,
    VoucherApplication,
    VoucherProgram,
)
from vouchers.models.programs import is_provider_user
from vouchers.permissions import (
    acts_for_claimant,
    acts_for_enterprise,
    acts_for_provider,
    can_manage_program,
)
from vouchers.selectors import (
    cap_reconciliation,
    reconciliation,
    remaining_annual_cap,
    voucher_reconciliation,
)
from vouchers.services import applications as app_services
from vouchers.services import claims as claim_services
from vouchers.services import programs as program_services
from vouchers.services import providers as provider_services
from vouchers.services.eligibility import evaluation

UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]


class StrictPagination(PageNumberPagination):
    """The house pagination, with `page` and `page_size` documented as the whole numbers
    they are and anything else answered 400 (not silently ignored)."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("每页条数应为 1 至 %(n)s 的整数。") % {"n": self.max_page_size}]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters


class VoucherParty(permissions.BasePermission):
    """Bureau staff, admins, enterprise members and provider users (of a provider
    organisation); everyone else (panelists, institutions, publishers) is refused (403)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.is_staff_reviewer or user.is_enterprise or is_provider_user(user)


class StaffOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff_reviewer)


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _manage(user, program):
    if not can_manage_program(user, program.jurisdiction):
        raise PermissionDenied


# --- Programmes -----------------------------------------------------------------------


class VoucherProgramViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Voucher programmes (数据券、算法券、算力券) the caller may see: staff those of their
    jurisdiction and below, enterprises the published ones of their area, providers the
    published ones and those they serve.

    Staff of a programme's own jurisdiction create and edit drafts, `publish` (rules
    frozen), make a `new-version` of a published one, `close` or `withdraw` it;
    `eligibility` evaluates the programme's conditions for an enterprise, per condition.
    Filters: `q`, `kind`, `status`, `redemption_mode`, `year`."""

    serializer_class = s.VoucherProgramSerializer
    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.VoucherProgramFilter

    def get_queryset(self):
        return VoucherProgram.objects.visible_to(self.request.user).select_related("jurisdiction")

    def _managed(self):
        program = self.get_object()
        _manage(self.request.user, program)
        return program

    def get_object(self):
        program = super().get_object()
        if self.action in ("update", "partial_update"):
            _manage(self.request.user, program)  # before the body is read
        return program

    def create(self, request, *args, **kwargs):
        user = request.user
        if not user.is_staff_reviewer:
            raise PermissionDenied
        # Staff create programmes of their own jurisdiction only: any other code (or none
        # that exists) is refused before the rest of the body is read.
        data = request.data if hasattr(request.data, "get") else {}
        if not user.is_admin and str(data.get("jurisdiction", "")) != user.region.code:
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        values = serializer.validated_data
        if not can_manage_program(self.request.user, values["jurisdiction"]):
            raise PermissionDenied
        serializer.instance = program_services.create_program(actor=self.request.user, **values)

    def perform_update(self, serializer):
        serializer.instance = program_services.update_program(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _reply(self, program, code=status.HTTP_200_OK):
        program = self.get_queryset().get(pk=program.pk)
        return Response(self.get_serializer(program).data, status=code)

    @extend_schema(request=None, responses=s.VoucherProgramSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._reply(program_services.publish_program(self._managed(), actor=request.user))

    @extend_schema(request=s.ProgramChangesSerializer, responses={201: s.VoucherProgramSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        program = self._managed()
        changes = _valid(s.ProgramChangesSerializer, request.data, partial=True)
        draft = program_services.new_program_version(program, actor=request.user, **changes)
        return self._reply(draft, status.HTTP_201_CREATED)

    @extend_schema(request=s.OptionalReasonSerializer, responses=s.VoucherProgramSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        program = self._managed()
        reason = _valid(s.OptionalReasonSerializer, request.data)["reason"]
        return self._reply(
            program_services.close_program(program, actor=request.user, reason=reason)
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.VoucherProgramSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        program = self._managed()
        reason = _valid(s.ReasonSerializer, request.data)["reason"]
        return self._reply(
            program_services.withdraw_program(program, actor=request.user, reason=reason)
        )

    @extend_schema(
        request=None,
        parameters=[s.EligibilityQuerySerializer],
        responses=s.EligibilitySerializer,
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """Whether an enterprise meets the programme's conditions, with the explanation
        of each condition (as 政策匹配 shows it) and its remaining annual cap."""
        program = self.get_object()
        if is_provider_user(request.user):
            raise PermissionDenied
        query = _valid(s.EligibilityQuerySerializer, request.query_params)
        enterprises = Enterprise.objects.visible_to(request.user).select_related("region")
        if "enterprise" in query:
            enterprise = enterprises.filter(pk=query["enterprise"]).first()
            if enterprise is None:
                raise Http404
        elif request.user.is_enterprise:
            enterprise = enterprises.order_by("pk").first()
            if enterprise is None:
                raise Http404
        else:
            raise DomainError(_("请用 enterprise 参数指定要评估的企业。"))
        today = timezone.localdate()
        in_area = enterprise.region is not None and program.jurisdiction.contains(enterprise.region)
        explanation = []
        matched = True
        if program.conditions:
            result = evaluation(program, enterprise, on=today)
            explanation, matched = [r.data for r in result.explanation], result.matched
        text = render_conditions(explanation)
        if not in_area:
            text = [_("企业不在该计划的发放地区内。"), *text]
        data = {
            "program": program.pk,
            "enterprise": enterprise.pk,
            "eligible": bool(matched and in_area),
            "explanation": explanation,
            "explanation_text": text,
            "annual_cap_remaining": remaining_annual_cap(enterprise, program, today.year),
        }
        return Response(s.EligibilitySerializer(data).data)


# --- Providers ------------------------------------------------------------------------


class ProviderViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Service providers (数据/算法/算力服务商): staff see all, a provider's users their
    own, enterprises those approved in a programme they see. A provider user registers
    its organisation (POST /), edits it, and applies to `join-program`.
    Filters: `q`, `hub_node`, `program` (approved in it)."""

    serializer_class = s.ProviderSerializer
    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.ProviderFilter

    def get_queryset(self):
        return Provider.objects.visible_to(self.request.user).select_related("organisation")

    def get_object(self):
        provider = super().get_object()
        user = self.request.user
        if self.action in ("update", "partial_update") and not (
            acts_for_provider(user, provider) or user.is_admin
        ):
            raise PermissionDenied
        return provider

    def create(self, request, *args, **kwargs):
        if not is_provider_user(request.user):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        user = self.request.user
        serializer.instance = provider_services.register_provider(
            user.organisation, actor=user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = provider_services.update_provider(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=s.JoinProgramSerializer, responses={201: s.ProgramProviderSerializer})
    @action(detail=True, methods=["post"], url_path="join-program")
    def join_program(self, request, pk=None):
        provider = self.get_object()
        if not acts_for_provider(request.user, provider):
            raise PermissionDenied
        program_id = _valid(s.JoinProgramSerializer, request.data)["program"]
        program = VoucherProgram.objects.visible_to(request.user).filter(pk=program_id).first()
        if program is None:
            raise Http404
        membership = provider_services.join_program(program, provider, actor=request.user)
        return Response(
            s.ProgramProviderSerializer(membership).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(methods=["GET"], request=None, responses=s.RelatedPartySerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=s.DeclareRelatedPartySerializer,
        responses={201: s.RelatedPartySerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="related-parties",
            filterset_class=None, pagination_class=None)  # fmt: skip
    def related_parties(self, request, pk=None):
        """The provider's related-party declarations (关联方申报): an enterprise it holds
        shares in or shares a group with cannot transact with it under any programme. Its
        own users and staff read them; its users declare one (POST)."""
        provider = self.get_object()
        user = request.user
        if not (acts_for_provider(user, provider) or user.is_admin or user.is_bureau):
            raise PermissionDenied
        if request.method == "GET":
            rows = provider.relations.order_by("uscc", "kind")
            return Response(s.RelatedPartySerializer(rows, many=True).data)
        if not (acts_for_provider(user, provider) or user.is_admin):
            raise PermissionDenied  # staff read the declarations; the provider makes them
        values = _valid(s.DeclareRelatedPartySerializer, request.data)
        row = provider_services.declare_related_party(provider, actor=user, **values)
        return Response(s.RelatedPartySerializer(row).data, status=status.HTTP_201_CREATED)


class ProductViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Providers' catalogues: a product with its unit and unit price. A provider user adds
    (POST /) and edits its own. Filters: `provider`, `kind`, `is_active`."""

    serializer_class = s.ProductSerializer
    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.ProductFilter

    def get_queryset(self):
        return Product.objects.visible_to(self.request.user).select_related(
            "provider__organisation"
        )

    def get_object(self):
        product = super().get_object()
        if self.action in ("update", "partial_update") and not acts_for_provider(
            self.request.user, product.provider
        ):
            raise PermissionDenied
        return product

    def _own_provider(self):
        user = self.request.user
        provider = None
        if is_provider_user(user):
            provider = Provider.objects.filter(organisation_id=user.organisation_id).first()
        if provider is None:
            raise PermissionDenied
        return provider

    def create(self, request, *args, **kwargs):
        self._own_provider()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        values = serializer.validated_data
        values.pop("is_active", None)
        serializer.instance = provider_services.add_product(
            self._own_provider(), actor=self.request.user, **values
        )

    def perform_update(self, serializer):
        serializer.instance = provider_services.update_product(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class ProgramProviderViewSet(viewsets.ReadOnlyModelViewSet):
    """Providers' memberships of programmes: staff of the programme's jurisdiction
    `approve`, `suspend` or `remove` (the last two with `reason`). Filters: `program`,
    `provider`, `status`."""

    serializer_class = s.ProgramProviderSerializer
    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.ProgramProviderFilter

    def get_queryset(self):
        return ProgramProvider.objects.visible_to(self.request.user).select_related(
            "program__jurisdiction", "provider__organisation"
        )

    def _decide(self, call, *, reason):
        membership = self.get_object()
        _manage(self.request.user, membership.program)
        kwargs = {}
        if reason:
            kwargs["reason"] = _valid(s.ReasonSerializer, self.request.data)["reason"]
        membership = call(membership, actor=self.request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=membership.pk)).data)

    @extend_schema(request=None, responses=s.ProgramProviderSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(provider_services.approve_membership, reason=False)

    @extend_schema(request=s.ReasonSerializer, responses=s.ProgramProviderSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._decide(provider_services.suspend_membership, reason=True)

    @extend_schema(request=s.ReasonSerializer, responses=s.ProgramProviderSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        return self._decide(provider_services.remove_membership, reason=True)


# --- Applications and vouchers --------------------------------------------------------


@extend_schema_view(create=extend_schema(
    request={"multipart/form-data": s.ApplySerializer},
    responses={201: s.VoucherApplicationDetailSerializer},
))  # fmt: skip
class VoucherApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Voucher applications: an enterprise its own, a provider those naming it, staff
    those of programmes of their jurisdiction and below. A member applies (POST /,
    multipart with the contract PDF); staff of the programme's jurisdiction `approve`
    (the voucher is issued: the answer is the voucher with every term of the grant
    computation), `return` or `reject` (with `reason`); the member may `withdraw`.
    Filters: `program`, `enterprise`, `provider`, `status`."""

    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.VoucherApplicationFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        return VoucherApplication.objects.visible_to(self.request.user).select_related(
            "program__jurisdiction", "enterprise__region", "provider__organisation", "voucher"
        )

    def get_serializer_class(self):
        if self.action == "list":
            return s.VoucherApplicationSerializer
        return s.VoucherApplicationDetailSerializer

    def _reply(self, application, code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        return Response(s.VoucherApplicationDetailSerializer(application).data, status=code)

    def create(self, request):
        if not request.user.is_enterprise:
            raise PermissionDenied
        values = _valid(s.ApplySerializer, request.data)
        enterprises = Enterprise.objects.visible_to(request.user)
        if "enterprise" in values:
            enterprise = enterprises.filter(pk=values.pop("enterprise")).first()
        else:
            enterprise = enterprises.order_by("pk").first()
        program = (
            VoucherProgram.objects.visible_to(request.user).filter(pk=values.pop("program")).first()
        )
        # Any provider: one not approved in the programme is refused with a sentence.
        provider = Provider.objects.filter(pk=values.pop("provider")).first()
        if enterprise is None or program is None or provider is None:
            raise Http404
        values["items"] = [dict(item) for item in values["items"]]
        application = app_services.apply_for_voucher(
            program, actor=request.user, enterprise=enterprise, provider=provider, **values
        )
        return self._reply(application, status.HTTP_201_CREATED)

    def _staff(self, call):
        application = self.get_object()
        _manage(self.request.user, application.program)
        reason = _valid(s.ReasonSerializer, self.request.data)["reason"]
        return self._reply(call(application, actor=self.request.user, reason=reason))

    @extend_schema(request=None, responses={201: s.VoucherDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Issue the voucher: granted = min(sought, ratio × contract, remaining annual
        cap, per-contract cap, remaining budget), reserved in the ledger now."""
        application = self.get_object()
        _manage(request.user, application.program)
        voucher = app_services.approve_application(application, actor=request.user)
        voucher = _vouchers(request.user).get(pk=voucher.pk)
        return Response(s.VoucherDetailSerializer(voucher).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses=s.VoucherApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._staff(app_services.return_application)

    @extend_schema(request=s.ReasonSerializer, responses=s.VoucherApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._staff(app_services.reject_application)

    @extend_schema(
        request={"multipart/form-data": s.ResubmitApplicationSerializer},
        responses=s.VoucherApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """A member corrects a returned application and submits it again; every check of
        applying runs again."""
        application = self.get_object()
        if not acts_for_enterprise(request.user, application.enterprise):
            raise PermissionDenied
        values = _valid(s.ResubmitApplicationSerializer, request.data)
        if "items" in values:
            values["items"] = [dict(item) for item in values["items"]]
        return self._reply(
            app_services.resubmit_application(application, actor=request.user, **values)
        )

    @extend_schema(request=None, responses=s.VoucherApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        if not request.user.is_enterprise:
            raise PermissionDenied
        return self._reply(app_services.withdraw_application(application, actor=request.user))


def _vouchers(user):
    return Voucher.objects.visible_to(user).select_related(
        "program", "enterprise", "provider__organisation"
    )


class VoucherViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued vouchers: an enterprise its own, a provider those presented to it, staff
    those of programmes of their jurisdiction and below. `verify` checks a code (the
    code, status, what is left, the expiry); staff of the programme's jurisdiction
    `cancel` a live voucher (with `reason`: what no claim holds goes back to the budget).
    Filters: `program`, `enterprise`, `provider`, `status`, `kind`."""

    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.VoucherFilter

    def get_queryset(self):
        return _vouchers(self.request.user)

    def get_serializer_class(self):
        return s.VoucherSerializer if self.action == "list" else s.VoucherDetailSerializer

    @extend_schema(
        request=None,
        parameters=[s.CodeQuerySerializer],
        responses=s.VoucherCheckSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def verify(self, request):
        """Check a voucher code presented by an enterprise (404 when it is not one the
        caller may see)."""
        code = _valid(s.CodeQuerySerializer, request.query_params)["code"]
        voucher = self.get_queryset().filter(code=code).first()
        if voucher is None:
            raise Http404
        return Response(s.VoucherCheckSerializer(voucher).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.VoucherDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        voucher = self.get_object()
        _manage(request.user, voucher.program)
        reason = _valid(s.ReasonSerializer, request.data)["reason"]
        voucher = claim_services.cancel_voucher(voucher, actor=request.user, reason=reason)
        return Response(s.VoucherDetailSerializer(self.get_queryset().get(pk=voucher.pk)).data)


# --- Claims, ledger, reconciliation ---------------------------------------------------


@extend_schema_view(create=extend_schema(
    request={"multipart/form-data": s.FileClaimSerializer},
    parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                 description="Or the `idempotency_key` field.")],
    responses={201: s.ClaimSerializer},
))  # fmt: skip
class ClaimViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Redemption claims: the claimant (the provider in discount mode, the enterprise in
    reimburse mode) files one against a voucher (POST /, multipart with the proof PDF and
    an idempotency key: a retry with the same key answers the first claim, 201 again,
    and files nothing); the counterparty `confirm`s the service was received; staff of
    the programme's jurisdiction `verify`, `settle` (once, however often asked), `return`
    or `reject` (with `reason`; the counterparty may return a claim still `filed`).
    Filters: `program`, `voucher`, `provider`, `status`, `claimant`, `overdue`."""

    serializer_class = s.ClaimSerializer
    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.ClaimFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).select_related(
            "voucher", "program__jurisdiction", "enterprise", "provider__organisation"
        )

    def _reply(self, claim, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data,
                        status=code)  # fmt: skip

    def create(self, request):
        if request.user.is_staff_reviewer:
            raise PermissionDenied  # staff verify and settle; the parties claim
        voucher_id = _valid(s.VoucherRefSerializer, request.data)["voucher"]
        voucher = (
            Voucher.objects.visible_to(request.user)
            .select_related("program", "enterprise", "provider")
            .filter(pk=voucher_id)
            .first()
        )
        if voucher is None:
            raise Http404
        # The programme's mode names the claimant: the other party is refused outright.
        if not acts_for_claimant(request.user, voucher, voucher.program.claimant_is_provider()):
            raise PermissionDenied
        values = _valid(s.FileClaimSerializer, request.data)
        values.pop("voucher")
        key = request.headers.get("Idempotency-Key") or values.pop("idempotency_key", "")
        values.pop("idempotency_key", None)
        claim = claim_services.file_claim(
            voucher, actor=request.user, idempotency_key=key, **values
        )
        return self._reply(claim, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        claim = self.get_object()
        if request.user.is_staff_reviewer:
            raise PermissionDenied
        return self._reply(claim_services.confirm_claim(claim, actor=request.user))

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        claim = self.get_object()
        _manage(request.user, claim.program)
        return self._reply(claim_services.verify_claim(claim, actor=request.user))

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        claim = self.get_object()
        _manage(request.user, claim.program)
        return self._reply(claim_services.settle_claim(claim, actor=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        claim = self.get_object()
        if request.user.is_staff_reviewer:
            _manage(request.user, claim.program)  # staff above only see it
        reason = _valid(s.ReasonSerializer, request.data)["reason"]
        return self._reply(claim_services.return_claim(claim, actor=request.user, reason=reason))

    @extend_schema(
        request={"multipart/form-data": s.ResubmitClaimSerializer}, responses=s.ClaimSerializer
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """The claimant corrects a returned claim and files it again (its key stays)."""
        claim = self.get_object()
        if not acts_for_claimant(request.user, claim, claim.claimant == Claimant.PROVIDER):
            raise PermissionDenied
        values = _valid(s.ResubmitClaimSerializer, request.data)
        return self._reply(claim_services.resubmit_claim(claim, actor=request.user, **values))

    @extend_schema(request=s.ReasonSerializer, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        claim = self.get_object()
        _manage(request.user, claim.program)
        reason = _valid(s.ReasonSerializer, request.data)["reason"]
        return self._reply(claim_services.reject_claim(claim, actor=request.user, reason=reason))


class LedgerEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The budget ledger's rows (reserve, release, spend), append-only: staff those of the
    programmes they see, an enterprise or a provider those of its vouchers.
    Filters: `program`, `voucher`, `claim`, `kind`."""

    serializer_class = s.LedgerEntrySerializer
    permission_classes = [VoucherParty]
    pagination_class = StrictPagination
    filterset_class = filters.LedgerEntryFilter

    def get_queryset(self):
        return LedgerEntry.objects.visible_to(self.request.user).select_related("voucher")


@extend_schema_view(
    list=extend_schema(responses=s.ProgramBalanceSerializer(many=True)),
    retrieve=extend_schema(responses=s.ReconciliationSerializer),
)
class ReconciliationViewSet(viewsets.GenericViewSet):
    """Reconciliation (staff): per programme, its balances (reserved, spent) beside the
    sums of its ledger rows; one programme also per enterprise-year (annual cap used =
    granted − released) and per voucher. `balanced` is false on any difference.
    Filters: `kind`, `year`, `status`."""

    permission_classes = [StaffOnly]
    pagination_class = StrictPagination
    filterset_class = filters.ReconciliationFilter
    serializer_class = s.ProgramBalanceSerializer

    def get_queryset(self):
        return VoucherProgram.objects.visible_to(self.request.user)

    def list(self, request):
        programs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(programs)
        return self.get_paginated_response(
            s.ProgramBalanceSerializer(reconciliation(page), many=True).data
        )

    def retrieve(self, request, pk=None):
        program = self.get_object()
        row = reconciliation([program])[0]
        caps = EnterpriseYearCap.objects.filter(program_id=program.lineage_id).order_by(
            "year", "enterprise_id"
        )
        vouchers = Voucher.objects.filter(program=program).order_by("pk")
        caps = caps.filter(Q(enterprise__vouchers__program=program)).distinct()
        row["enterprise_years"] = cap_reconciliation(caps)
        row["vouchers"] = voucher_reconciliation(vouchers)
        return Response(s.ReconciliationSerializer(row).data)
