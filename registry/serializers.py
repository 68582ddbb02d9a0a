from rest_framework import serializers

from accounts.fields import RegionCodeField
from accounts.models import Region
from registry.choices import DocumentKind
from registry.label_explanations import render_reasons
from registry.models import (
    AnnualReport,
    Enterprise,
    EnterpriseDocument,
    LabelAward,
    ServiceRecord,
    TransferRequest,
)
from registry.services import PROFILE_FIELDS
from registry.services.reports import REPORT_FIELDS


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class EnterpriseSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    tier = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "uscc",
            "region",
            "region_name",
            "industry",
            "industry_display",
            "category",
            "category_display",
            "tier",
            "founded_on",
            "size",
            "listing_status",
            "website",
            "verification_status",
            "created_at",
        ]

    def get_tier(self, obj) -> str | None:
        return obj.tier


class EnterpriseDetailSerializer(EnterpriseSerializer):
    class Meta(EnterpriseSerializer.Meta):
        fields = [
            *EnterpriseSerializer.Meta.fields,
            "contact_name",
            "contact_phone",
            "contact_email",
            "description",
            "verification_reason",
            "updated_at",
        ]


class EnterpriseUpdateSerializer(serializers.ModelSerializer):
    """A profile edit (PATCH); `region` by GB/T 2260 code. Staff moving the enterprise out of
    their jurisdiction give `transfer_reason`: the move becomes a transfer request."""

    region = RegionCodeField(queryset=Region.objects.exclude(level="country"))
    transfer_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)

    class Meta:
        model = Enterprise
        fields = [*PROFILE_FIELDS, "transfer_reason"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseDocument
        fields = ["id", "kind", "original_name", "size", "sha256", "uploaded_at"]


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)

    class Meta:
        ref_name = "RegistryReason"


class TransferRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    from_region = serializers.CharField(source="from_region.code", read_only=True)
    to_region = serializers.CharField(source="to_region.code", read_only=True)

    class Meta:
        model = TransferRequest
        fields = ["id", "enterprise", "enterprise_name", "from_region", "to_region", "reason",
                  "status", "requested_by", "decided_by", "decided_at", "decision_reason",
                  "created_at"]  # fmt: skip


class AnnualReportSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    rd_intensity = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    rd_staff_share = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    flagged = serializers.SerializerMethodField(
        help_text="True when the report confirmed a tenfold jump on last year (see "
        "`confirmations`): staff review it one by one."
    )

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "status",
            *REPORT_FIELDS,
            "rd_intensity",
            "rd_staff_share",
            "confirmations",
            "flagged",
            "submitted_at",
        ]

    def get_flagged(self, report) -> bool:
        return bool(report.confirmations)


class ServiceRecordSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.region.code", read_only=True)

    class Meta:
        model = ServiceRecord
        fields = ["id", "enterprise", "enterprise_name", "region", "kind", "served_on", "notes",
                  "follow_up_on", "followed_up_at", "staff_name"]  # fmt: skip


class LabelAwardSerializer(serializers.ModelSerializer):
    reasons_text = serializers.SerializerMethodField(
        help_text="The reasons as sentences in the request's language (Accept-Language)."
    )

    class Meta:
        model = LabelAward
        fields = ["id", "enterprise", "label", "granted_on", "revoked_on", "reasons",
                  "reasons_text"]  # fmt: skip

    def get_reasons_text(self, award) -> list[str]:
        return render_reasons(award.reasons)
