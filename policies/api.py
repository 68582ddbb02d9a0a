"""Policies and grants over the API: serializers validate, services act, scope is visible_to."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.fields import RegionCodeField
from accounts.models import Region
from conditions.engine import describe, validate
from conditions.explain import render_conditions
from config.api import valid_body
from policies import selectors
from policies.filters import GrantFilter, PolicyFilter
from policies.models import Policy, PolicyGrant
from policies.permissions import can_deliver_grant, can_manage_policy
from policies.services import lifecycle as services
from policies.services import matching

POLICY_FIELDS = services.POLICY_FIELDS


class StaffOrEnterprise(permissions.BasePermission):
    """Reads for bureau staff, admins and enterprises; writes for staff (object checks in
    the views). Other roles are refused outright (403)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return user.is_staff_reviewer or user.is_enterprise
        return user.is_staff_reviewer or (user.is_enterprise and view.action in ENTERPRISE_ACTIONS)


ENTERPRISE_ACTIONS = {"accept", "decline"}


def _conditions(value):
    if problems := validate(value):
        raise serializers.ValidationError(problems)
    return value


class PolicySerializer(serializers.ModelSerializer):
    jurisdiction = RegionCodeField(queryset=Region.objects.all())
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    description = serializers.SerializerMethodField()
    conditions = serializers.JSONField(validators=[_conditions])

    class Meta:
        model = Policy
        fields = [
            "id",
            *POLICY_FIELDS,
            "jurisdiction_name",
            "description",
            "status",
            "published_at",
            "withdrawn_at",
            "created_at",
        ]
        read_only_fields = ["status", "published_at", "withdrawn_at", "created_at"]

    def get_description(self, policy) -> str:
        return describe(policy.conditions)

    def validate(self, attrs):
        start = attrs.get("valid_from", getattr(self.instance, "valid_from", None))
        end = attrs.get("valid_until", getattr(self.instance, "valid_until", None))
        if start and end and end < start:
            raise serializers.ValidationError({"valid_until": _("有效期止不能早于有效期起。")})
        return attrs


class PreviewSerializer(serializers.Serializer):
    jurisdiction = RegionCodeField(queryset=Region.objects.all())
    conditions = serializers.JSONField(validators=[_conditions])


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)

    class Meta:
        ref_name = "PolicyReason"


PREVIEWED = inline_serializer(
    "PolicyPreview",
    {
        "count": serializers.IntegerField(),
        "sample": serializers.ListField(child=serializers.CharField()),
        "description": serializers.CharField(),
    },
)


class PolicyViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Policies the caller may see. Staff whose jurisdiction contains a policy's may
    create and edit drafts, `publish`, `withdraw` (with `reason`); `preview` (POST
    `conditions`, `jurisdiction`) answers how many registry enterprises match now.
    Filters: `q`, `status`, `kind`, `mode`."""

    serializer_class = PolicySerializer
    permission_classes = [StaffOrEnterprise]
    filterset_class = PolicyFilter

    def get_queryset(self):
        return selectors.policy_list(self.request.user)

    def _managed(self):
        policy = self.get_object()
        if not can_manage_policy(self.request.user, policy.jurisdiction):
            raise PermissionDenied
        return policy

    def perform_create(self, serializer):
        serializer.instance = services.create_policy(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        policy = self._managed()
        serializer.instance = services.update_policy(
            policy, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses=PolicySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        policy = services.publish_policy(self._managed(), actor=request.user)
        return Response(self.get_serializer(policy).data)

    @extend_schema(request=ReasonSerializer, responses=PolicySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        policy = self._managed()
        reason = valid_body(ReasonSerializer, request)["reason"]
        policy = services.withdraw_policy(policy, actor=request.user, reason=reason)
        return Response(self.get_serializer(policy).data)

    @extend_schema(request=PreviewSerializer, responses=PREVIEWED)
    @action(detail=False, methods=["post"])
    def preview(self, request):
        data = PreviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        jurisdiction = data.validated_data["jurisdiction"]
        if not can_manage_policy(request.user, jurisdiction):
            raise PermissionDenied
        conditions = data.validated_data["conditions"]
        result = matching.preview(conditions, jurisdiction)
        return Response({**result, "description": describe(conditions)})


class GrantSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    mode = serializers.CharField(source="policy.mode", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    explanation_text = serializers.SerializerMethodField(
        help_text="The explanation as sentences in the request's language (Accept-Language)."
    )

    class Meta:
        model = PolicyGrant
        fields = [
            "id",
            "policy",
            "policy_title",
            "mode",
            "enterprise",
            "enterprise_name",
            "status",
            "explanation",
            "explanation_text",
            "matched_at",
            "notified_at",
            "due_on",
            "is_overdue",
            "accepted_at",
            "delivered_at",
            "declined_at",
            "decline_reason",
            "delivery_note",
            "account_name",
            "bank_name",
            "account_number",
            "application",
        ]
        read_only_fields = fields

    def get_explanation_text(self, grant) -> list[str]:
        return render_conditions(grant.explanation)


class AcceptSerializer(serializers.Serializer):
    """auto: the bank details; quick: `application` (contact_name, contact_phone,
    contact_email, statement)."""

    account_name = serializers.CharField(max_length=200, required=False, default="")
    bank_name = serializers.CharField(max_length=200, required=False, default="")
    account_number = serializers.CharField(max_length=40, required=False, default="")
    application = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )


class DeliverSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class GrantViewSet(viewsets.ReadOnlyModelViewSet):
    """Grants the caller may see. Filters: `status`, `policy`, `overdue` (true/false).
    Enterprises `accept` (auto: bank details; quick: the application) or `decline`
    (`reason`); staff of the enterprise's jurisdiction `deliver` (`note`)."""

    serializer_class = GrantSerializer
    permission_classes = [StaffOrEnterprise]
    filterset_class = GrantFilter

    def get_queryset(self):
        return selectors.grant_list(self.request.user)

    @extend_schema(request=AcceptSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        grant = self.get_object()
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if grant.policy.mode == "auto":
            grant = services.confirm_bank_details(
                grant,
                actor=request.user,
                account_name=values["account_name"],
                bank_name=values["bank_name"],
                account_number=values["account_number"],
            )
        else:
            grant = services.submit_quick_application(
                grant, actor=request.user, application=values["application"]
            )
        return Response(self.get_serializer(grant).data)

    @extend_schema(request=ReasonSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        grant = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.decline_grant(
            grant, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(grant).data)

    @extend_schema(request=DeliverSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        grant = self.get_object()
        if not can_deliver_grant(request.user, grant):
            raise PermissionDenied
        data = DeliverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.deliver_grant(grant, actor=request.user, note=data.validated_data["note"])
        return Response(self.get_serializer(grant).data)
