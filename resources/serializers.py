"""Serializers for data-resource registration: output, and the input of each action
(the service decides; these only check shape)."""

from rest_framework import serializers

from resources.models import (
    DataDomain,
    DataResource,
    DataResourceRevision,
    DataSource,
    RevisionKind,
    SecurityLevel,
    UpdateCycle,
    UsageRight,
    VolumeUnit,
)


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataResourceRevision
        fields = ["id", "kind", "status", "before", "after", "reason", "created_at",
                  "decided_at", "decision_note"]  # fmt: skip


class DataResourceSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.region.code", read_only=True)

    class Meta:
        model = DataResource
        fields = ["id", "enterprise", "enterprise_name", "region", "name", "domain",
                  "security_level", "status", "code", "notice_starts_on", "notice_ends_on",
                  "coded_at", "created_at"]  # fmt: skip


class DataResourceDetailSerializer(DataResourceSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta(DataResourceSerializer.Meta):
        fields = [*DataResourceSerializer.Meta.fields, "description", "sources", "volume",
                  "volume_unit", "update_cycle", "usage_rights", "security_measures",
                  "revisions"]  # fmt: skip


class ValuesSerializer(serializers.Serializer):
    """The values of an application (all required) or of a change (`partial=True`)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField()
    domain = serializers.ChoiceField(choices=DataDomain.choices)
    sources = serializers.ListField(child=serializers.ChoiceField(choices=DataSource.choices))
    volume = serializers.DecimalField(max_digits=14, decimal_places=2)
    volume_unit = serializers.ChoiceField(choices=VolumeUnit.choices)
    update_cycle = serializers.ChoiceField(choices=UpdateCycle.choices)
    usage_rights = serializers.ListField(child=serializers.ChoiceField(choices=UsageRight.choices))
    security_level = serializers.ChoiceField(choices=SecurityLevel.choices)
    security_measures = serializers.CharField(required=False, allow_blank=True, default="")


class ChangeSerializer(ValuesSerializer):
    reason = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=[RevisionKind.CHANGE, RevisionKind.CORRECTION], default=RevisionKind.CHANGE
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "ResourceReason"


class DecisionSerializer(ReasonSerializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])

    class Meta:
        ref_name = "ResourceDecision"
