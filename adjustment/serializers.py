from django.utils import timezone
from rest_framework import serializers

from adjustment.explanations import render_reasons
from adjustment.models import AdjustmentProposal, AdjustmentRun, Appeal, ProposalKind
from adjustment.services.job import FIRST_YEAR, latest_due_year
from registry.choices import Tier


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "reason", "status", "reply", "created_at", "decided_at"]


class ProposalSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="entry.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="entry.enterprise.name", read_only=True)
    appeal = AppealSerializer(read_only=True, allow_null=True)
    reasons_text = serializers.SerializerMethodField(
        help_text="The reasons as sentences in the request's language (Accept-Language)."
    )

    class Meta:
        model = AdjustmentProposal
        fields = [
            "id", "enterprise", "enterprise_name", "year", "origin", "kind", "from_tier",
            "to_tier", "reasons", "reasons_text", "figures", "status", "final_kind", "final_tier",
            "decision_reason", "decided_at", "appeal", "created_at",
        ]  # fmt: skip

    def get_reasons_text(self, proposal) -> list[str]:
        return render_reasons(proposal.reasons)


class RunSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    # Bounded here so that a year the job cannot evaluate is a 400, never a failed run: from
    # the first year to the last whose reports are due (today's, so the schema says it too).
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=9999)
    percent = serializers.IntegerField(read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        due = latest_due_year(timezone.localdate())
        self.fields["year"] = serializers.IntegerField(min_value=FIRST_YEAR, max_value=due)

    class Meta:
        model = AdjustmentRun
        fields = ["id", "region", "year", "status", "total", "processed", "percent",
                  "summary", "error", "created_at", "finished_at"]  # fmt: skip
        read_only_fields = [f for f in fields if f != "year"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)

    class Meta:
        ref_name = "AdjustmentReason"


class AmendSerializer(ReasonSerializer):
    kind = serializers.ChoiceField(choices=ProposalKind.choices)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True,
                                   default="")  # fmt: skip

    class Meta:
        ref_name = "Amend"


class BulkSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1000)


class AppealDecisionSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    reply = serializers.CharField()
